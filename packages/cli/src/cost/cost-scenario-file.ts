import { resolveCostScenarios, type ResolvedScenario, type ResolvedScenarioFile } from '@outlay/analysis';
import { CostScenarioFile, OutlayError } from '@outlay/schema';
import { readStructuredFile } from '../read-structured-file.js';

export type LoadedScenario = ResolvedScenario;

export interface LoadedScenarioFile extends ResolvedScenarioFile {
  file: string;
}

/** Reads and validates a scenario file (JSON or YAML). Bad input throws OutlayError('invalid_input') naming the file and field. */
export function loadCostScenarioFile(file: string, today: string): LoadedScenarioFile {
  return parseCostScenarioFile(readStructuredFile(file, '--scenario'), file, today);
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
