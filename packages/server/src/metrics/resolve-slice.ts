import { OutlayError, type MonitorSlice } from '@outlay/schema';
import type { ColumnInfo, Filter } from '@outlay/store';

/** `origin:ORD` → `{column: 'origin', value: 'ORD'}`; the value is everything after the first colon. */
export function parseSlice(text: string): MonitorSlice {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) throw new OutlayError('invalid_input', `slice: expected column:value (e.g. origin:ORD), got "${text}"`);
  return { column: text.slice(0, at), value: text.slice(at + 1) };
}

const coreSliceColumns = new Set(['model_version', 'customer']);

/**
 * The store filter for a slice: the model's segment of that name, else its feature, else a core column
 * (`model_version`, `customer`). The value is read as the column's type (`"3"` matches a numeric segment 3).
 */
export function sliceFilter(slice: MonitorSlice, columns: ColumnInfo[]): Filter {
  if (coreSliceColumns.has(slice.column)) {
    return { column: { source: 'core', name: slice.column as 'model_version' | 'customer' }, op: '=', value: String(slice.value) };
  }
  for (const source of ['segment', 'feature'] as const) {
    const found = columns.filter((c) => c.source === source && c.name === slice.column);
    if (found.length === 0) continue;
    for (const info of found) {
      const value = coerce(slice.value, info.type);
      if (value !== undefined) return { column: { source, name: info.name, type: info.type }, op: '=', value };
    }
    throw new OutlayError('invalid_input', `slice: ${source} "${slice.column}" is ${found.map((f) => f.type).join(' or ')}, and ${JSON.stringify(slice.value)} is not`, { details: { slice } });
  }
  const known = columns.filter((c) => c.source === 'segment' || c.source === 'feature').map((c) => c.name);
  throw new OutlayError('invalid_input', `slice: the model has no segment or feature "${slice.column}"${known.length ? `; it has ${[...new Set(known)].slice(0, 20).join(', ')}` : ''}`, {
    details: { slice },
  });
}

function coerce(value: MonitorSlice['value'], type: ColumnInfo['type']): string | number | boolean | undefined {
  if (type === 'string') return String(value);
  if (type === 'number') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}
