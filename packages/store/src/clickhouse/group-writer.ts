interface Waiting<T, R> {
  item: T;
  rows: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * One writer per key, and group commit: items submitted while a write for their key runs wait, then go together
 * in the next write (up to `maxGroupRows`). Each ClickHouse insert makes a part and costs a round trip, so four
 * concurrent 1,000-row batches cost one duplicate check and one insert instead of four of each. `write` answers
 * one result per item, in order; if it throws, every item of the group gets the error.
 */
export class GroupWriter<T, R> {
  private readonly queues = new Map<string, Waiting<T, R>[]>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly write: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxGroupRows: number,
  ) {}

  submit(key: string, item: T, rows: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, (queue = []));
      queue.push({ item, rows, resolve, reject });
      if (!this.running.has(key)) this.running.set(key, this.drain(key));
    });
  }

  /** Resolves when every item submitted so far is written or failed. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    // One microtask first, so that calls made in the same tick (a Promise.all of batches) join the first group.
    await Promise.resolve();
    while (queue.length > 0) {
      let rows = 0;
      let take = 0;
      while (take < queue.length && (take === 0 || rows + queue[take]!.rows <= this.maxGroupRows)) rows += queue[take++]!.rows;
      const group = queue.splice(0, take);
      try {
        const results = await this.write(key, group.map((g) => g.item));
        group.forEach((g, i) => g.resolve(results[i]!));
      } catch (error) {
        for (const g of group) g.reject(error);
      }
    }
    // Cleared in the same tick as the last emptiness check: a later submit finds no drain and starts one.
    this.queues.delete(key);
    this.running.delete(key);
  }
}
