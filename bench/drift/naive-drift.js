// Baseline for the drift scenario, not the product: read every numeric column of both Parquet files fully
// into JS arrays through DuckDB, sort, and compute the two-sample Kolmogorov–Smirnov statistic per column by
// the textbook merge, with its asymptotic p-value. No sampling, no data quality, no categorical columns.
//
//   node bench/drift/naive-drift.js REFERENCE.parquet CURRENT.parquet   → JSON on stdout
import { DuckDBInstance } from '@duckdb/node-api';

const [referencePath, currentPath] = process.argv.slice(2);
if (!referencePath || !currentPath) {
  process.stderr.write('usage: naive-drift.js REFERENCE.parquet CURRENT.parquet\n');
  process.exit(2);
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();

const described = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${quote(referencePath)}))`);
const columns = described
  .getRowsJS()
  .filter(([, type]) => numericType.test(String(type)))
  .map(([name]) => String(name));

/** One column of one file as a plain JS array of numbers (NULLs dropped). */
async function readColumn(file, column) {
  const reader = await connection.runAndReadAll(`SELECT "${column}"::DOUBLE FROM read_parquet(${quote(file)}) WHERE "${column}" IS NOT NULL`);
  return reader.getColumnsJS()[0];
}

// Read both files fully first, as a naive script would, then compare.
const reference = new Map();
const current = new Map();
for (const column of columns) {
  reference.set(column, await readColumn(referencePath, column));
  current.set(column, await readColumn(currentPath, column));
}
connection.closeSync();
instance.closeSync();

/** Two-sample KS statistic D = max |F_ref(x) − F_cur(x)| by merging two sorted arrays. */
function ksStatistic(a, b) {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i], b[j]);
    while (i < n && a[i] <= x) i++;
    while (j < m && b[j] <= x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}

/** Asymptotic p-value of the KS statistic (Kolmogorov distribution, Stephens' correction). */
function ksPValue(d, n, m) {
  const en = Math.sqrt((n * m) / (n + m));
  const lambda = (en + 0.12 + 0.11 / en) * d;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

const results = [];
for (const column of columns) {
  const a = Float64Array.from(reference.get(column)).sort();
  const b = Float64Array.from(current.get(column)).sort();
  const d = ksStatistic(a, b);
  const p = ksPValue(d, a.length, b.length);
  results.push({ column, ks: d, p_value: p, drift: p < 0.05, reference_rows: a.length, current_rows: b.length });
}
process.stdout.write(`${JSON.stringify({ columns: results })}\n`);
