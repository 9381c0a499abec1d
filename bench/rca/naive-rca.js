#!/usr/bin/env node
// Baseline for the rca scenario, not the product: read every row of both Parquet files into JS through DuckDB
// (runAndReadAll), group them per leaf (one Map entry per distinct combination of the dimensions) in JS, then
// rank single-dimension values by the change of their rate num/den, Adtributor-like, in one pass: per value,
// the baseline and current rate, the change of rate, and the explanatory power (share of the change of the
// aggregate numerator that the value accounts for beyond its baseline rate). No multi-dimension slices.
//
//   node bench/rca/naive-rca.js BASELINE.parquet CURRENT.parquet d0,d1,… NUM DEN   → JSON on stdout
import { DuckDBInstance } from '@duckdb/node-api';

const [baselinePath, currentPath, dimList, num, den] = process.argv.slice(2);
if (!baselinePath || !currentPath || !dimList || !num || !den) {
  process.stderr.write('usage: naive-rca.js BASELINE.parquet CURRENT.parquet d0,d1,… NUM DEN\n');
  process.exit(2);
}
const dimensions = dimList.split(',');
const quote = (text) => `'${text.replaceAll("'", "''")}'`;

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
async function readRows(file) {
  const columns = [...dimensions.map((d) => `"${d}"::VARCHAR`), `"${num}"::DOUBLE`, `"${den}"::DOUBLE`].join(', ');
  const reader = await connection.runAndReadAll(`SELECT ${columns} FROM read_parquet(${quote(file)})`);
  return reader.getColumnsJS();
}
// Read both files fully first, as a naive script would.
const sides = [await readRows(baselinePath), await readRows(currentPath)];
connection.closeSync();
instance.closeSync();

// Group per leaf: key = the dimension values joined; value = [num0, den0, num1, den1].
const leaves = new Map();
sides.forEach((columns, side) => {
  const numbers = columns[dimensions.length];
  const denominators = columns[dimensions.length + 1];
  for (let i = 0; i < numbers.length; i++) {
    let key = columns[0][i];
    for (let d = 1; d < dimensions.length; d++) key += `\u0000${columns[d][i]}`;
    let leaf = leaves.get(key);
    if (leaf === undefined) leaves.set(key, (leaf = [0, 0, 0, 0]));
    leaf[2 * side] += numbers[i];
    leaf[2 * side + 1] += denominators[i];
  }
});

// One pass over the leaves: totals per single-dimension value.
const perValue = dimensions.map(() => new Map());
const total = [0, 0, 0, 0];
for (const [key, leaf] of leaves) {
  const values = key.split('\u0000');
  for (let k = 0; k < 4; k++) total[k] += leaf[k];
  values.forEach((value, d) => {
    let acc = perValue[d].get(value);
    if (acc === undefined) perValue[d].set(value, (acc = [0, 0, 0, 0]));
    for (let k = 0; k < 4; k++) acc[k] += leaf[k];
  });
}
const rate = (n, d) => (d > 0 ? n / d : 0);
const numChange = total[2] - total[0];
const ranked = [];
perValue.forEach((map, d) => {
  for (const [value, [n0, d0, n1, d1]] of map) {
    const r0 = rate(n0, d0);
    const r1 = rate(n1, d1);
    ranked.push({
      dimension: dimensions[d],
      value,
      baseline_rate: r0,
      current_rate: r1,
      rate_change: r1 - r0,
      // Excess numerator in the current period at the baseline rate, as a share of the total numerator change.
      explanatory_power: numChange !== 0 ? (n1 - r0 * d1) / numChange : 0,
    });
  }
});
ranked.sort((a, b) => Math.abs(b.rate_change) - Math.abs(a.rate_change));
process.stdout.write(
  `${JSON.stringify({
    leaves: leaves.size,
    rows: sides.map((s) => s[0].length),
    change: { baseline: rate(total[0], total[1]), current: rate(total[2], total[3]) },
    top: ranked.slice(0, 10),
  })}\n`,
);
