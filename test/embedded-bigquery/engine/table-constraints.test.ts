/**
 * Table constraints (unenforced primary and foreign keys) are metadata: ALTER TABLE ADD/DROP PRIMARY KEY,
 * ADD CONSTRAINT ... FOREIGN KEY and DROP CONSTRAINT change tables.get's tableConstraints and
 * INFORMATION_SCHEMA.TABLE_CONSTRAINTS / KEY_COLUMN_USAGE; what BigQuery refuses is refused; no key is enforced.
 * Expected values are written by hand from BigQuery's documentation of these statements and views.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));
const ref = (tableId: string) => ({ projectId: P, datasetId: 'tc', tableId });

describe('table constraints through the engine', () => {
  let engine: EmbeddedEngine;
  const q = async (sql: string) => values((await engine.query(sql, opts)).rows);
  const constraints = async (tableId: string) => (await engine.getTable(ref(tableId))).tableConstraints;

  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
    await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'tc' } });
    await q('create table tc.customers (id int64, region string, name string)');
    await q('create table tc.orders (order_id int64, customer_id int64, region string, amount int64)');
    await q("insert into tc.customers values (1, 'eu', 'a'), (1, 'eu', 'duplicate id: keys are not enforced')");
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  test('ADD PRIMARY KEY ... NOT ENFORCED is kept in the table with the schema\'s spelling, and is not enforced', async () => {
    await q('alter table tc.customers add primary key (ID, region) not enforced');
    expect(await constraints('customers')).toEqual({ primaryKey: { columns: ['id', 'region'] } });
    await q("insert into tc.customers values (1, 'eu', 'a third row with the same key')");
    expect(await q('select count(*) from tc.customers where id = 1')).toEqual([['3']]);
  });

  test('a second primary key, a missing column and ENFORCED (or no enforcement clause) fail; the first key stays', async () => {
    await expect(q('alter table tc.customers add primary key (name) not enforced')).rejects.toThrow(/already has a primary key \(id, region\)/);
    await expect(q('alter table tc.orders add primary key (nope) not enforced')).rejects.toThrow(/Column nope in the primary key does not exist in table tc.orders/);
    await expect(q('alter table tc.orders add primary key (order_id) enforced')).rejects.toThrow(/NOT ENFORCED/);
    await expect(q('alter table tc.orders add primary key (order_id)')).rejects.toThrow(/must be declared NOT ENFORCED/);
    expect(await constraints('orders')).toBeUndefined();
    expect(await constraints('customers')).toEqual({ primaryKey: { columns: ['id', 'region'] } });
  });

  test('foreign keys, named and unnamed, and the INFORMATION_SCHEMA views', async () => {
    await q('alter table tc.orders add primary key (order_id) not enforced, add constraint cust_fk foreign key (customer_id, region) references tc.customers (id, region) not enforced');
    await q('alter table tc.orders add foreign key (customer_id) references tc.customers (id) not enforced');
    expect(await constraints('orders')).toEqual({
      primaryKey: { columns: ['order_id'] },
      foreignKeys: [
        { name: 'cust_fk', referencedTable: ref('customers'), columnReferences: [{ referencingColumn: 'customer_id', referencedColumn: 'id' }, { referencingColumn: 'region', referencedColumn: 'region' }] },
        { name: 'fk$1', referencedTable: ref('customers'), columnReferences: [{ referencingColumn: 'customer_id', referencedColumn: 'id' }] },
      ],
    });
    expect(await q('select constraint_name, table_name, constraint_type, enforced from tc.INFORMATION_SCHEMA.TABLE_CONSTRAINTS order by table_name, constraint_name')).toEqual([
      ['customers.pk$', 'customers', 'PRIMARY KEY', 'NO'],
      ['orders.cust_fk', 'orders', 'FOREIGN KEY', 'NO'],
      ['orders.fk$1', 'orders', 'FOREIGN KEY', 'NO'],
      ['orders.pk$', 'orders', 'PRIMARY KEY', 'NO'],
    ]);
    expect(await q("select constraint_name, column_name, ordinal_position from tc.INFORMATION_SCHEMA.KEY_COLUMN_USAGE where table_name = 'orders' order by constraint_name, ordinal_position")).toEqual([
      ['orders.cust_fk', 'customer_id', '1'],
      ['orders.cust_fk', 'region', '2'],
      ['orders.fk$1', 'customer_id', '1'],
      ['orders.pk$', 'order_id', '1'],
    ]);
    await expect(q('alter table tc.orders add constraint cust_fk foreign key (customer_id) references tc.customers (id) not enforced')).rejects.toThrow(/Constraint cust_fk already exists/);
    await q('alter table tc.orders add constraint if not exists cust_fk foreign key (customer_id) references tc.customers (id) not enforced');
    await expect(q('alter table tc.orders add foreign key (customer_id) references tc.missing (id) not enforced')).rejects.toThrow(/Not found: Table landform-local:tc.missing/);
    await expect(q('alter table tc.orders add foreign key (customer_id) references tc.customers (nope) not enforced')).rejects.toThrow(/Column nope in the referenced columns does not exist in table tc.customers/);
    expect((await constraints('orders'))?.foreignKeys?.map((f) => f.name)).toEqual(['cust_fk', 'fk$1']);
  });

  test('DROP CONSTRAINT by name (bare or table-qualified), DROP PRIMARY KEY [IF EXISTS]', async () => {
    await q('alter table tc.orders drop constraint `orders.fk$1`, drop constraint cust_fk');
    expect(await constraints('orders')).toEqual({ primaryKey: { columns: ['order_id'] } });
    await expect(q('alter table tc.orders drop constraint cust_fk')).rejects.toThrow(/Constraint cust_fk not found in table tc.orders/);
    await q('alter table tc.orders drop constraint if exists cust_fk');
    await q('alter table tc.orders drop primary key');
    expect(await constraints('orders')).toBeUndefined();
    await expect(q('alter table tc.orders drop primary key')).rejects.toThrow(/has no primary key to drop/);
    await q('alter table tc.orders drop primary key if exists');
    await q('alter table tc.customers drop constraint `pk$`');
    expect(await constraints('customers')).toBeUndefined();
    expect(await q('select count(*) from tc.INFORMATION_SCHEMA.TABLE_CONSTRAINTS')).toEqual([['0']]);
  });

  test('DFE-Digital\'s key script: drop if exists, drop foreign keys found in TABLE_CONSTRAINTS, then add, in one script', async () => {
    const script = `IF TRUE THEN
      ALTER TABLE tc.orders DROP PRIMARY KEY IF EXISTS;
      FOR constraint_to_drop IN (SELECT SPLIT(constraint_name, ".")[1] FROM tc.INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE constraint_type = "FOREIGN KEY" AND table_name = "orders")
      DO
        ALTER TABLE tc.orders DROP CONSTRAINT IF EXISTS constraint_to_drop;
      END FOR;
      ALTER TABLE tc.orders ADD PRIMARY KEY(order_id) NOT ENFORCED;
    END IF;`;
    await q(script);
    await q(script);
    expect(await constraints('orders')).toEqual({ primaryKey: { columns: ['order_id'] } });
  });
});

describe('table constraints through the real client', () => {
  let bq: TestBigQuery;
  let client: BigQuery;

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    await client.createDataset('tk');
    await client.query('create table tk.parent (id string, v int64)');
    await client.query('create table tk.child (id string, parent_id string)');
    await client.query('alter table tk.parent add primary key (id) not enforced');
    await client.query('alter table tk.child add constraint to_parent foreign key (parent_id) references tk.parent (id) not enforced');
  }, 60_000);
  afterAll(async () => {
    await bq?.stop();
  });

  test('tables.get carries tableConstraints as BigQuery spells them', async () => {
    const [parent] = await client.dataset('tk').table('parent').getMetadata();
    expect(parent.tableConstraints).toEqual({ primaryKey: { columns: ['id'] } });
    const [child] = await client.dataset('tk').table('child').getMetadata();
    expect(child.tableConstraints).toEqual({
      foreignKeys: [{ name: 'to_parent', referencedTable: { projectId: P, datasetId: 'tk', tableId: 'parent' }, columnReferences: [{ referencingColumn: 'parent_id', referencedColumn: 'id' }] }],
    });
  });
});
