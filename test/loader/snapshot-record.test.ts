/**
 * The snapshot record's rule (loader/source/snapshot-record.ts) case by case, the window's xmin test
 * evaluated by Postgres across the 32-bit wrap, and what a real Postgres gives for a table, a view
 * and a role without the control functions' privilege.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { parseSnapshot, readSourceSnapshot, serializeSnapshot, usableSnapshot, MAX_SNAPSHOT_AGE, type SourceSnapshot } from '../../loader/source/snapshot-record.js';
import { windowFilter, type ExtractionWindow } from '../../loader/source/window.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';

const previous: SourceSnapshot = { snapshot: '1000:1005:1001,1003', system: '7300000000000000001', timeline: 1, database: 'postgres', relation: '"public"."t"', lookbackSeconds: 900 };
const now = (snapshot: string, changes: Partial<SourceSnapshot> = {}) => ({ snapshot: { ...previous, snapshot, ...changes } });
const HASH = 'a'.repeat(64);

describe('usableSnapshot', () => {
  test('the same cluster, timeline, database, relation, lookback and contract: the previous xmin bounds the lookback', () => {
    expect(usableSnapshot(previous, HASH, now('1200:1210:'), HASH)).toEqual({ xmin: 1000n });
  });
  test.each<[string, SourceSnapshot | null, string | null, ReturnType<typeof now> | { fallback: string }, RegExp]>([
    ['no record', null, HASH, now('1200:1210:'), /recorded no source snapshot/],
    ['no record possible now', previous, HASH, { fallback: 'the source is a standby' }, /standby/],
    ['another contract', previous, 'b'.repeat(64), now('1200:1210:'), /contract changed/],
    ['another lookback', previous, HASH, now('1200:1210:', { lookbackSeconds: 3600 }), /lookback changed/],
    ['another cluster', previous, HASH, now('1200:1210:', { system: '1' }), /cluster or timeline/],
    ['another timeline', previous, HASH, now('1200:1210:', { timeline: 2 }), /cluster or timeline/],
    ['another database', previous, HASH, now('1200:1210:', { database: 'other' }), /database or relation/],
    ['another relation', previous, HASH, now('1200:1210:', { relation: '"public"."u"' }), /database or relation/],
    // A restored backup: the current next ID (1004) is below the recorded xmax (1005).
    ['transaction IDs behind the record', previous, HASH, now('1002:1004:'), /behind the recorded snapshot/],
    ['a record 2^30 transactions old', previous, HASH, now(`1000:${1000n + MAX_SNAPSHOT_AGE}:`), /too many transactions old/],
  ])('%s: plain lookback', (_, prev, prevHash, current, reason) => {
    const outcome = usableSnapshot(prev, prevHash, current, HASH);
    expect('fallback' in outcome ? outcome.fallback : '').toMatch(reason);
  });
  test('one transaction short of 2^30 is still usable', () => {
    expect(usableSnapshot(previous, HASH, now(`1000:${1000n + MAX_SNAPSHOT_AGE - 1n}:`), HASH)).toEqual({ xmin: 1000n });
  });
});

describe('parseSnapshot', () => {
  test('round-trips a record and refuses anything else', () => {
    expect(parseSnapshot(serializeSnapshot(previous))).toEqual(previous);
    expect(parseSnapshot(null)).toBeNull();
    expect(parseSnapshot('not json')).toBeNull();
    expect(parseSnapshot(JSON.stringify({ ...previous, snapshot: "1:2:3'; drop" }))).toBeNull();
    expect(parseSnapshot(JSON.stringify({ ...previous, timeline: '1' }))).toBeNull();
  });
});

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
  await db.client.query(`create table t (reading_id bigint primary key, ingested_at timestamptz not null); create view v as select * from t`);
});

afterAll(async () => {
  await db?.stop();
});

describe('the window with a recorded snapshot, evaluated by Postgres', () => {
  const window = (snapshotXmin: string): ExtractionWindow => ({ kind: 'incremental', watermark: { cursor: '2026-01-01T10:00:00.000000Z', key: { reading_id: '42' } }, lookbackSeconds: 900, safetyLagSeconds: 0, snapshotXmin });
  const keys = [{ name: 'reading_id', udt: 'int8' }];

  /** Whether a row (id, cursor) with this 32-bit xmin is read, under a record with this 64-bit xmin. */
  async function read(snapshotXmin: string, rowXmin: number, id: number, cursor: string): Promise<boolean> {
    const filter = windowFilter(window(snapshotXmin), 'ingested_at', keys, 'r');
    const settings = Object.entries(filter.settings);
    await db.client.query('begin');
    try {
      await db.client.query(`select ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, settings.flat());
      // A subquery's column named xmin stands for the row version's system column.
      const result = await db.client.query<{ read: boolean }>(`select ${filter.where} as read from (select $1::text::xid as xmin, $2::bigint as reading_id, $3::timestamptz as ingested_at) as r`, [String(rowXmin), id, cursor]);
      return result.rows[0]?.read === true;
    } finally {
      await db.client.query('rollback');
    }
  }

  test('inside the lookback, below the watermark: read only when the xmin is at or above the record', async () => {
    // Record xmin 2^32 + 100 (epoch 1): its 32-bit part is 100.
    const x = String(2n ** 32n + 100n);
    expect(await read(x, 99, 1, '2026-01-01T09:50:00Z')).toBe(false);
    expect(await read(x, 100, 1, '2026-01-01T09:50:00Z')).toBe(true);
    expect(await read(x, 5000, 1, '2026-01-01T09:50:00Z')).toBe(true);
    // Past the watermark: always read; before the lookback: never.
    expect(await read(x, 99, 43, '2026-01-01T10:00:00Z')).toBe(true);
    expect(await read(x, 5000, 1, '2026-01-01T09:44:59Z')).toBe(false);
  });

  test('across the 32-bit wrap: IDs just after it follow a record just before it', async () => {
    const x = String(2n ** 32n - 10n); // 32-bit part 4294967286
    expect(await read(x, 4294967285, 1, '2026-01-01T09:50:00Z')).toBe(false);
    expect(await read(x, 4294967290, 1, '2026-01-01T09:50:00Z')).toBe(true);
    expect(await read(x, 3, 1, '2026-01-01T09:50:00Z')).toBe(true);
  });
});

describe('readSourceSnapshot against Postgres', () => {
  test('a table gives the snapshot, cluster and timeline; a view gives none', async () => {
    const table = await readSourceSnapshot(db.client, '"public"."t"', 900);
    const control = await db.client.query<{ system: string; timeline: number }>(`select (select system_identifier::text from pg_control_system()) as system, (select timeline_id from pg_control_checkpoint()) as timeline`);
    expect(table).toEqual({ snapshot: { snapshot: expect.stringMatching(/^\d+:\d+:/), system: control.rows[0]?.system, timeline: control.rows[0]?.timeline, database: 'postgres', relation: '"public"."t"', lookbackSeconds: 900 } });
    expect(await readSourceSnapshot(db.client, '"public"."v"', 900)).toEqual({ fallback: 'the source relation is not a table (relkind v)' });
  });

  test('a partitioned table of heap partitions gives a record; one with a foreign partition does not', async () => {
    await db.client.query(`create table parted (id bigint, at timestamptz not null) partition by range (at);
      create table parted_a partition of parted for values from ('2026-01-01') to ('2026-02-01');
      create table parted_b partition of parted for values from ('2026-02-01') to ('2026-03-01') partition by range (at);
      create table parted_b1 partition of parted_b for values from ('2026-02-01') to ('2026-02-15');`);
    expect(await readSourceSnapshot(db.client, '"public"."parted"', 900)).toMatchObject({ snapshot: { relation: '"public"."parted"' } });
    await db.client.query(`create foreign data wrapper h8_fdw; create server h8_server foreign data wrapper h8_fdw;
      create foreign table parted_b2 partition of parted_b for values from ('2026-02-15') to ('2026-03-01') server h8_server;`);
    expect(await readSourceSnapshot(db.client, '"public"."parted"', 900)).toEqual({ fallback: 'the source relation stores rows outside heap tables (a foreign partition or another access method)' });
    expect(await readSourceSnapshot(db.client, '"public"."t"', 900)).toMatchObject({ snapshot: { relation: '"public"."t"' } });
  });

  test('a role that may not run the control functions gets a fallback, not an error', async () => {
    await db.client.query(`revoke execute on function pg_control_system() from public; create role h8_reader login password 'h8'; grant select on t to h8_reader`);
    const url = new URL(db.url);
    url.username = 'h8_reader';
    url.password = 'h8';
    const reader = new pg.Client({ connectionString: url.toString() });
    await reader.connect();
    try {
      expect(await readSourceSnapshot(reader, '"public"."t"', 900)).toEqual({ fallback: 'no privilege on pg_control_system()/pg_control_checkpoint()' });
      // The connection is still usable (nothing failed on it).
      expect((await reader.query<{ n: number }>('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
    } finally {
      await reader.end();
    }
  });
});
