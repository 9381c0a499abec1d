import type { MonitorRunner } from './monitor-runner.js';

/**
 * Evaluates every enabled monitor every `intervalMs` (a timer re-armed after each tick, so ticks never
 * overlap). A tick that fails is logged and the next one runs as planned; the timer does not keep the process
 * alive.
 */
export class MonitorScheduler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly runner: MonitorRunner,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
  ) {
    if (!(Number.isFinite(intervalMs) && intervalMs >= 10)) throw new RangeError(`MonitorScheduler: intervalMs is ${intervalMs}, expected at least 10`);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm();
  }

  /** Stops the timer, waits for a running tick, and for pending webhook deliveries at most `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.runner.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  /** One round of evaluations now. */
  async tick(): Promise<void> {
    try {
      const { monitors, failed } = await this.runner.evaluateAll();
      if (failed > 0) this.log(`monitors: ${failed} of ${monitors} evaluations failed; retried next tick`);
    } catch (error) {
      this.log(`monitors: the evaluation round failed, retried next tick: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.tick().finally(() => {
        this.current = null;
        this.arm();
      });
    }, this.intervalMs);
    this.timer.unref();
  }
}
