/**
 * ALTER TABLE RENAME TO / RENAME COLUMN / ALTER COLUMN DROP NOT NULL / SET DATA TYPE: the data,
 * tables.get's schema and INFORMATION_SCHEMA.COLUMNS agree afterwards; what BigQuery refuses is refused.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));
const ref = (tableId: string) => ({ projectId: P, datasetId: 'at', tableId });

describe('ALTER TABLE', () => {
  let engine: EmbeddedEngine;
  const q = async (sql: string) => values((await engine.query(sql, opts)).rows);
  const schema = async (tableId: string) => (await engine.getTable(ref(tableId))).schema?.fields.map((f) => [f.name, f.type, f.mode ?? 'NULLABLE']);

  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
    await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'at' } });
    await q('create table at.orders (id int64 not null, amount int64, note string) cluster by note');
    await q("insert into at.orders values (1, 10, 'a'), (2, 20, 'b')");
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('RENAME COLUMN, DROP NOT NULL and SET DATA TYPE (INT64 to NUMERIC) change data, schema and COLUMNS together', async () => {
    await q('alter table at.orders rename column amount to total, alter column id drop not null, alter column total set data type numeric');
    expect(await schema('orders')).toEqual([['id', 'INTEGER', 'NULLABLE'], ['total', 'NUMERIC', 'NULLABLE'], ['note', 'STRING', 'NULLABLE']]);
    expect(await q("select column_name, data_type, is_nullable from at.INFORMATION_SCHEMA.COLUMNS where table_name = 'orders' order by ordinal_position")).toEqual([
      ['id', 'INT64', 'YES'],
      ['total', 'NUMERIC', 'YES'],
      ['note', 'STRING', 'YES'],
    ]);
    expect(await q('select id, total / 4 from at.orders order by id')).toEqual([['1', '2.5'], ['2', '5']]);
    await q("insert into at.orders (id, total, note) values (null, 1.25, 'c')");
    expect(await q('select count(*) from at.orders where id is null')).toEqual([['1']]);
  });

  test('refused: narrowing a type, renaming onto an existing column or a clustering column, an unknown column', async () => {
    await expect(engine.query('alter table at.orders alter column total set data type int64', opts)).rejects.toThrow(
      'ALTER TABLE ALTER COLUMN SET DATA TYPE requires that the existing column type (NUMERIC) is assignable to the new type (INT64)',
    );
    await expect(engine.query('alter table at.orders rename column total to note', opts)).rejects.toThrow('Column already exists: note');
    await expect(engine.query('alter table at.orders rename column note to memo', opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
    await expect(engine.query('alter table at.orders rename column nope to x', opts)).rejects.toThrow('Column nope not found in table at.orders');
    await q('alter table at.orders rename column if exists nope to x');
    expect(await schema('orders')).toEqual([['id', 'INTEGER', 'NULLABLE'], ['total', 'NUMERIC', 'NULLABLE'], ['note', 'STRING', 'NULLABLE']]);
  });

  test('RENAME TO moves the table, its rows and its catalog entry; the old name is gone, an existing name refused', async () => {
    await q('create table at.taken (x int64)');
    await expect(engine.query('alter table at.orders rename to taken', opts)).rejects.toThrow('Already Exists: Table landform-local:at.taken');
    await q('alter table at.orders rename to orders_v2');
    expect(await q('select count(*) from at.orders_v2')).toEqual([['3']]);
    await expect(engine.query('select * from at.orders', opts)).rejects.toMatchObject({ reason: 'notFound' });
    const meta = await engine.getTable(ref('orders_v2'));
    expect({ id: meta.id, clustering: meta.clustering, total: meta.schema?.fields[1] }).toEqual({ id: 'landform-local:at.orders_v2', clustering: { fields: ['note'] }, total: { name: 'total', type: 'NUMERIC', mode: 'NULLABLE' } });
    expect(await q("select table_name from at.INFORMATION_SCHEMA.TABLES order by table_name")).toEqual([['orders_v2'], ['taken']]);
    expect(engine.locks.busy).toBe(0);
  });
});

describe('INFORMATION_SCHEMA.VIEWS', () => {
  test('one row per view with its GoogleSQL text; tables are not listed', async () => {
    const engine = await EmbeddedEngine.open(':memory:');
    try {
      await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'vw' } });
      await engine.query('create table vw.base (n int64); create view vw.big as select n from vw.base where n > 10', opts);
      const r = await engine.query('select table_name, view_definition, check_option, use_standard_sql from vw.INFORMATION_SCHEMA.VIEWS', opts);
      expect(values(r.rows)).toEqual([['big', 'select n from vw.base where n > 10', null, 'YES']]);
    } finally {
      await engine.close();
    }
  });
});

describe('table clones, copies and snapshots', () => {
  let engine: EmbeddedEngine;
  const q = async (sql: string) => values((await engine.query(sql, opts)).rows);
  const sn = (tableId: string) => ({ projectId: P, datasetId: 'sn', tableId });

  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
    await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'sn' } });
    await q("create table sn.src (id int64, day date) partition by day cluster by id options (description = 'source'); insert into sn.src values (1, date '2024-01-01'), (2, date '2024-01-02')");
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('a snapshot keeps the rows of its moment and is read-only; a clone and a copy are tables of their own', async () => {
    await q('create snapshot table sn.snap clone sn.src');
    await q('create table sn.twin clone sn.src');
    await q('create table sn.copied copy sn.src');
    await q('insert into sn.src values (3, date \'2024-01-03\')');
    await q('delete from sn.twin where id = 1');
    expect(await q('select id from sn.snap order by id')).toEqual([['1'], ['2']]);
    expect(await q('select id from sn.twin order by id')).toEqual([['2']]);
    expect(await q('select id from sn.copied order by id')).toEqual([['1'], ['2']]);
    expect(await q('select count(*) from sn.src')).toEqual([['3']]);
    await expect(engine.query('delete from sn.snap where true', opts)).rejects.toThrow('Table snapshot sn.snap is read-only: DELETE cannot modify it');

    const snap = await engine.getTable(sn('snap'));
    expect({ type: snap.type, base: snap.snapshotDefinition?.baseTableReference, time: typeof snap.snapshotDefinition?.snapshotTime, numRows: snap.numRows, tp: snap.timePartitioning, cl: snap.clustering }).toEqual({
      type: 'SNAPSHOT', base: sn('src'), time: 'string', numRows: '2', tp: { type: 'DAY', field: 'day' }, cl: { fields: ['id'] },
    });
    expect((await engine.getTable(sn('twin'))).cloneDefinition?.baseTableReference).toEqual(sn('src'));
    expect((await engine.getTable(sn('copied'))).cloneDefinition).toBeUndefined();
    expect(await q("select table_name, table_type from sn.INFORMATION_SCHEMA.TABLES order by table_name")).toEqual([['copied', 'BASE TABLE'], ['snap', 'SNAPSHOT'], ['src', 'BASE TABLE'], ['twin', 'CLONE']]);

    await expect(engine.query('drop table sn.snap', opts)).rejects.toThrow('use DROP SNAPSHOT TABLE');
    await q('drop snapshot table sn.snap');
    expect(await q("select count(*) from sn.INFORMATION_SCHEMA.TABLES where table_name = 'snap'")).toEqual([['0']]);
  });

  test('FOR SYSTEM_TIME AS OF: now is the current rows; a time before the last change fails loudly (no time travel)', async () => {
    await q('create snapshot table sn.now_snap clone sn.src for system_time as of current_timestamp()');
    expect(await q('select count(*) from sn.now_snap')).toEqual([['3']]);
    await expect(engine.query('create snapshot table sn.old_snap clone sn.src for system_time as of timestamp_sub(current_timestamp(), interval 1 hour)', opts)).rejects.toThrow(
      /not supported by the embedded BigQuery/,
    );
    await expect(engine.query('create table sn.twin clone sn.src', opts)).rejects.toThrow('Already Exists: Table landform-local:sn.twin');
  });
});
