export interface BatchQueueOptions {
  batchSize: number;
  /** Upper bound on the summed length of the serialized rows of one batch, so a body stays under the server's limit. */
  maxBatchChars: number;
  /** Sends one batch of serialized rows; rejects when the batch is lost. */
  send: (rows: string[]) => Promise<void>;
  /** Told about every lost batch, including those nobody awaits (timer and size-triggered sends). */
  onError: (error: unknown) => void;
}

interface FlushWaiter {
  /** Resolves once this many rows, counted from the first ever pushed, have been sent and answered. */
  throughRow: number;
  errors: unknown[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A FIFO of serialized rows, sent one batch at a time: a batch is sent when `batchSize` rows are waiting,
 * or when `drain()`/`flush()` asks for everything pushed so far. One batch in flight at a time keeps rows in
 * order and makes a slow server push back on the caller through the queue bound instead of through memory.
 */
export class BatchQueue {
  private readonly options: BatchQueueOptions;
  private rows: string[] = [];
  private head = 0;
  // Counters over the queue's whole life; rows are taken and answered in push order, so a row's position
  // tells whether it has been answered.
  private pushedRows = 0;
  private takenRows = 0;
  private answeredRows = 0;
  private drainThroughRow = 0;
  private pumping: Promise<void> | null = null;
  private waiters: FlushWaiter[] = [];

  constructor(options: BatchQueueOptions) {
    this.options = options;
  }

  /** Rows pushed and not yet answered: waiting plus in flight. */
  get pendingRows(): number {
    return this.pushedRows - this.answeredRows;
  }

  push(row: string): void {
    this.rows.push(row);
    this.pushedRows += 1;
    if (this.pushedRows - this.takenRows >= this.options.batchSize) this.pump();
  }

  /** Starts sending everything pushed so far without waiting for it. */
  drain(): void {
    this.drainThroughRow = this.pushedRows;
    this.pump();
  }

  /** Resolves when everything pushed so far is answered; rejects with the first lost batch among them. */
  flush(): Promise<void> {
    const throughRow = this.pushedRows;
    if (this.answeredRows >= throughRow) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ throughRow, errors: [], resolve, reject });
      this.drain();
    });
  }

  private shouldSend(): boolean {
    const waitingRows = this.pushedRows - this.takenRows;
    return waitingRows >= this.options.batchSize || (waitingRows > 0 && this.takenRows < this.drainThroughRow);
  }

  private pump(): void {
    if (this.pumping !== null || !this.shouldSend()) return;
    this.pumping = this.sendWhileDue().finally(() => {
      this.pumping = null;
      // Rows pushed between the loop's last check and this callback would otherwise wait for the next trigger.
      this.pump();
    });
  }

  private async sendWhileDue(): Promise<void> {
    while (this.shouldSend()) {
      const batch = this.take();
      const firstRow = this.takenRows - batch.length;
      let lost = false;
      let error: unknown;
      try {
        await this.options.send(batch);
      } catch (sendError) {
        lost = true;
        error = sendError;
      }
      this.answeredRows += batch.length;
      if (lost) {
        for (const waiter of this.waiters) if (firstRow < waiter.throughRow) waiter.errors.push(error);
        this.report(error);
      }
      this.settleWaiters();
    }
  }

  private take(): string[] {
    const end = Math.min(this.rows.length, this.head + this.options.batchSize);
    let chars = 0;
    let last = this.head;
    // At least one row, even an oversized one: the server's 413 then names the problem.
    while (last < end && (last === this.head || chars + (this.rows[last]?.length ?? 0) <= this.options.maxBatchChars)) {
      chars += this.rows[last]?.length ?? 0;
      last += 1;
    }
    const batch = this.rows.slice(this.head, last);
    this.head = last;
    this.takenRows += batch.length;
    // Compact now and then instead of shifting on every take: shift is O(n) per call.
    if (this.head > 4096 && this.head * 2 > this.rows.length) {
      this.rows = this.rows.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private settleWaiters(): void {
    const open: FlushWaiter[] = [];
    for (const waiter of this.waiters) {
      if (this.answeredRows < waiter.throughRow) open.push(waiter);
      else if (waiter.errors.length === 0) waiter.resolve();
      else waiter.reject(waiter.errors[0]);
    }
    this.waiters = open;
  }

  private report(error: unknown): void {
    try {
      this.options.onError(error);
    } catch (hookError) {
      // A throwing hook must not stop the queue, and must not vanish either: rethrow it outside the loop.
      queueMicrotask(() => {
        throw hookError;
      });
    }
  }
}
