/** The loader's Postgres sessions carry their timeouts, as Postgres itself reports them. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { sourceClient } from '../../../loader/source/pg-client.js';
import { startTestPostgres, type TestPostgres } from '../../support/postgres.js';

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
});

afterAll(async () => {
  await db?.stop();
});

describe('sourceClient', () => {
  test('sets statement_timeout and idle_in_transaction_session_timeout on the session', async () => {
    const client = sourceClient(db.url, { connectMs: 5_000, statementMs: 90_000, idleInTransactionMs: 7_000 });
    await client.connect();
    try {
      const { rows } = await client.query<{ s: string; i: string; a: string }>(
        `select current_setting('statement_timeout') as s, current_setting('idle_in_transaction_session_timeout') as i, current_setting('application_name') as a`,
      );
      expect(rows).toEqual([{ s: '90s', i: '7s', a: 'landform-loader' }]);
    } finally {
      await client.end();
    }
  });

  test('a session left idle in its transaction is ended by Postgres, releasing the snapshot', async () => {
    const client = sourceClient(db.url, { connectMs: 5_000, statementMs: 90_000, idleInTransactionMs: 500 });
    await client.connect();
    await client.query('begin isolation level repeatable read read only');
    await client.query('select 1');
    // Generous bound: Postgres checks the timeout itself; this only waits for it to have acted.
    let remaining = Infinity;
    for (let i = 0; i < 100 && remaining > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { rows } = await db.client.query<{ n: string }>(`select count(*) as n from pg_stat_activity where application_name = 'landform-loader'`);
      remaining = Number(rows[0]?.n);
    }
    expect(remaining).toBe(0);
    await client.end().catch(() => undefined);
  });
});
