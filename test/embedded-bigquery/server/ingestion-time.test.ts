/**
 * Ingestion-time partitioned tables through the real client: `_PARTITIONTIME` / `_PARTITIONDATE`
 * can be selected and filtered and are not in `SELECT *`, the schema or tabledata; INSERT may set
 * `_PARTITIONTIME`; partition decorators (`table$YYYYMMDD`) on insertAll and load jobs write that
 * partition (WRITE_TRUNCATE replaces only it); INFORMATION_SCHEMA.PARTITIONS counts them.
 * And integer-range partitioning: rangePartitioning in tables.get and tables.list, its partitions.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

describe('ingestion-time partitioning', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  let dir: string;
  /** The UTC day(s) the first insert may have landed in (two only if it ran across midnight). */
  let today: string[];
  const rows = async (query: string) => (await client.query(query))[0] as Record<string, unknown>[];
  const plain = (v: unknown): unknown => (v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v);

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    dir = await mkdtemp(path.join(tmpdir(), 'ingestion-time-'));
    await client.createDataset('it');
    await client.query('create table it.events (id int64, name string) partition by _PARTITIONDATE');
    const before = utcDay(new Date());
    await client.query("insert into it.events values (1, 'a')");
    today = [...new Set([before, utcDay(new Date())])];
    await client.query("insert into it.events (id, name, _PARTITIONTIME) values (2, 'b', timestamp '2024-01-05')");
  });
  afterAll(async () => {
    await bq?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the pseudo-columns are selected by name and filter, and are in neither *, the schema nor tabledata', async () => {
    const got = (await rows('select id, _PARTITIONTIME as pt, _PARTITIONDATE as pd from it.events order by id')).map((r) => ({ id: r.id, pt: plain(r.pt), pd: plain(r.pd) }));
    expect(got).toEqual([
      { id: 1, pt: expect.stringMatching(new RegExp(`^(${today.join('|')})T00:00:00\\.000Z$`)), pd: expect.stringMatching(new RegExp(`^(${today.join('|')})$`)) },
      { id: 2, pt: '2024-01-05T00:00:00.000Z', pd: '2024-01-05' },
    ]);
    expect(await rows("select id from it.events where _PARTITIONDATE = '2024-01-05'")).toEqual([{ id: 2 }]);
    expect(await rows("select id from it.events where _PARTITIONTIME < timestamp '2025-01-01'")).toEqual([{ id: 2 }]);
    expect(await rows('select * from it.events order by id')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);

    const [meta] = await client.dataset('it').table('events').getMetadata();
    expect(meta.schema.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'name']);
    expect(meta.timePartitioning).toEqual({ type: 'DAY' });
    const [listed] = await client.dataset('it').table('events').getRows();
    expect(listed).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    expect(await rows("select column_name from it.INFORMATION_SCHEMA.COLUMNS where table_name = 'events' order by ordinal_position")).toEqual([{ column_name: 'id' }, { column_name: 'name' }]);
  });

  test('insertAll and load jobs into table$YYYYMMDD write that partition; a decorated WRITE_TRUNCATE replaces only it', async () => {
    await client.dataset('it').table('events$20240107').insert([{ id: 3, name: 'c' }]);
    const file = path.join(dir, 'jan5.ndjson');
    await writeFile(file, `${JSON.stringify({ id: 4, name: 'd' })}\n`);
    await client.dataset('it').table('events$20240105').load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE' });

    const got = (await rows('select id, _PARTITIONDATE as pd from it.events order by id')).map((r) => ({ id: r.id, pd: plain(r.pd) }));
    // id 2 was the only row of 2024-01-05: replaced by id 4; ids 1 and 3 untouched
    expect(got).toEqual([
      { id: 1, pd: expect.stringMatching(new RegExp(`^(${today.join('|')})$`)) },
      { id: 3, pd: '2024-01-07' },
      { id: 4, pd: '2024-01-05' },
    ]);
    const partitions = await rows("select partition_id, total_rows from it.INFORMATION_SCHEMA.PARTITIONS where table_name = 'events' order by partition_id");
    expect(partitions).toEqual([
      { partition_id: '20240105', total_rows: 1 },
      { partition_id: '20240107', total_rows: 1 },
      ...today.slice(0, 1).map(() => ({ partition_id: expect.stringMatching(new RegExp(`^(${today.map((d) => d.replace(/-/g, '')).join('|')})$`)), total_rows: 1 })),
    ]);
  });

  test('UPDATE of _PARTITIONTIME moves the row, _PARTITIONDATE follows', async () => {
    await client.query("update it.events set _PARTITIONTIME = timestamp '2024-02-01' where id = 1");
    const got = (await rows('select id, _PARTITIONDATE as pd from it.events where id = 1')).map((r) => ({ id: r.id, pd: plain(r.pd) }));
    expect(got).toEqual([{ id: 1, pd: '2024-02-01' }]);
    // only partition boundaries are partition times; the failed statement changed nothing
    await expect(client.query("update it.events set _PARTITIONTIME = timestamp '2024-02-01 10:00:00' where id = 1")).rejects.toThrow(/must be a day boundary/);
    expect((await rows('select _PARTITIONTIME as pt from it.events where id = 1')).map((r) => plain(r.pt))).toEqual(['2024-02-01T00:00:00.000Z']);
  });

  test('tables.insert with timePartitioning and no field makes the same kind of table', async () => {
    await client.dataset('it').createTable('api_events', { schema: { fields: [{ name: 'n', type: 'INTEGER' }] }, timePartitioning: { type: 'DAY' } });
    await client.dataset('it').table('api_events$20231231').insert([{ n: 7 }]);
    const got = (await rows('select n, _PARTITIONTIME as pt from it.api_events')).map((r) => ({ n: r.n, pt: plain(r.pt) }));
    expect(got).toEqual([{ n: 7, pt: '2023-12-31T00:00:00.000Z' }]);
    expect(await rows('select * from it.api_events')).toEqual([{ n: 7 }]);
  });

  test('a decorator on a table that is not ingestion-time partitioned, or that names no date, is refused', async () => {
    await client.query('create table it.plain (n int64)');
    await expect(client.dataset('it').table('plain$20240101').insert([{ n: 1 }])).rejects.toThrow(/only for ingestion-time partitioned tables/);
    await expect(client.dataset('it').table('events$20241399').insert([{ id: 9 }])).rejects.toThrow(/not a date/);
    expect(await rows('select count(*) as n from it.plain')).toEqual([{ n: 0 }]);
  });
});

describe('integer-range partitioning', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  const rows = async (query: string) => (await client.query(query))[0] as Record<string, unknown>[];

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    await client.createDataset('rp');
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('RANGE_BUCKET gives rangePartitioning; PARTITIONS names each partition by its start', async () => {
    await client.query('create table rp.scores (customer_id int64, v string) partition by range_bucket(customer_id, generate_array(-10, 100, 10)) options (require_partition_filter = true)');
    await client.query("insert into rp.scores values (-10, 'a'), (5, 'b'), (9, 'c'), (95, 'd'), (100, 'e'), (null, 'f')");
    const [meta] = await client.dataset('rp').table('scores').getMetadata();
    expect(meta.rangePartitioning).toEqual({ field: 'customer_id', range: { start: '-10', end: '100', interval: '10' } });
    expect(meta.requirePartitionFilter).toBe(true);
    const [tables] = await client.dataset('rp').getTables();
    expect(tables.map((t) => t.metadata.rangePartitioning)).toEqual([{ field: 'customer_id', range: { start: '-10', end: '100', interval: '10' } }]);
    // 100 is outside [-10, 100): unpartitioned; partitions start at -10, 0, ..., 90
    expect(await rows("select partition_id, total_rows from rp.INFORMATION_SCHEMA.PARTITIONS where table_name = 'scores' order by partition_id")).toEqual([
      { partition_id: '-10', total_rows: 1 },
      { partition_id: '0', total_rows: 2 },
      { partition_id: '90', total_rows: 1 },
      { partition_id: '__NULL__', total_rows: 1 },
      { partition_id: '__UNPARTITIONED__', total_rows: 1 },
    ]);
    await expect(client.query('select v from rp.scores')).rejects.toThrow(/partition/i);
    expect(await rows('select v from rp.scores where customer_id between 0 and 9 order by v')).toEqual([{ v: 'b' }, { v: 'c' }]);
    expect(await rows("select is_partitioning_column from rp.INFORMATION_SCHEMA.COLUMNS where table_name = 'scores' order by ordinal_position")).toEqual([
      { is_partitioning_column: 'YES' },
      { is_partitioning_column: 'NO' },
    ]);
  });

  test('bounds that are not integers, or an empty range, are refused', async () => {
    await expect(client.query('create table rp.bad (n int64) partition by range_bucket(n, generate_array(10, 0, 1))')).rejects.toThrow(/end must be above the start/);
    await expect(client.query('create table rp.bad (n int64) partition by range_bucket(n, generate_array(0, 1.5, 1))')).rejects.toThrow(/integer literals/);
  });
});
