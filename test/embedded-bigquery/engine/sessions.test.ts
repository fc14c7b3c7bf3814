/**
 * BigQuery sessions at the engine ("Introduction to sessions", "Writing queries in sessions"):
 * temporary tables, variables and the session system variables (@@dataset_id, @@session_id)
 * persist across the session's queries and are visible nowhere else; a transaction may span
 * queries; CALL BQ.ABORT_SESSION() ends the session (its transaction rolled back); a session idle
 * for 24 hours ends; a query naming an ended or unknown session fails.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));

const engine = memoryEngine();

async function newSession(sql = 'select 1'): Promise<string> {
  const r = await engine().query(sql, { ...opts, createSession: true });
  expect(r.sessionId).toMatch(/^[0-9a-f]{40}$/);
  return r.sessionId!;
}
const inSession = async (id: string, sql: string) => values((await engine().query(sql, { ...opts, sessionId: id })).rows);

beforeAll(async () => {
  await engine().createDataset({ datasetReference: { projectId: P, datasetId: 'sess' } });
  await engine().query('create table sess.t (x int64); insert into sess.t values (1), (2)', opts);
});

describe('sessions', () => {
  test('temporary tables live across the session and are seen by name and as _SESSION.t', async () => {
    const id = await newSession('create temp table tt as select x * 10 as y from sess.t');
    expect(await inSession(id, 'select sum(y) from tt')).toEqual([['30']]);
    await engine().query('insert into _SESSION.tt values (5)', { ...opts, sessionId: id });
    expect(await inSession(id, 'select count(*), sum(y) from _SESSION.tt')).toEqual([['3', '35']]);
    await engine().query('drop table tt', { ...opts, sessionId: id });
    await expect(engine().query('select * from tt', { ...opts, sessionId: id })).rejects.toMatchObject({ reason: 'invalidQuery' });
  });

  test("another session and a sessionless query do not see a session's temporary table", async () => {
    const a = await newSession('create temp table mine (v string); insert into mine values ("a")');
    const b = await newSession();
    expect(await inSession(a, 'select v from mine')).toEqual([['a']]);
    await expect(engine().query('select v from _SESSION.mine', { ...opts, sessionId: b })).rejects.toMatchObject({ reason: 'notFound' });
    await expect(engine().query('select v from _SESSION.mine', opts)).rejects.toMatchObject({ reason: 'notFound' });
    await expect(engine().query('select v from mine', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/must be qualified with a dataset/) });
  });

  test('variables, @@dataset_id and @@session_id persist across the queries of a session', async () => {
    const id = await newSession("declare n int64 default 41; set @@dataset_id = 'sess'");
    await engine().query('set n = n + 1', { ...opts, sessionId: id });
    expect(await inSession(id, 'select n, @@session_id, (select count(*) from t)')).toEqual([['42', id, '2']]);
    await expect(engine().query('select n', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    expect(values((await engine().query('select @@session_id', opts)).rows)).toEqual([[null]]);
  });

  test('a transaction spans queries of the session; other queries see it only after COMMIT', async () => {
    const id = await newSession('begin transaction; insert into sess.t values (100)');
    expect(await inSession(id, 'select count(*) from sess.t')).toEqual([['3']]);
    expect(values((await engine().query('select count(*) from sess.t', opts)).rows)).toEqual([['2']]);
    await engine().query('commit transaction', { ...opts, sessionId: id });
    expect(values((await engine().query('select count(*) from sess.t', opts)).rows)).toEqual([['3']]);
    await engine().query('delete from sess.t where x = 100', opts);
  });

  test('CALL BQ.ABORT_SESSION() rolls back and ends the session; later queries say it was terminated', async () => {
    const id = await newSession('create temp table gone (x int64); begin transaction; insert into sess.t values (7)');
    await engine().query('call BQ.ABORT_SESSION()', { ...opts, sessionId: id });
    await expect(engine().query('select 1', { ...opts, sessionId: id })).rejects.toMatchObject({ reason: 'invalidQuery', message: `Session ${id} has been terminated` });
    expect(values((await engine().query('select count(*) from sess.t where x = 7', opts)).rows)).toEqual([['0']]);
    await expect(engine().query('call BQ.ABORT_SESSION()', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });

  test('temporary SQL functions live across the session; ABORT_SESSION(id) from outside the session ends it', async () => {
    const id = await newSession('create temp function plus_one(x int64) as (x + 1)');
    expect(await inSession(id, 'select plus_one(41)')).toEqual([['42']]);
    await expect(engine().query('select plus_one(41)', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
    await engine().query(`call BQ.ABORT_SESSION('${id}')`, opts);
    await expect(engine().query('select 1', { ...opts, sessionId: id })).rejects.toMatchObject({ message: `Session ${id} has been terminated` });
  });

  test('a temporary JavaScript function lives across the session too', async () => {
    const id = await newSession("create temp function js_double(x float64) returns float64 language js as 'return x * 2;'");
    expect(await inSession(id, 'select js_double(2.5)')).toEqual([['5']]);
  });

  test('an unknown session id is refused; queries of one session run one at a time, in order', async () => {
    await expect(engine().query('select 1', { ...opts, sessionId: 'nope' })).rejects.toMatchObject({ reason: 'notFound', message: 'Not found: Session nope' });
    const id = await newSession('create temp table seq (i int64)');
    await Promise.all([1, 2, 3, 4].map((i) => engine().query(`insert into seq values (${i})`, { ...opts, sessionId: id })));
    expect(await inSession(id, 'select string_agg(cast(i as string), "," order by i), count(*) from seq')).toEqual([['1,2,3,4', '4']]);
  });

  test('a session idle for 24 hours has ended', async () => {
    const id = await newSession();
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 24 * 3600 * 1000 + 1000);
    try {
      await expect(engine().query('select 1', { ...opts, sessionId: id })).rejects.toMatchObject({ message: `Session ${id} has been terminated` });
    } finally {
      clock.mockRestore();
    }
  });
});
