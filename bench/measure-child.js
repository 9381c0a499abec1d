// Runs a command as a child process and measures it: wall time, peak RSS and CPU. Shared by the scenarios
// that time the built CLI (drift, rca).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const TIME = '/usr/bin/time';

export function timingRow(label, results) {
  const wall = results.map((r) => r.wallMs / 1000);
  const rss = results.map((r) => r.peakRssBytes).filter((x) => x !== null);
  const cpu = results.map((r) => r.cpuSeconds).filter((x) => x !== null);
  return [
    label,
    results.length,
    round(Math.min(...wall), 2),
    round(median(wall), 2),
    round(Math.max(...wall), 2),
    rss.length ? Math.round(Math.max(...rss) / 1e6) : 'n/a',
    cpu.length ? round(median(cpu), 2) : 'n/a',
  ];
}

/**
 * Runs `node ARGS` as a child and measures wall time (spawn to exit) and peak RSS: `/usr/bin/time -v` when the
 * machine has it, else VmHWM from /proc/PID/status polled every 20 ms (the last reading before exit).
 */
export function measure(nodeArgs, cwd, scratch) {
  const useTime = existsSync(TIME);
  const timeFile = path.join(scratch, `time-${process.hrtime.bigint()}.txt`);
  const [command, commandArgs] = useTime ? [TIME, ['-v', '-o', timeFile, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    let stderr = '';
    let polledHwm = null;
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const poll = useTime
      ? null
      : setInterval(() => {
          readFile(`/proc/${child.pid}/status`, 'utf8').then(
            (text) => {
              const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(text)?.[1]);
              if (Number.isFinite(kb)) polledHwm = Math.max(polledHwm ?? 0, kb * 1024);
            },
            () => {},
          );
        }, 20);
    child.on('error', (error) => {
      if (poll) clearInterval(poll);
      reject(error);
    });
    child.on('exit', async (code) => {
      const wallMs = performance.now() - started;
      if (poll) clearInterval(poll);
      let peakRssBytes = polledHwm;
      let cpuSeconds = null;
      if (useTime) {
        try {
          const text = await readFile(timeFile, 'utf8');
          const kb = Number(/Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text)?.[1]);
          peakRssBytes = Number.isFinite(kb) ? kb * 1024 : null;
          const user = Number(/User time \(seconds\):\s*([\d.]+)/.exec(text)?.[1]);
          const system = Number(/System time \(seconds\):\s*([\d.]+)/.exec(text)?.[1]);
          cpuSeconds = Number.isFinite(user + system) ? user + system : null;
          // time -v exits with the command's status, and says so when the command was killed by a signal.
          if (/Command terminated by signal/.test(text)) stderr += `\n${text}`;
        } catch {
          // no report: leave the RSS unknown
        }
      }
      resolve({ code, wallMs, peakRssBytes, cpuSeconds, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (x, digits) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);
