import { join } from 'node:path';
import { OutlayError } from '@outlay/schema';
import { openDuckDbStore, type DuckDbStore } from '@outlay/store';

/**
 * Opens the DuckDB store in `dataDir` for a command that writes without a server, migrated. A server holding
 * the file's lock is a usage error telling the user to go through it (`what`: "import", "go").
 */
export async function openLocalStore(dataDir: string, what: string): Promise<DuckDbStore> {
  let store: DuckDbStore;
  try {
    store = await openDuckDbStore(join(dataDir, 'outlay.duckdb'));
  } catch (error) {
    if (/lock/i.test((error as Error).message)) {
      throw new OutlayError('invalid_input', `a server is running on ${dataDir}: use --server URL --key K to ${what} through it`, { cause: error });
    }
    throw error;
  }
  await store.migrate();
  return store;
}
