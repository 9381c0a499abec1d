import type { DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';

/** One write: `prepare` runs outside the transaction (schema changes), `apply` inside it. */
export interface WriteJob<R> {
  rows: number;
  prepare?: (connection: DuckDBConnection) => Promise<void>;
  /** The careful way to apply the job on its own; also the fallback when `together` failed. */
  apply: (connection: DuckDBConnection) => Promise<R>;
  /**
   * A fast way to apply several jobs with the same key at once, tried first even for a lone job: a DuckDB
   * statement costs milliseconds however few its rows, so one write for ten batches beats ten. It may fail
   * where `apply` would not (a repeated id makes a direct append fail); then every job of the group is retried
   * alone with `apply`.
   */
  together?: { key: string; apply: (connection: DuckDBConnection, jobs: WriteJob<R>[]) => Promise<R[]> };
}

interface Queued {
  job: WriteJob<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WriteQueueOptions {
  /** Rows accepted into the queue before writers are told to back off (429). */
  maxPendingRows: number;
  /** Rows committed together in one transaction (group commit). */
  maxGroupRows: number;
  /** Called when a group's transaction failed and its jobs are retried one by one (catalog caches reload). */
  onRollback?: () => Promise<void>;
}

/**
 * Serialises every write through one connection and commits concurrent jobs together (group commit): a commit
 * costs a WAL flush, so ten 1,000-row batches in one transaction are several times faster than ten transactions.
 * A promise resolves only after its transaction committed, so an acknowledged write is durable.
 */
export class WriteQueue {
  private readonly queue: Queued[] = [];
  private pending = 0;
  private running = false;
  private closed = false;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly options: WriteQueueOptions,
  ) {}

  pendingRows(): number {
    return this.pending;
  }

  enqueue<R>(job: WriteJob<R>): Promise<R> {
    if (this.closed) return Promise.reject(new OutlayError('unavailable', 'the store is closed'));
    if (this.pending > 0 && this.pending + job.rows > this.options.maxPendingRows) {
      return Promise.reject(
        new OutlayError('busy', `writes are behind (${this.pending} rows waiting); retry shortly`, {
          details: { pending_rows: this.pending, retry_after_seconds: 1 },
        }),
      );
    }
    this.pending += job.rows;
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job: job as unknown as WriteJob<unknown>, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Waits for queued writes, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private takeGroup(): Queued[] {
    const group: Queued[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (group.length > 0 && rows + next.job.rows > this.options.maxGroupRows) break;
      group.push(this.queue.shift()!);
      rows += next.job.rows;
    }
    return group;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        try {
          await this.runGroup(group);
        } finally {
          for (const item of group) this.pending -= item.job.rows;
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async runGroup(group: Queued[]): Promise<void> {
    const prepared: Queued[] = [];
    for (const item of group) {
      try {
        await item.job.prepare?.(this.connection);
        prepared.push(item);
      } catch (error) {
        item.reject(error);
      }
    }
    if (prepared.length === 0) return;
    try {
      const results = await this.transaction(async () => {
        const out: unknown[] = [];
        for (let i = 0; i < prepared.length; ) {
          const together = prepared[i]!.job.together;
          let j = i + 1;
          while (together && j < prepared.length && prepared[j]!.job.together?.key === together.key) j++;
          if (together) out.push(...(await together.apply(this.connection, prepared.slice(i, j).map((p) => p.job))));
          else out.push(await prepared[i]!.job.apply(this.connection));
          i = j;
        }
        return out;
      });
      prepared.forEach((item, i) => item.resolve(results[i]));
      return;
    } catch (error) {
      if (prepared.length === 1 && !prepared[0]!.job.together) {
        await this.options.onRollback?.();
        prepared[0]!.reject(error);
        return;
      }
    }
    // The fast path failed or one job spoiled the group: give every job its own careful transaction.
    await this.options.onRollback?.();
    for (const item of prepared) {
      try {
        item.resolve(await this.transaction(() => item.job.apply(this.connection)));
      } catch (error) {
        await this.options.onRollback?.();
        item.reject(error);
      }
    }
  }

  private async transaction<T>(body: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await body();
      await this.connection.run('COMMIT');
      return result;
    } catch (error) {
      // A failed COMMIT has already rolled back, and then ROLLBACK itself fails; the first error is the one to report.
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
