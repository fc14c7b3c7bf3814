/**
 * CREATE TABLE with key constraints (create_table_statement: column `PRIMARY KEY NOT ENFORCED` and
 * `REFERENCES t(c) NOT ENFORCED`, table `PRIMARY KEY (...) NOT ENFORCED` and `[CONSTRAINT name] FOREIGN
 * KEY (...) REFERENCES t(...) NOT ENFORCED`): kept in tables.get's tableConstraints and in
 * INFORMATION_SCHEMA.TABLE_CONSTRAINTS / KEY_COLUMN_USAGE, never enforced; ENFORCED keys are refused and
 * a refused statement creates no table. Expected values are written by hand from those pages.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));

describe('CREATE TABLE with key constraints', () => {
  let engine: EmbeddedEngine;
  const q = async (sql: string) => values((await engine.query(sql, opts)).rows);
  const constraints = async (tableId: string) => (await engine.getTable({ projectId: P, datasetId: 'ck', tableId })).tableConstraints;

  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
    await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'ck' } });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  test('column and table constraints land in tableConstraints and INFORMATION_SCHEMA', async () => {
    await q('create table ck.customers (id int64 primary key not enforced, name string)');
    await q(`create table ck.orders (order_id int64, region string, customer_id int64 references ck.customers(id) not enforced,
      primary key (order_id, REGION) not enforced, constraint fk_parent foreign key (order_id) references ck.orders(order_id) not enforced)`);
    expect(await constraints('customers')).toEqual({ primaryKey: { columns: ['id'] } });
    expect(await constraints('orders')).toEqual({
      primaryKey: { columns: ['order_id', 'region'] },
      foreignKeys: [
        { name: 'fk$1', referencedTable: { projectId: P, datasetId: 'ck', tableId: 'customers' }, columnReferences: [{ referencingColumn: 'customer_id', referencedColumn: 'id' }] },
        { name: 'fk_parent', referencedTable: { projectId: P, datasetId: 'ck', tableId: 'orders' }, columnReferences: [{ referencingColumn: 'order_id', referencedColumn: 'order_id' }] },
      ],
    });
    expect(await q('select constraint_name, table_name, constraint_type, enforced from ck.INFORMATION_SCHEMA.TABLE_CONSTRAINTS order by 1')).toEqual([
      ['customers.pk$', 'customers', 'PRIMARY KEY', 'NO'],
      ['orders.fk$1', 'orders', 'FOREIGN KEY', 'NO'],
      ['orders.fk_parent', 'orders', 'FOREIGN KEY', 'NO'],
      ['orders.pk$', 'orders', 'PRIMARY KEY', 'NO'],
    ]);
    expect(await q("select column_name, ordinal_position from ck.INFORMATION_SCHEMA.KEY_COLUMN_USAGE where constraint_name = 'orders.pk$' order by 2")).toEqual([['order_id', '1'], ['region', '2']]);
  });

  test('keys are not enforced; CREATE TABLE AS SELECT with a column list keeps its key', async () => {
    await q("insert into ck.customers values (1, 'a'), (1, 'same id')");
    expect(await q('select count(*) from ck.customers where id = 1')).toEqual([['2']]);
    await q('create table ck.copy (id int64 primary key not enforced) as select 7 as id');
    expect(await constraints('copy')).toEqual({ primaryKey: { columns: ['id'] } });
  });

  test('ENFORCED, no enforcement clause, a missing column and two primary keys are refused and create nothing', async () => {
    await expect(q('create table ck.bad (id int64 primary key enforced)')).rejects.toThrow(/NOT ENFORCED/);
    await expect(q('create table ck.bad (id int64, primary key (id))')).rejects.toThrow(/must be declared NOT ENFORCED/);
    await expect(q('create table ck.bad (id int64, primary key (nope) not enforced)')).rejects.toThrow(/Column nope in the primary key does not exist in table ck.bad/);
    await expect(q('create table ck.bad (id int64 primary key not enforced, primary key (id) not enforced)')).rejects.toThrow(/already has a primary key/);
    await expect(q('create table ck.bad (id int64 references ck.nowhere(id) not enforced)')).rejects.toThrow(/Not found: Table/);
    expect(await q("select count(*) from ck.INFORMATION_SCHEMA.TABLES where table_name = 'bad'")).toEqual([['0']]);
  });
});
