// Baseline for the ingest scenario: the least a server must do per batch (read the body over HTTP/1.1 and
// JSON.parse it), with no validation and no storage. Run against it, the load generator shows the ceiling
// of this machine and of itself, so a slow `outlay serve` cannot be blamed on the harness.
// Prints `listening on http://127.0.0.1:PORT` like `outlay serve`.
import http from 'node:http';

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const rows = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ received: rows.length, accepted: rows.length, duplicates: 0, rejected: [] }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
