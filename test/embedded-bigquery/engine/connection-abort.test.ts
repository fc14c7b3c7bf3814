import { describe, expect, test } from '@jest/globals';
import { Database } from '../../../packages/embedded-bigquery/src/engine/database.js';
import { LONG_QUERY_DUCKDB } from './support-long-duckdb.js';

describe('a call aborted while its connection is being opened', () => {
  test('is refused before it runs: the abort is not lost', async () => {
    const db = await Database.open(':memory:');
    try {
      // Hold the only open connection so the next call must open (and set up) a new one.
      let release!: () => void;
      const held = db.withConnection(() => new Promise<void>((resolve) => (release = resolve)));
      const controller = new AbortController();
      let ran = false;
      const started = Date.now();
      const call = db.withConnection(async (conn) => {
        ran = true;
        await conn.run(LONG_QUERY_DUCKDB);
      }, controller.signal);
      // Synchronously after the call: the new connection is still being opened.
      controller.abort(new Error('aborted by the test'));
      await expect(call).rejects.toThrow('aborted by the test');
      expect(ran).toBe(false);
      expect(Date.now() - started).toBeLessThan(10_000);
      release();
      await held;
    } finally {
      await db.close();
    }
  }, 30_000);
});
