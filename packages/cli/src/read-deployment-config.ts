import { existsSync, readFileSync } from 'node:fs';
import { OutlayError } from '@outlay/schema';
import { parse } from 'yaml';
import { z } from 'zod';

/** What `outlay serve` reads from outlay.yaml: the store. The rest of the file is the project config's business. */
const DeploymentConfig = z.looseObject({
  store: z.string().min(1).optional().describe('clickhouse://host:8123/db[?cluster=…]: the store, unless --store or OUTLAY_STORE names one'),
});
export type DeploymentConfig = z.infer<typeof DeploymentConfig>;

/**
 * Reads the deployment settings of an outlay.yaml: the named file (which must exist), or ./outlay.yaml when it
 * exists, or nothing. A file that is not YAML, or a `store` that is not a string, is bad input naming the file.
 */
export function readDeploymentConfig(path: string | undefined, defaultPath: string): DeploymentConfig {
  const file = path ?? (existsSync(defaultPath) ? defaultPath : undefined);
  if (file === undefined) return {};
  let value: unknown;
  try {
    value = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new OutlayError('invalid_input', `${file} (--config): ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const parsed = DeploymentConfig.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OutlayError('invalid_input', `${file} (--config): ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
