/**
 * An in-memory engine for one test file: created before its tests, closed after them. Call at the
 * top of the file; the returned function gives the engine inside tests.
 */
import { afterAll, beforeAll } from '@jest/globals';
import { createEngine } from '../../packages/embedded-bigquery/src/engine/index.js';
import type { Cell, Engine, QueryOptions } from '../../packages/embedded-bigquery/src/engine/types.js';

export function memoryEngine(): () => Engine {
  let engine: Engine | undefined;
  beforeAll(async () => {
    engine = await createEngine({ dataPath: ':memory:' });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });
  return () => {
    if (!engine) throw new Error('the engine is created in beforeAll');
    return engine;
  };
}

/** The column names and cell values of `sql`'s result. */
export async function namesAndRows(engine: Engine, sql: string, options: QueryOptions): Promise<{ names: string[]; rows: Cell['v'][][] }> {
  const r = await engine.query(sql, options);
  return { names: r.schema.fields.map((f) => f.name), rows: r.rows.map((row) => row.f.map((c) => c.v)) };
}
