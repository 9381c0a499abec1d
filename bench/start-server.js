import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

const listeningLine = /listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/**
 * Spawns `node <args>` (no shell, so the pid is the server's own, which peak RSS needs) and resolves when it
 * prints `listening on http://127.0.0.1:PORT`. Keeps draining its output afterwards: a full pipe would
 * block the server's logging and so the server.
 * @example const server = await startServer(['bench/ingest-sink.js']); await server.stop();
 */
export async function startServer(args, { env = {}, cwd, startTimeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let onOutput = () => {};
  const keepTail = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
    onOutput();
  };
  // Both streams: where a server logs its "listening on" line is its own business.
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);

  const url = await new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(`no "listening on" line within ${startTimeoutMs} ms`), startTimeoutMs);
    function fail(reason) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')}: ${reason}\n--- output ---\n${output}`));
    }
    onOutput = () => {
      const match = listeningLine.exec(output);
      if (match !== null && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
    child.on('error', (error) => fail(error.message));
  });
  if (url.endsWith(':0')) {
    child.kill('SIGKILL');
    throw new Error(`node ${args.join(' ')} printed port 0; pass a free port instead (see freePort)`);
  }

  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid,
    output: () => output,
    /** Peak resident set size so far, from /proc (Linux only; null elsewhere). */
    peakRssBytes() {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return match === null ? null : Number(match[1]) * 1024;
      } catch {
        return null; // not Linux, or the process is gone: the report says "n/a"
      }
    },
    /** CPU time (user + system) used so far, from /proc (Linux only; null elsewhere). */
    cpuSeconds() {
      try {
        // The command name (field 2) may contain spaces, so count fields after its closing parenthesis:
        // utime and stime are fields 14 and 15 of proc(5), in clock ticks (USER_HZ, 100 on Linux).
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return null; // not Linux, or the process is gone: the report says "n/a"
      }
    },
    /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
    stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** A port nobody listens on right now, for servers that cannot be told `--port 0`. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
