// Load generator for the ingest scenario, run as its own process so that its CPU does not count against
// the server's. Posts JSON-array batches of predictions over keep-alive HTTP/1.1 with a fixed number of
// requests in flight, for a bounded time, to 127.0.0.1 only. Prints one JSON report on stdout.
//
//   node bench/load-ingest.js --port P --key K [--seconds 20] [--concurrency 4] [--batch 1000]
//     [--features 20] [--seed 1] [--model bench-model] [--project NAME]
import http from 'node:http';
import { parseArgs } from 'node:util';
// The project's seeded generator (built package), so every run posts the same rows.
import { mulberry32 } from '@outlay/stats';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    key: { type: 'string' },
    project: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
    batch: { type: 'string', default: '1000' },
    features: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    model: { type: 'string', default: 'bench-model' },
    templates: { type: 'string', default: '8' },
  },
});
if (args.port === undefined || args.key === undefined) {
  process.stderr.write('load-ingest: --port and --key are required\n');
  process.exit(2);
}
const host = '127.0.0.1';
const port = Number(args.port);
const durationMs = Number(args.seconds) * 1000;
const concurrency = Number(args.concurrency);
const batchRows = Number(args.batch);
const featureCount = Number(args.features);
const templateCount = Number(args.templates);
const maxErrors = 10;

// Ids are `<batch sequence, 10 digits>-<row, 4 digits>`: the row part is fixed in the template and only the
// 10 sequence digits are rewritten per batch, so making a body costs 10 × batchRows byte writes, not a
// JSON.stringify of a whole batch.
const sequenceDigits = 10;
const sequencePlaceholder = '0'.repeat(sequenceDigits);

/** One body template and the byte offsets of the sequence digits of each of its ids. */
function makeTemplate(random, templateIndex) {
  const startMs = Date.UTC(2024, 2, 1);
  const rows = [];
  for (let row = 0; row < batchRows; row += 1) {
    const features = {};
    for (let f = 0; f < featureCount; f += 1) features[`f${String(f).padStart(2, '0')}`] = Math.round(random() * 1e6) / 1e4;
    const score = Math.round(random() * 1e4) / 1e4;
    rows.push({
      id: `${sequencePlaceholder}-${String(row).padStart(4, '0')}`,
      model: args.model,
      model_version: 'v1',
      timestamp: new Date(startMs + (templateIndex * batchRows + row) * 1000).toISOString(),
      features,
      prediction: score > 0.5 ? 1 : 0,
      score,
      segments: { region: ['eu', 'us', 'apac'][row % 3] },
    });
  }
  const bytes = Buffer.from(JSON.stringify(rows));
  const offsets = [];
  const marker = Buffer.from(`"id":"${sequencePlaceholder}-`);
  for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + marker.length)) offsets.push(at + 6);
  if (offsets.length !== batchRows) throw new Error(`template ${templateIndex}: found ${offsets.length} ids, expected ${batchRows}`);
  return { bytes, offsets };
}

const random = mulberry32(Number(args.seed));
const templates = Array.from({ length: templateCount }, (_, index) => makeTemplate(random, index));

let nextSequence = 1;
function stampSequence(template, sequence) {
  const digits = String(sequence).padStart(sequenceDigits, '0');
  const digitBytes = Buffer.from(digits, 'latin1');
  for (const offset of template.offsets) digitBytes.copy(template.bytes, offset);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const headers = { authorization: `Bearer ${args.key}`, 'content-type': 'application/json' };
if (args.project !== undefined) headers['x-outlay-project'] = args.project;

function post(body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, method: 'POST', path: '/v1/predictions', agent, headers: { ...headers, 'content-length': body.length } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const latenciesMs = [];
const report = { batches: 0, acceptedRows: 0, duplicateRows: 0, rejectedRows: 0, status429: 0, errors: 0, firstError: null };

function recordError(message) {
  report.errors += 1;
  report.firstError ??= message;
}

async function worker(workerIndex, deadlineMs) {
  // Each worker owns copies of the templates: a body being written to a socket must not be restamped.
  const own = templates.map((template) => ({ bytes: Buffer.from(template.bytes), offsets: template.offsets }));
  let turn = workerIndex;
  while (performance.now() < deadlineMs && report.errors < maxErrors) {
    const template = own[turn % own.length];
    turn += 1;
    stampSequence(template, nextSequence);
    nextSequence += 1;
    // A 429 resends the same body: ids make it idempotent, and the server asked for exactly this.
    for (;;) {
      const startedMs = performance.now();
      let response;
      try {
        response = await post(template.bytes);
      } catch (error) {
        recordError(`network: ${error.message}`);
        break;
      }
      if (response.status === 429) {
        report.status429 += 1;
        const retryAfterSeconds = Number(response.headers['retry-after'] ?? '1');
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 1) * 1000));
        continue;
      }
      if (response.status !== 200) {
        recordError(`HTTP ${response.status}: ${response.text.slice(0, 300)}`);
        break;
      }
      latenciesMs.push(performance.now() - startedMs);
      const result = JSON.parse(response.text);
      report.batches += 1;
      report.acceptedRows += result.accepted;
      report.duplicateRows += result.duplicates;
      report.rejectedRows += result.rejected.length;
      if (result.rejected.length > 0) recordError(`rejected rows: ${JSON.stringify(result.rejected[0]).slice(0, 300)}`);
      break;
    }
  }
}

/** Nearest-rank percentile of a sorted sample. */
function percentile(sorted, share) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

const cpuBefore = process.cpuUsage();
const startedMs = performance.now();
const deadlineMs = startedMs + durationMs;
await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index, deadlineMs)));
const wallMs = performance.now() - startedMs;
const cpu = process.cpuUsage(cpuBefore);
agent.destroy();

latenciesMs.sort((a, b) => a - b);
const round = (value) => (value === null ? null : Math.round(value * 10) / 10);
process.stdout.write(
  `${JSON.stringify({
    ...report,
    bodyBytes: templates[0].bytes.length,
    wallMs: round(wallMs),
    predictionsPerSecond: Math.round(report.acceptedRows / (wallMs / 1000)),
    // Cores the load generator kept busy: it shares the machine with the server.
    coresBusy: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100,
    ackMs: {
      p50: round(percentile(latenciesMs, 0.5)),
      p95: round(percentile(latenciesMs, 0.95)),
      p99: round(percentile(latenciesMs, 0.99)),
      max: round(latenciesMs.at(-1) ?? null),
    },
  })}\n`,
);
