// Seeded reference and current Parquet files for the drift scenario, written once into a cache directory
// under os.tmpdir() and reused while the seed, size and layout stay the same. Never committed.
import { cachedParquetPair } from '../cached-parquet-pair.js';

/** Bump when the column recipe changes, so an old cache is not reused. */
const LAYOUT = 1;

/** Numeric columns f00…f19; the ones listed in SHIFTED move by +0.3 of their std in the current file. */
const NUMERIC = 20;
export const SHIFTED = ['f03', 'f08', 'f13', 'f17'];
/** Categorical columns: c_region keeps its mix, c_plan changes it in the current file. */
export const SHIFTED_CATEGORICAL = ['c_plan'];

// u in (0, 1]: DuckDB random() is in [0, 1), so 1 - random() never reaches 0 (safe under ln).
const u = '(1 - random())';
const normal = `(sqrt(-2 * ln(${u})) * cos(2 * pi() * random()))`;

/** Column i: a distribution with known mean and std, so a shift of 0.3 std is exact. */
function numericColumn(i, shifted) {
  const name = `f${String(i).padStart(2, '0')}`;
  let expr;
  let std;
  switch (i % 4) {
    case 0: // normal(10 + i, 1 + i/10)
      std = 1 + i / 10;
      expr = `${10 + i} + ${std} * ${normal}`;
      break;
    case 1: // uniform(0, 100)
      std = 100 / Math.sqrt(12);
      expr = `100 * random()`;
      break;
    case 2: // exponential(rate 1/5): std 5
      std = 5;
      expr = `-5 * ln(${u})`;
      break;
    default: // lognormal(0, 0.5)
      std = Math.sqrt((Math.exp(0.25) - 1) * Math.exp(0.25));
      expr = `exp(0.5 * ${normal})`;
  }
  const shift = shifted ? ` + ${0.3 * std}` : '';
  return `(${expr}${shift})::DOUBLE AS ${name}`;
}

function select(rows, current) {
  const columns = [];
  for (let i = 0; i < NUMERIC; i++) {
    const name = `f${String(i).padStart(2, '0')}`;
    columns.push(numericColumn(i, current && SHIFTED.includes(name)));
  }
  columns.push(`['north', 'south', 'east', 'west', 'central'][1 + floor(random() * 5)::INTEGER] AS c_region`);
  // c_plan: free/pro/team 60/30/10 in the reference, 35/40/25 in the current file.
  const [a, b] = current ? [0.35, 0.75] : [0.6, 0.9];
  columns.push(`CASE WHEN random() < ${a} THEN 'free' ELSE CASE WHEN random() < ${(b - a) / (1 - a)} THEN 'pro' ELSE 'team' END END AS c_plan`);
  return `SELECT ${columns.join(',\n  ')}\nFROM range(${rows})`;
}

/**
 * Returns the paths of the two files, generating them first when the cache has no complete copy.
 * @param {{rows: number, seed: number, log: (line: string) => void}} opts
 */
export async function ensureDriftData({ rows, seed, log }) {
  const meta = { layout: LAYOUT, rows, seed, shifted: SHIFTED, shiftedCategorical: SHIFTED_CATEGORICAL };
  const { dir, files, generatedMs } = await cachedParquetPair({
    key: `drift-v${LAYOUT}-${rows}-${String(seed).replace('.', '_')}`,
    meta,
    seed,
    sides: [['reference', select(rows, false)], ['current', select(rows, true)]],
    log: (line) => log(`drift: ${line}`),
  });
  return { dir, reference: files.reference, current: files.current, generatedMs };
}
