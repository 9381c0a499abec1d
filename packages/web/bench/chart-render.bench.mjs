/* global document, window -- the page.evaluate callback runs in the browser */
// Render time of one 10,000-point line series in headless Chromium, uPlot vs ECharts (canvas renderer), both
// as shipped in node_modules. Each library draws the same seeded random walk into a 900×300 element; the
// time runs from the constructor call until the chart's canvas has been drawn (after pending microtasks and a
// macrotask, then a getImageData read that forces the canvas to finish), repeated with a fresh element each run.
// The first run includes the library's warm-up (JIT, font measurement); the median is the steady state. Run: node packages/web/bench/chart-render.bench.mjs
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const points = Number(process.env.POINTS ?? 10_000);
const runs = Number(process.env.RUNS ?? 15);

/** A library's browser build and version, or null when it is not installed (only uPlot is kept as a dependency). */
function installed(name, file) {
  try {
    return { file: require.resolve(`${name}/${file}`), version: require(`${name}/package.json`).version };
  } catch {
    console.error(`${name} is not installed: skipped (npm install --no-save ${name} to compare it again)`);
    return null;
  }
}

const libraries = Object.fromEntries(
  Object.entries({ uplot: installed('uplot', 'dist/uPlot.iife.min.js'), echarts: installed('echarts', 'dist/echarts.min.js') }).filter(([, lib]) => lib !== null),
);

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const results = [];
for (const [name, lib] of Object.entries(libraries)) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 400 } });
  await page.setContent('<!doctype html><body style="margin:0"></body>');
  await page.addScriptTag({ path: lib.file });
  const times = await page.evaluate(
    async ({ name, points, runs }) => {
      // mulberry32, seed 7: the same walk for both libraries.
      let seed = 7;
      const random = () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const xs = new Float64Array(points);
      const ys = new Float64Array(points);
      let y = 0;
      for (let i = 0; i < points; i++) {
        xs[i] = 1_700_000_000 + i * 60;
        y += random() - 0.5;
        ys[i] = y;
      }
      const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
      const readPixel = (el) => {
        for (const canvas of el.querySelectorAll('canvas')) canvas.getContext('2d')?.getImageData(450, 150, 1, 1);
      };
      const out = [];
      for (let run = 0; run < runs; run++) {
        const el = document.createElement('div');
        el.style.width = '900px';
        el.style.height = '300px';
        document.body.append(el);
        const started = performance.now();
        let dispose;
        if (name === 'uplot') {
          const plot = new window.uPlot(
            { width: 900, height: 300, series: [{}, { stroke: '#2f6fde' }], legend: { show: false } },
            [Array.from(xs), Array.from(ys)],
            el,
          );
          dispose = () => plot.destroy();
        } else {
          const chart = window.echarts.init(el, null, { renderer: 'canvas' });
          chart.setOption({
            animation: false,
            xAxis: { type: 'time' },
            yAxis: { type: 'value', scale: true },
            series: [{ type: 'line', showSymbol: false, data: Array.from(xs, (x, i) => [x * 1000, ys[i]]) }],
          });
          dispose = () => chart.dispose();
        }
        await settle();
        readPixel(el);
        out.push(performance.now() - started);
        dispose();
        el.remove();
      }
      return out;
    },
    { name, points, runs },
  );
  await page.close();
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const bytes = readFileSync(lib.file);
  results.push({
    library: name,
    version: lib.version,
    points,
    runs,
    first_ms: Math.round(times[0] * 10) / 10,
    median_ms: Math.round(median * 10) / 10,
    min_ms: Math.round(sorted[0] * 10) / 10,
    max_ms: Math.round(sorted.at(-1) * 10) / 10,
    minified_kb: Math.round(bytes.length / 1024),
    gzip_kb: Math.round(gzipSync(bytes).length / 1024),
  });
}
await browser.close();
console.log(JSON.stringify(results, null, 2));
