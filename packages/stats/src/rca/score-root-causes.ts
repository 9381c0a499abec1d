import { sliceKey, type RcaSlice } from './search-ripple-slices.js';

export interface RootCauseCounts {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

/** Exact-match counts of a found root-cause set against the injected one (the F1 of Squeeze and RiskLoc). */
export function scoreRootCauses(found: readonly RcaSlice[], truth: readonly RcaSlice[]): RootCauseCounts {
  const canonical = (s: RcaSlice) => sliceKey(Object.fromEntries(Object.entries(s).sort(([a], [b]) => a.localeCompare(b))));
  const want = new Set(truth.map(canonical));
  const got = new Set(found.map(canonical));
  let tp = 0;
  for (const k of got) if (want.has(k)) tp++;
  return { truePositives: tp, falsePositives: got.size - tp, falseNegatives: want.size - tp };
}

/** Micro-averaged F1 over cases: 2·TP / (2·TP + FP + FN); 1 when there was nothing to find and nothing found. */
export function f1OfCounts(counts: readonly RootCauseCounts[]): number {
  let tp = 0;
  let wrong = 0;
  for (const c of counts) {
    tp += c.truePositives;
    wrong += c.falsePositives + c.falseNegatives;
  }
  return tp + wrong === 0 ? 1 : (2 * tp) / (2 * tp + wrong);
}
