// Reading form text into config values. Pure; an empty field means "not set", never 0.

/** `''` → undefined, a number → it, anything else → an error message. */
export function parseOptionalNumber(text: string): { value: number | undefined } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  const value = Number(trimmed);
  return Number.isFinite(value) ? { value } : { problem: `"${trimmed}" is not a number.` };
}

/** `a, b ,, c` → `['a', 'b', 'c']`. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** One URL per line (blank lines skipped). */
export function parseLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A number field's text for a value that may be absent. */
export function numberText(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}
