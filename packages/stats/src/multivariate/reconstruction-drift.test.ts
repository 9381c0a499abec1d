import { describe, expect, it } from 'vitest';
import { reconstructionDrift, type MultivariateColumn } from './reconstruction-drift.js';

// Printed by packages/stats/golden/multivariate/make-golden.py (sklearn StandardScaler + PCA(0.65)).
const pcaGolden = {"ref_num": [[-0.18294335042169066, 0.03559954968980933, 0.20313861038960904], [0.27523642440100177, 0.6166256072934584, -0.46330757653841514], [-0.40088250350658794, -0.9157924586497432, 0.12726841122583082], [-0.8634654028751041, -1.758341608401446, -1.18719452785014], [-0.43899567650930005, -0.5016945438209839, -0.5793015965026732], [-1.0103396494594579, -2.4474365134314695, -0.1961959728044967], [-0.19153236848461283, 0.3781020116013564, 0.8987638721004078], [1.2863459559698698, 2.7162366988180415, 1.145222007454132], [-0.49705661309143684, -1.1768541553348257, -1.323527792484255], [-0.6091440012196097, -0.640824835737154, -0.7946423659870495], [0.33682847363465884, 1.20836201399581, 0.6469034225734218], [0.3091116805566677, 0.3539873456885545, -1.9924197841744944], [0.0075623411922346034, 0.23318336662723615, -0.46316986495236695], [-1.0113517686507647, -1.6879292143153537, -0.09728692567008902], [0.07683803987533439, -0.11513828253177177, 1.2570149772868198], [0.6145497269250981, 1.5954794690751375, 0.6894039005707556], [-1.347466717779634, -2.7083842906149886, -0.32721342022219785], [-0.36917677430190077, -0.715057253830138, -0.3685758940999591], [-1.9595827830751742, -3.3708887021048426, -0.25019540051792494], [-1.300707934743392, -2.781774154871648, 1.5235294004561601]], "ref_cat": "aabababcaabbacaaabca", "cur_num": [[0.1, 0.2, 0.0], [1.0, -2.0, 0.5], [-1.0, -2.1, 1.0], [0.5, 1.0, -3.0], [2.0, 4.1, 0.2]], "cur_cat": "abcdb", "components": 2, "explained": 0.7696183579179172, "reference_errors": [0.6020493490019807, 0.20113904624460296, 0.18639896975912426, 0.5219834216443354, 0.8241035070508768, 0.5757170010222847, 0.5667380899525573, 0.18649985653422393, 0.7710138101856253, 0.3810752127911364, 0.16026290898649193, 2.419230619179346, 0.14703564115632176, 0.5796344240243587, 1.6012873370061682, 0.8028370733306497, 0.4877857338140961, 0.611842852217077, 0.4496056196387248, 2.3141070391104086], "current_errors": [0.32222427837171613, 2.001629902283246, 0.5755134287653444, 4.35729917324975, 0.8589653077325372]};

function expectClose(actual: ArrayLike<number>, expected: readonly number[], relative = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(e))));
}

function goldenColumns(): MultivariateColumn[] {
  const numeric = [0, 1, 2].map((j): MultivariateColumn => ({
    kind: 'numeric',
    name: `x${j}`,
    reference: Float64Array.from(pcaGolden.ref_num, (row) => row[j]!),
    current: Float64Array.from(pcaGolden.cur_num, (row) => row[j]!),
  }));
  return [...numeric, { kind: 'categorical', name: 'c', reference: [...pcaGolden.ref_cat], current: [...pcaGolden.cur_cat] }];
}

describe('reconstructionDrift', () => {
  it('matches sklearn StandardScaler + PCA(0.65) reconstruction errors (NannyML recipe)', () => {
    const columns = goldenColumns();
    const result = reconstructionDrift(columns, { chunks: 4 });
    expect(result.components).toBe(pcaGolden.components);
    expect(result.explained_variance).toBeCloseTo(pcaGolden.explained, 10);
    const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(result.reference_error).toBeCloseTo(mean(pcaGolden.reference_errors), 10);
    expect(result.current_error).toBeCloseTo(mean(pcaGolden.current_errors), 10);
    // Chunk k of 4 holds reference rows 5k..5k+4.
    expectClose(result.reference_chunk_errors, [0, 1, 2, 3].map((k) => mean(pcaGolden.reference_errors.slice(5 * k, 5 * k + 5))), 1e-10);
  });

  it('does not drift on current data identical to the reference', () => {
    const columns = goldenColumns().map((c) => (c.kind === 'numeric' ? { ...c, current: c.reference } : { ...c, current: c.reference }));
    const result = reconstructionDrift(columns, { chunks: 4 });
    expect(result.current_error).toBeCloseTo(result.reference_error, 12);
    expect(result.drift).toBe(false);
    expect(result.lower).toBeGreaterThanOrEqual(0);
  });

  it('flags drift when the correlation between columns breaks', () => {
    // Seeded LCG so the test is reproducible.
    let seed = 12345;
    const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const rows = (n: number, correlated: boolean) => {
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = normal();
        b[i] = correlated ? a[i]! + 0.1 * normal() : normal();
      }
      return { a, b };
    };
    const ref = rows(5000, true);
    const same = rows(2000, true);
    const broken = rows(2000, false);
    const columns = (cur: { a: Float64Array; b: Float64Array }): MultivariateColumn[] => [
      { kind: 'numeric', name: 'a', reference: ref.a, current: cur.a },
      { kind: 'numeric', name: 'b', reference: ref.b, current: cur.b },
    ];
    expect(reconstructionDrift(columns(same)).drift).toBe(false);
    const drifted = reconstructionDrift(columns(broken));
    expect(drifted.drift).toBe(true);
    expect(drifted.current_error).toBeGreaterThan(drifted.upper);

    // Chunked: the current data is healthy for 2,000 rows, then broken for 2,000; chunks of 500 rows.
    const joined = (x: Float64Array, y: Float64Array) => {
      const out = new Float64Array(x.length + y.length);
      out.set(x);
      out.set(y, x.length);
      return out;
    };
    const mixed = { a: joined(same.a, broken.a), b: joined(same.b, broken.b) };
    const bySize = (n: number, size: number) => Int32Array.from({ length: n }, (_, i) => Math.floor(i / size));
    const chunked = reconstructionDrift(columns(mixed), { referenceChunkOf: bySize(5000, 500), currentChunkOf: bySize(4000, 500) });
    expect(chunked.reference_chunk_errors).toHaveLength(10);
    expect(chunked.current_chunks!.map((c) => c.drift)).toEqual([false, false, false, false, true, true, true, true]);
    for (const c of chunked.current_chunks!) {
      expect(c.rows).toBe(500);
      expect(c.sampling_error).toBeGreaterThan(0);
    }
    // Ten equal reference chunks given explicitly set the same thresholds as the default cut.
    const plain = reconstructionDrift(columns(mixed));
    expect(chunked.upper).toBeCloseTo(plain.upper, 12);
    expect(chunked.lower).toBeCloseTo(plain.lower, 12);
  });

  it('rejects a reference that falls into a single chunk', () => {
    const columns: MultivariateColumn[] = [
      { kind: 'numeric', name: 'a', reference: Float64Array.from({ length: 20 }, (_, i) => i), current: Float64Array.from([1, 2]) },
      { kind: 'numeric', name: 'b', reference: Float64Array.from({ length: 20 }, (_, i) => i % 3), current: Float64Array.from([1, 2]) },
    ];
    expect(() => reconstructionDrift(columns, { referenceChunkOf: new Int32Array(20) })).toThrow(/falls into 1 chunk/);
  });

  it('fills a missing number with the reference mean and a missing category with the most frequent one', () => {
    const reference = Float64Array.of(1, 2, 3, 4, NaN, 6, 7, 8, 9, 10);
    const categories = ['a', 'b', 'a', null, 'a', 'b', 'a', 'b', 'a', 'a'];
    const errorOf = (x: number, c: string | null) =>
      reconstructionDrift(
        [
          { kind: 'numeric', name: 'x', reference, current: Float64Array.of(x) },
          { kind: 'numeric', name: 'y', reference: Float64Array.of(5, 3, 8, 1, 9, 2, 7, 4, 6, 0), current: Float64Array.of(4) },
          { kind: 'numeric', name: 'z', reference: Float64Array.of(2, 2, 9, 1, 0, 7, 3, 3, 8, 5), current: Float64Array.of(4) },
          { kind: 'categorical', name: 'c', reference: categories, current: [c] },
        ],
        { chunks: 2 },
      ).current_error;
    // Reference mean of the present values: 50 / 9; most frequent category: 'a'.
    expect(errorOf(NaN, null)).toBeCloseTo(errorOf(50 / 9, 'a'), 12);
    expect(errorOf(NaN, 'a')).not.toBeCloseTo(errorOf(1, 'a'), 3);
  });

  it('rejects fewer reference rows than chunks', () => {
    expect(() => reconstructionDrift([{ kind: 'numeric', name: 'x', reference: Float64Array.of(1, 2), current: Float64Array.of(1) }])).toThrow(/chunk/);
  });
});
