/** Entry point of the embedded BigQuery's SQL engine (DuckDB behind the `Engine` interface). */
import { EmbeddedEngine } from './engine.js';
import type { Engine } from './types.js';

export type { Engine } from './types.js';
export { BigQueryApiError } from './types.js';

/** dataPath: ':memory:' or a directory (the DuckDB file `bigquery.duckdb` lives there, created if missing). */
export async function createEngine(options: { dataPath: string }): Promise<Engine> {
  return EmbeddedEngine.open(options.dataPath);
}
