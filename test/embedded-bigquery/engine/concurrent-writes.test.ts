/**
 * BigQuery's rules for concurrent work on one table, through the engine (no HTTP): reads never
 * wait; writes of one table queue while a statement writes it; a transaction keeps the tables it
 * wrote until COMMIT/ROLLBACK, statements outside it wait for it, another transaction that wants
 * one of them fails with BigQuery's error. Ordered by events (who holds a table, which promise
 * settled), never by durations: the long statements below run for minutes unless aborted.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { eventually, LONG_QUERY, within } from '../server/long-query.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));

/** A promise's state without waiting for it. */
function track<T>(p: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  return { promise: p, settled: () => done };
}

describe('concurrent work on the embedded engine', () => {
  let engine: EmbeddedEngine;
  const q = async (sql: string) => values((await engine.query(sql, opts)).rows);

  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
    await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'cw' } });
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('a short query answers while a long one runs', async () => {
    const stop = new AbortController();
    const long = track(engine.query(LONG_QUERY, { ...opts, signal: stop.signal }));
    expect(await within(30_000, 'the short query', q('select 40 + 2'))).toEqual([['42']]);
    expect(long.settled()).toBe(false);
    stop.abort(new Error('test over'));
    await expect(long.promise).rejects.toThrow();
  }, 60_000);

  test('writes of one table queue behind a running one; reads and other tables do not wait', async () => {
    await q('create table cw.queued (n int64)');
    await q('insert into cw.queued values (1)');
    await q('create table cw.other (n int64)');
    const stop = new AbortController();
    const update = track(engine.query(`update cw.queued set n = (${LONG_QUERY}) where true`, { ...opts, signal: stop.signal }));
    await eventually(async () => engine.locks.busy === 1, 'the update holds cw.queued');
    const insert = track(engine.query('insert into cw.queued values (2)', opts));
    const rowsInsert = track(engine.insertRows({ projectId: P, datasetId: 'cw', tableId: 'queued' }, [{ n: 3 }], {}));

    // meanwhile: a read sees the committed rows, a write elsewhere goes through
    expect(await within(30_000, 'the read', q('select n from cw.queued order by n'))).toEqual([['1']]);
    expect(await within(30_000, 'the other table', engine.query('insert into cw.other values (7)', opts))).toMatchObject({ numDmlAffectedRows: 1 });
    expect([update.settled(), insert.settled(), rowsInsert.settled()]).toEqual([false, false, false]);

    stop.abort(new Error('test over'));
    await expect(update.promise).rejects.toThrow();
    await within(30_000, 'the queued writes', Promise.all([insert.promise, rowsInsert.promise]));
    expect(await q('select n from cw.queued order by n')).toEqual([['1'], ['2'], ['3']]);
    expect(engine.locks.busy).toBe(0);
  }, 60_000);

  test('a transaction keeps its tables: a second transaction on one fails with BigQuery\'s error, a plain statement waits for the end', async () => {
    await q('create table cw.tx (n int64)');
    await q('insert into cw.tx values (1)');
    const stop = new AbortController();
    const first = track(engine.query(`begin transaction;
insert into cw.tx values (10);
select (${LONG_QUERY}) as n;
commit transaction;`, { ...opts, signal: stop.signal }));
    await eventually(async () => engine.locks.busy === 1, 'the transaction holds cw.tx');

    await expect(engine.query('begin transaction; delete from cw.tx where n = 1; commit transaction;', opts)).rejects.toThrow(
      'Could not serialize access to table landform-local:cw.tx due to concurrent update',
    );
    const plain = track(engine.query('insert into cw.tx values (20)', opts));
    // the failed transaction released nothing it did not hold, and the plain insert still waits
    expect(await q('select n from cw.tx order by n')).toEqual([['1']]);
    expect([first.settled(), plain.settled()]).toEqual([false, false]);

    stop.abort(new Error('test over'));
    await expect(first.promise).rejects.toThrow();
    await within(30_000, 'the plain insert', plain.promise);
    // the aborted transaction's row is gone, the delete never ran, the plain insert landed
    expect(await q('select n from cw.tx order by n')).toEqual([['1'], ['20']]);
  }, 60_000);

  test('a transaction waits for a plain statement on its table, then runs', async () => {
    await q('create table cw.waits (n int64)');
    const stop = new AbortController();
    const plain = track(engine.query(`insert into cw.waits select (${LONG_QUERY})`, { ...opts, signal: stop.signal }));
    await eventually(async () => engine.locks.busy === 1, 'the insert holds cw.waits');
    const tx = track(engine.query('begin transaction; insert into cw.waits values (5); commit transaction;', opts));
    expect(await q('select count(*) from cw.waits')).toEqual([['0']]);
    expect(tx.settled()).toBe(false);
    stop.abort(new Error('test over'));
    await expect(plain.promise).rejects.toThrow();
    await within(30_000, 'the transaction', tx.promise);
    expect(await q('select n from cw.waits')).toEqual([['5']]);
  }, 60_000);

  test('parallel CREATE OR REPLACE and reads: every read sees one whole version of the table and its catalog entry', async () => {
    await q('create table cw.swap as select 0 as v0');
    const table = { projectId: P, datasetId: 'cw', tableId: 'swap' };
    const work: Promise<unknown>[] = [];
    const seen: string[][] = [];
    for (let k = 1; k <= 12; k++) {
      work.push(engine.query(`create or replace table cw.swap as select ${k} as v${k}`, opts));
      work.push(
        engine.getTable(table).then((meta) => {
          seen.push((meta.schema?.fields ?? []).map((f) => f.name));
        }),
      );
      work.push(
        engine.query("select column_name from cw.INFORMATION_SCHEMA.COLUMNS where table_name = 'swap'", opts).then((r) => {
          seen.push(values(r.rows).map((row) => String(row[0])));
        }),
      );
    }
    await Promise.all(work);
    // one column named after one version each time: never none, never two
    for (const columns of seen) expect(columns).toEqual([expect.stringMatching(/^v([0-9]|1[0-2])$/)]);
    expect(seen).toHaveLength(24);
  }, 60_000);
});
