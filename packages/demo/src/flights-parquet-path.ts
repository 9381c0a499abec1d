import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OutlayError } from '@outlay/schema';

/**
 * Where `vega-datasets` keeps `flights-3m.parquet`: 3,000,000 US domestic flights, 1 January – 30 June 2001,
 * columns date (TIMESTAMP), delay (minutes), distance (miles), origin, destination (IATA codes).
 * The package exports no `./package.json`, so this resolves its entry (`build/index.js`) and walks up.
 */
export function flightsParquetPath(): string {
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  const path = join(dirname(dirname(entry)), 'data', 'flights-3m.parquet');
  if (!existsSync(path)) {
    throw new OutlayError('unavailable', `flights-3m.parquet not found at ${path}; is vega-datasets installed?`, {
      details: { path },
    });
  }
  return path;
}
