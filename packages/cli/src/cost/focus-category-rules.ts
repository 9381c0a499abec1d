import { CostCategory, OutlayError } from '@outlay/schema';
import { z } from 'zod';

/**
 * One rule of the FOCUS → Outlay taxonomy mapping. A rule matches a row when every listed column holds one of
 * its values (case-insensitive); the first matching rule decides. Rules are data so that a project can replace
 * them (e.g. from outlay.yaml) without code changes.
 */
export interface FocusCategoryRule {
  when: Partial<Record<'ServiceCategory' | 'ServiceName' | 'ChargeCategory' | 'ProviderName', string[]>>;
  /** `null` leaves the row unclassified, which the import reports rather than guessing. */
  category: CostCategory | null;
  why: string;
}

/**
 * The default mapping, by FOCUS 1.0 ServiceCategory (its allowed values, FOCUS 1.0 spec §ServiceCategory).
 * DESIGN.md's taxonomy: variable costs grow with query volume (compute, bandwidth, operations), fixed ones do
 * not (hardware, development: training infrastructure and developers).
 */
export const defaultFocusCategoryRules: FocusCategoryRule[] = [
  { when: { ServiceCategory: ['AI and Machine Learning'] }, category: 'variable.compute', why: 'managed ML endpoints and notebooks bill per use' },
  { when: { ServiceCategory: ['Compute'] }, category: 'variable.compute', why: 'instances, functions and containers serve the queries' },
  { when: { ServiceCategory: ['Databases', 'Analytics', 'Integration', 'Web'] }, category: 'variable.compute', why: 'feature stores, queues and APIs scale with query volume' },
  { when: { ServiceCategory: ['Networking'] }, category: 'variable.bandwidth', why: 'load balancers, egress and CDNs bill per byte shipped' },
  { when: { ServiceCategory: ['Storage'] }, category: 'fixed.development.training', why: 'stored datasets, checkpoints and logs accumulate whatever the traffic' },
  { when: { ServiceCategory: ['Developer Tools'] }, category: 'fixed.development.training', why: 'build and experiment tooling is development infrastructure' },
  {
    when: { ServiceCategory: ['Management and Governance', 'Identity', 'Security'] },
    category: 'variable.operations',
    why: 'monitoring, audit and access control keep the model running',
  },
  { when: {}, category: null, why: 'no rule matched (e.g. ServiceCategory "Other"): left unclassified' },
];

/** The first rule whose conditions all hold for the row. */
export function categoriseFocusRow(row: Record<string, string | null>, rules: FocusCategoryRule[]): FocusCategoryRule | undefined {
  return rules.find((rule) =>
    Object.entries(rule.when).every(([column, values]) => {
      const value = row[column]?.toLowerCase();
      return value !== undefined && values.some((v) => v.toLowerCase() === value);
    }),
  );
}

const RuleColumnValues = z.array(z.string().min(1)).min(1);
const FocusCategoryRuleFile = z.array(
  z.strictObject({
    when: z.strictObject({ ServiceCategory: RuleColumnValues.optional(), ServiceName: RuleColumnValues.optional(), ChargeCategory: RuleColumnValues.optional(), ProviderName: RuleColumnValues.optional() }),
    category: CostCategory.nullable(),
    why: z.string().default('from the rules file'),
  }),
).min(1);

/**
 * A project's own mapping (JSON or YAML: a list of `{when: {ServiceName: [...]}, category, why}`), tried in order
 * before nothing else: a row no rule matches is left unclassified and reported. Bad rules name the file and rule.
 */
export function parseFocusCategoryRules(value: unknown, file: string): FocusCategoryRule[] {
  const parsed = FocusCategoryRuleFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new OutlayError('invalid_input', `${file} (--rules): ${path || '(top level)'}: ${issue.message}`);
  }
  return parsed.data.map((rule) => ({ when: rule.when as FocusCategoryRule['when'], category: rule.category, why: rule.why }));
}
