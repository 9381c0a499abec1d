import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { parse } from 'yaml';

/** Whether a file name says JSON or YAML (.json, .yaml, .yml). */
export const isStructuredFile = (file: string): boolean => ['.json', '.yaml', '.yml'].includes(extname(file).toLowerCase());

/**
 * Reads a JSON or YAML file (by its extension; YAML is a superset of JSON, so anything else is read as YAML).
 * A missing file or a syntax error is bad input naming the file and, for YAML, the line.
 */
export function readStructuredFile(file: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new OutlayError('invalid_input', `${file} (${flag}): cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  try {
    return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : (parse(text) ?? null);
  } catch (error) {
    throw new OutlayError('invalid_input', `${file} (${flag}): not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}
