import type { DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';

/** One write: `prepare` runs outside the transaction (schema changes), `apply` inside it. */
export interface WriteJob<R> {
  rows: number;
  /** True when `prepare` will change the schema: the job then runs while no other write is open. */
  exclusive?: () => boolean;
  prepare?: (connection: DuckDBConnection) => Promise<void>;
  /** The careful way to apply the job on its own; also the fallback when `together` failed. */
  apply: (connection: DuckDBConnection) => Promise<R>;
  /**
   * A fast way to apply several jobs with the same key at once, tried first even for a lone job: a DuckDB
   * statement costs milliseconds however few its rows, so one write for ten batches beats ten. It may fail
   * where `apply` would not (a repeated id makes a direct append fail, in this transaction or at the commit of
   * a concurrent one); then every job of the group is retried alone with `apply`.
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
}

interface Lane {
  connection: DuckDBConnection;
  busy: boolean;
}

/**
 * Runs every write through a few connections ("lanes") and commits concurrent jobs together (group commit): a
 * commit costs a WAL write, so ten 1,000-row batches in one transaction are several times faster than ten
 * transactions, and with two lanes one group is appended while the other commits. Schema changes wait until
 * no other write is open. A promise resolves only after its transaction committed, so an acknowledged write is
 * durable.
 */
export class WriteQueue {
  private readonly queue: Queued[] = [];
  private readonly lanes: Lane[];
  private pending = 0;
  private exclusiveRunning = false;
  private closed = false;
  private idle: (() => void)[] = [];
  /** A lane is committing; the others keep filling their open transactions until it ends. */
  private committing = false;
  private wakers: (() => void)[] = [];

  constructor(
    connections: DuckDBConnection[],
    private readonly options: WriteQueueOptions,
  ) {
    this.lanes = connections.map((connection) => ({ connection, busy: false }));
  }

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
      this.pump();
      this.wake();
    });
  }

  /** Waits for queued writes, then refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.queue.length > 0 || this.lanes.some((l) => l.busy)) await new Promise<void>((resolve) => this.idle.push(resolve));
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

  /** Starts groups on free lanes; a group that changes the schema waits for every lane to be free. */
  private pump(): void {
    while (this.queue.length > 0 && !this.exclusiveRunning) {
      const lane = this.lanes.find((l) => !l.busy);
      if (!lane) return;
      const items = this.takeGroup();
      const exclusive = items.some((item) => item.job.exclusive?.() === true);
      if (exclusive && this.lanes.some((l) => l.busy)) {
        this.queue.unshift(...items);
        return;
      }
      lane.busy = true;
      this.exclusiveRunning = exclusive;
      void this.runGroup(lane.connection, items, exclusive).finally(() => {
        for (const item of items) this.pending -= item.job.rows;
        lane.busy = false;
        if (exclusive) this.exclusiveRunning = false;
        this.pump();
        if (this.queue.length === 0 && this.lanes.every((l) => !l.busy)) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  /** Wakes a group waiting to commit: a job arrived, or another lane's commit ended. */
  private wake(): void {
    for (const resolve of this.wakers.splice(0)) resolve();
  }

  /** Jobs from the head of the queue that may join an open group (none that change the schema). */
  private takeAbsorbable(rowsSoFar: number): Queued[] {
    const taken: Queued[] = [];
    let rows = rowsSoFar;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.job.exclusive?.() === true || rows + next.job.rows > this.options.maxGroupRows) break;
      taken.push(this.queue.shift()!);
      rows += next.job.rows;
    }
    return taken;
  }

  private async prepareAll(connection: DuckDBConnection, items: Queued[]): Promise<Queued[]> {
    const prepared: Queued[] = [];
    for (const item of items) {
      try {
        await item.job.prepare?.(connection);
        prepared.push(item);
      } catch (error) {
        item.reject(error);
      }
    }
    return prepared;
  }

  private async applyAll(connection: DuckDBConnection, prepared: Queued[]): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let i = 0; i < prepared.length; ) {
      const together = prepared[i]!.job.together;
      let j = i + 1;
      while (together && j < prepared.length && prepared[j]!.job.together?.key === together.key) j++;
      if (together) out.push(...(await together.apply(connection, prepared.slice(i, j).map((p) => p.job))));
      else out.push(await prepared[i]!.job.apply(connection));
      i = j;
    }
    return out;
  }

  /**
   * One transaction for a group. A commit is mostly a WAL fsync whatever its size (measured: 6.8 ms for a
   * one-row commit here), so while another lane's commit is in flight this group keeps absorbing the jobs that
   * arrive, and commits them all once that commit ends: one commit at a time, each as large as traffic allows.
   * `items` grows with what the group absorbs, so the caller releases their pending rows too.
   */
  private async runGroup(connection: DuckDBConnection, items: Queued[], exclusive: boolean): Promise<void> {
    const prepared = await this.prepareAll(connection, items);
    if (prepared.length === 0) return;
    let results: unknown[];
    try {
      await connection.run('BEGIN TRANSACTION');
      try {
        results = await this.applyAll(connection, prepared);
        while (this.committing && !exclusive) {
          await new Promise<void>((resolve) => this.wakers.push(resolve));
          const more = this.takeAbsorbable(prepared.reduce((sum, p) => sum + p.job.rows, 0));
          if (more.length === 0) continue;
          items.push(...more);
          const ready = await this.prepareAll(connection, more);
          prepared.push(...ready);
          results.push(...(await this.applyAll(connection, ready)));
        }
        this.committing = true;
        try {
          await connection.run('COMMIT');
        } finally {
          this.committing = false;
          this.wake();
        }
      } catch (error) {
        // A failed COMMIT has already rolled back, and then ROLLBACK itself fails; the first error is the one to report.
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
      prepared.forEach((item, i) => item.resolve(results[i]));
      return;
    } catch (error) {
      if (prepared.length === 1 && !prepared[0]!.job.together) {
        prepared[0]!.reject(error);
        return;
      }
    }
    // The fast path failed or one job spoiled the group: give every job its own careful transaction.
    for (const item of prepared) {
      try {
        item.resolve(await this.transaction(connection, () => item.job.apply(connection)));
      } catch (error) {
        item.reject(error);
      }
    }
  }

  private async transaction<T>(connection: DuckDBConnection, body: () => Promise<T>): Promise<T> {
    await connection.run('BEGIN TRANSACTION');
    try {
      const result = await body();
      await connection.run('COMMIT');
      return result;
    } catch (error) {
      // A failed COMMIT has already rolled back, and then ROLLBACK itself fails; the first error is the one to report.
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
