import { OutlayError } from '@outlay/schema';

/**
 * `--condition` in one word: `static:>:0.25`, `relative:7:0.3[:increase|decrease|both]`,
 * `control_limits:ewma[:28]` (reference windows) → the monitor's condition object.
 */
export function parseCondition(text: string): Record<string, unknown> {
  const [type, ...rest] = text.split(':');
  const number = (value: string | undefined, what: string): number => {
    const n = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isFinite(n)) throw new OutlayError('invalid_input', `--condition: ${what} must be a number in "${text}"`);
    return n;
  };
  if (type === 'static' && rest.length === 2 && (rest[0] === '>' || rest[0] === '<')) return { type, op: rest[0], value: number(rest[1], 'the threshold') };
  if (type === 'relative' && (rest.length === 2 || rest.length === 3)) {
    return { type, baseline_windows: number(rest[0], 'baseline windows'), max_relative_change: number(rest[1], 'the maximum relative change'), ...(rest[2] ? { direction: rest[2] } : {}) };
  }
  if (type === 'control_limits' && (rest.length === 1 || rest.length === 2)) {
    return { type, smooth: rest[0], ...(rest[1] ? { reference_windows: number(rest[1], 'reference windows') } : {}) };
  }
  throw new OutlayError('invalid_input', `--condition: expected static:>:VALUE, static:<:VALUE, relative:WINDOWS:CHANGE[:increase|decrease|both] or control_limits:ewma|kalman[:WINDOWS], got "${text}"`);
}
