/** Splits a comma-separated option value (`--segments a, b`) into its non-empty, trimmed parts. */
export function splitList(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}
