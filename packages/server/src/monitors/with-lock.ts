const chains = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * Runs `task` after every earlier task with the same owner and key has settled: read-modify-write of one
 * JSON document in the store's meta or config (alert state, monitors) without lost updates inside this process.
 * Keyed by the store object, so the scheduler and the routes share it without sharing an instance.
 */
export function withLock<T>(owner: object, key: string, task: () => Promise<T>): Promise<T> {
  let byKey = chains.get(owner);
  if (!byKey) chains.set(owner, (byKey = new Map()));
  const previous = byKey.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  byKey.set(key, tail);
  void tail.then(() => {
    if (byKey.get(key) === tail) byKey.delete(key);
  });
  return run;
}
