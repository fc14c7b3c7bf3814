/**
 * INFORMATION_SCHEMA.TABLE_OPTIONS and TABLE_STORAGE, dataset- and region-level. TABLE_OPTIONS
 * (BigQuery's "TABLE_OPTIONS view" page): one row per option set, option_value a GoogleSQL literal.
 * TABLE_STORAGE ("TABLE_STORAGE view" page): one row per table or materialized view, logical bytes
 * at BigQuery's per-type sizes (pricing reference, "Data size calculation"): INT64 and DATE 8 bytes,
 * STRING 2 + its UTF-8 bytes, NULL 0; the expected figures below are worked out by hand from those.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));
const one = async (sql: string) => values((await engine.query(sql, opts)).rows);

let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-table-options-'));
  engine = await createEngine({ dataPath: dir });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'opt' } });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'other' } });
  await engine.query(`create table opt.events (a int64, s string, d date) partition by d
    options (description = 'one "row" per event', labels = [('team', 'data'), ('tier', 'gold')],
      expiration_timestamp = timestamp '2030-01-02 03:04:05 UTC', partition_expiration_days = 30, require_partition_filter = true);
    insert into opt.events values (1, 'abc', '2024-01-01'), (2, null, '2024-01-02'), (null, 'xy', null)`, opts);
  await engine.query("create table other.plain (x int64); insert into other.plain values (1), (2), (3)", opts);
  await engine.query("create view opt.v options (friendly_name = 'The view') as select a from opt.events where d = '2024-01-01'", opts);
  await engine.query('create materialized view opt.mv options (enable_refresh = false, refresh_interval_minutes = 90, max_staleness = interval 4 hour) as select s, count(*) as n from opt.events group by s', opts);
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('INFORMATION_SCHEMA.TABLE_OPTIONS', () => {
  test('one row per option, values printed as GoogleSQL literals', async () => {
    expect(await one("select table_name, option_name, option_type, option_value from opt.INFORMATION_SCHEMA.TABLE_OPTIONS order by table_name, option_name")).toEqual([
      ['events', 'description', 'STRING', '"one \\"row\\" per event"'],
      ['events', 'expiration_timestamp', 'TIMESTAMP', 'TIMESTAMP "2030-01-02T03:04:05.000Z"'],
      ['events', 'labels', 'ARRAY<STRUCT<STRING, STRING>>', '[STRUCT("team", "data"), STRUCT("tier", "gold")]'],
      ['events', 'partition_expiration_days', 'FLOAT64', '30.0'],
      ['events', 'require_partition_filter', 'BOOL', 'true'],
      ['mv', 'enable_refresh', 'BOOL', 'false'],
      ['mv', 'max_staleness', 'INTERVAL', 'INTERVAL "0-0 0 4:0:0" YEAR TO SECOND'],
      ['mv', 'refresh_interval_minutes', 'FLOAT64', '90.0'],
      ['v', 'friendly_name', 'STRING', '"The view"'],
    ]);
  });

  test('ALTER ... SET OPTIONS shows at once; NULL clears an option', async () => {
    await engine.query("alter table opt.events set options (description = null, labels = [('team', 'ml')])", opts);
    expect(await one("select option_name, option_value from opt.INFORMATION_SCHEMA.TABLE_OPTIONS where table_name = 'events' and option_name in ('description', 'labels')")).toEqual([
      ['labels', '[STRUCT("team", "ml")]'],
    ]);
    expect((await engine.getTable({ projectId: P, datasetId: 'opt', tableId: 'events' })).description).toBeUndefined();
  });

  test('region level covers every dataset of the project; a table without options has no row', async () => {
    expect(await one('select distinct table_schema from `region-us`.INFORMATION_SCHEMA.TABLE_OPTIONS order by 1')).toEqual([['opt']]);
    expect(await one("select count(*) from `landform-local`.`region-us`.INFORMATION_SCHEMA.TABLE_OPTIONS where table_name = 'plain'")).toEqual([['0']]);
  });
});

describe('INFORMATION_SCHEMA.TABLE_STORAGE', () => {
  test('rows, partitions and logical bytes at BigQuery per-type sizes; views have no row', async () => {
    // events: a 8 + 8 = 16; s (2+3) + (2+2) = 9; d 8 + 8 = 16; 41 bytes; partitions 20240101, 20240102, __NULL__
    // mv: groups 'abc', NULL, 'xy' with n INT64 each: s 5 + 4 = 9, n 3 * 8 = 24; 33 bytes
    expect(await one(`select table_name, table_type, total_rows, total_partitions, total_logical_bytes, active_logical_bytes, long_term_logical_bytes, deleted
      from opt.INFORMATION_SCHEMA.TABLE_STORAGE order by table_name`)).toEqual([
      ['events', 'BASE TABLE', '3', '3', '41', '41', '0', 'false'],
      ['mv', 'MATERIALIZED VIEW', '3', '0', '33', '33', '0', 'false'],
    ]);
    const t = await engine.getTable({ projectId: P, datasetId: 'opt', tableId: 'events' });
    expect(t.numBytes).toBe('41');
  });

  test('region level: every dataset; figures follow writes; the columns BigQuery has and this cannot give fail loudly', async () => {
    expect(await one('select project_id, table_schema, table_name, total_rows, total_logical_bytes from `region-us`.INFORMATION_SCHEMA.TABLE_STORAGE order by table_schema, table_name')).toEqual([
      [P, 'opt', 'events', '3', '41'],
      [P, 'opt', 'mv', '3', '33'],
      [P, 'other', 'plain', '3', '24'],
    ]);
    await engine.query("insert into other.plain values (4)", opts);
    expect(await one("select total_logical_bytes, storage_last_modified_time >= creation_time from `region-us`.INFORMATION_SCHEMA.TABLE_STORAGE where table_name = 'plain'")).toEqual([['32', 'true']]);
    expect(await one("select total_rows from `region-us`.INFORMATION_SCHEMA.TABLE_STORAGE_BY_PROJECT where table_name = 'plain'")).toEqual([['4']]);
    for (const column of ['total_physical_bytes', 'project_number', '*']) {
      await expect(engine.query(`select ${column} from \`region-us\`.INFORMATION_SCHEMA.TABLE_STORAGE`, opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/not supported by the embedded BigQuery/) });
    }
  });

  test('after 90 days without a write the bytes are long-term; where the last write is not known, those columns fail loudly', async () => {
    // a materialized view changes with its base tables: when it last changed is not known
    await expect(engine.query("select storage_last_modified_time from opt.INFORMATION_SCHEMA.TABLE_STORAGE where table_name = 'mv'", opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/not supported by the embedded BigQuery/) });
    const later = Date.now() + 91 * 24 * 3600 * 1000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      // plain (4 rows) and events were last written by this server: 91 days ago, so all long-term
      expect(await one("select table_name, active_logical_bytes, long_term_logical_bytes from `region-us`.INFORMATION_SCHEMA.TABLE_STORAGE where table_name in ('plain', 'events') order by 1")).toEqual([
        ['events', '0', '41'],
        ['plain', '0', '32'],
      ]);
      await expect(engine.query("select long_term_logical_bytes from opt.INFORMATION_SCHEMA.TABLE_STORAGE where table_name = 'mv'", opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
      expect(await one("select total_rows, total_logical_bytes from opt.INFORMATION_SCHEMA.TABLE_STORAGE where table_name = 'mv'")).toEqual([['3', '33']]);
    } finally {
      clock.mockRestore();
    }
  });
});
