// Seeded baseline and current Parquet files for the rca scenario, written once into a cache directory under
// os.tmpdir() and reused while the seed, size and layout stay the same. Never committed.
import { cachedParquetPair } from '../cached-parquet-pair.js';

/** Bump when the recipe changes, so an old cache is not reused. */
const LAYOUT = 1;

/** Dimension columns d0…d5, each with VALUES string values v0…v9, uniform and independent. */
export const DIMENSIONS = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'];
export const VALUES = 10;
/** Error rate of every row, except inside the injected slice in the current file. */
export const BASE_RATE = 0.02;
export const SLICE = { d0: 'v3', d1: 'v7' };
export const SLICE_RATE = 0.2;

function select(rows, current) {
  const dims = DIMENSIONS.map((d) => `'v' || floor(random() * ${VALUES})::INTEGER AS ${d}`).join(',\n    ');
  const inSlice = Object.entries(SLICE).map(([d, v]) => `${d} = '${v}'`).join(' AND ');
  const rate = current ? `CASE WHEN ${inSlice} THEN ${SLICE_RATE} ELSE ${BASE_RATE} END` : `${BASE_RATE}`;
  return `SELECT ${DIMENSIONS.join(', ')}, (random() < ${rate})::INTEGER AS errors, 1::INTEGER AS requests
FROM (SELECT
    ${dims}
  FROM range(${rows}))`;
}

/**
 * Returns the paths of the two files, generating them first when the cache has no complete copy.
 * @param {{rows: number, seed: number, log: (line: string) => void}} opts
 */
export async function ensureRcaData({ rows, seed, log }) {
  const meta = { layout: LAYOUT, rows, seed, dimensions: DIMENSIONS, values: VALUES, baseRate: BASE_RATE, slice: SLICE, sliceRate: SLICE_RATE };
  const { dir, files, generatedMs } = await cachedParquetPair({
    key: `rca-v${LAYOUT}-${rows}-${String(seed).replace('.', '_')}`,
    meta,
    seed,
    sides: [['baseline', select(rows, false)], ['current', select(rows, true)]],
    log: (line) => log(`rca: ${line}`),
  });
  return { dir, baseline: files.baseline, current: files.current, generatedMs };
}
