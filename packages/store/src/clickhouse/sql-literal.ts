import { OutlayError } from '@outlay/schema';

/**
 * ClickHouse 18.16 has no query parameters (`{name:Type}` came in 19.x), so values are inlined as literals. Every
 * value that reaches SQL text goes through one of these functions; identifiers are ours (hashes) or checked.
 */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0')}'`;
}

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new OutlayError('invalid_input', `expected a finite number, got ${value}`);
  return String(value);
}

/** A scalar as a literal; booleans become 1/0, as boolean columns are Nullable(UInt8). */
export function sqlValue(value: string | number | boolean): string {
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return sqlNumber(value);
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A database or cluster name, checked because it is written into SQL as is. */
export function sqlIdentifier(name: string, what: string): string {
  if (!identifier.test(name)) throw new OutlayError('invalid_input', `${what} must match ${identifier.source}, got ${JSON.stringify(name)}`);
  return name;
}
