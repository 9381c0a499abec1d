import { main } from '../src/main.js';

/**
 * Runs the CLI in-process through `main`, as `outlay <argv…>` would run, with its real exit-code rules
 * (0 success, 1 failure or a detected problem with --fail-on-…, 2 bad input) and captured output.
 */
export async function runMain(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'outlay', ...argv], {
    env,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}
