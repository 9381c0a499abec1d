import { readFileSync } from 'node:fs';
import { resolveCostScenarios, type ResolvedScenario, type ResolvedScenarioFile } from '@outlay/analysis';
import { CostScenarioFile, OutlayError } from '@outlay/schema';

export type LoadedScenario = ResolvedScenario;

export interface LoadedScenarioFile extends ResolvedScenarioFile {
  file: string;
}

/** Reads and validates a scenario file (JSON). Bad input throws OutlayError('invalid_input') naming the file and field. */
export function loadCostScenarioFile(file: string, today: string): LoadedScenarioFile {
  if (/\.ya?ml$/i.test(file)) {
    throw new OutlayError('invalid_input', `${file}: YAML scenario files need the "yaml" package, which is not installed; write the scenario as JSON`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OutlayError('invalid_input', `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OutlayError('invalid_input', `${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseCostScenarioFile(json, file, today);
}

/** Validates parsed JSON against the scenario schema and resolves serving prices through the price book. */
export function parseCostScenarioFile(json: unknown, file: string, today: string): LoadedScenarioFile {
  const parsed = CostScenarioFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OutlayError('invalid_input', `${file}: ${formatPath(issue.path)}: ${issue.message}`, { details: parsed.error.issues });
  }
  try {
    return { file, ...resolveCostScenarios(parsed.data, today, 'scenario file') };
  } catch (error) {
    if (error instanceof OutlayError) throw new OutlayError(error.code, `${file}: ${error.message}`, { cause: error, details: error.details });
    throw error;
  }
}

/** ['scenarios', 0, 'serving', 'service_ms'] → 'scenarios[0].serving.service_ms'. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
