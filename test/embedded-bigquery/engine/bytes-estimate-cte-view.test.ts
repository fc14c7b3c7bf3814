/**
 * Partition pruning through a CTE referenced by name and into a view: BigQuery inlines both, so the
 * reading query's filter on the partitioning column prunes the table read inside them, as a filter
 * on a derived table does. A filter on an aggregate of the column, or above a LIMIT, selects rows
 * after the read and prunes nothing. Every query here uses every column its CTE or view outputs.
 * Column counts: k and d over both days: 48; over day 1: 32; over day 2: 16. With s: 60, 39, 21.
 *
 * Sizes by hand (INT64 and DATE 8 bytes, STRING 2 + UTF-8 bytes): ds.e (k INT64, d DATE, s STRING),
 * partitioned by d:
 *   2026-01-01: (1, 'a') k+d = 16, s = 3; (2, 'bb') 16, s = 4
 *   2026-01-02: (3, 'ccc') 16, s = 5
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
let engine: Engine;

beforeAll(async () => {
  engine = await createEngine({ dataPath: ':memory:' });
  await engine.createDataset({ datasetReference: { projectId: 'landform-local', datasetId: 'ds' } });
  await engine.query('create table ds.e (k INT64, d DATE, s STRING) partition by d', opts);
  await engine.query("insert into ds.e values (1, date '2026-01-01', 'a'), (2, date '2026-01-01', 'bb'), (3, date '2026-01-02', 'ccc')", opts);
  await engine.query('create view ds.v as select k, d from ds.e', opts);
  await engine.query("create view ds.v_day1 as select k, d from ds.e where d = date '2026-01-01'", opts);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const processed = async (sql: string) => (await engine.query(sql, opts)).totalBytesProcessed;

describe('pruning through a CTE referenced by name', () => {
  test("the outer query's filter on the column the CTE passes on prunes the CTE's read", async () => {
    expect(await processed("with c as (select k, d from ds.e) select k from c where d = date '2026-01-02'")).toBe(16);
    expect(await processed("with c as (select k, d from ds.e) select x.k from c as x where x.d >= date '2026-01-02'")).toBe(16);
    expect(await processed("with a as (select 1 as z), c as (select * from ds.e) select k, s from c where d < date '2026-01-02'")).toBe(39);
    // a CTE over a CTE
    expect(await processed("with b as (select k, d from ds.e), c as (select k, d from b) select k from c where d = date '2026-01-01'")).toBe(32);
  });

  test('a filter on an aggregate or above a LIMIT prunes nothing', async () => {
    expect(await processed("with c as (select k, max(d) as d from ds.e group by k) select * from c where d = date '2026-01-02'")).toBe(48);
    expect(await processed("with c as (select k, d from ds.e limit 5) select k from c where d = date '2026-01-02'")).toBe(48);
  });
});

describe('pruning into a view', () => {
  test("the reading query's filter prunes the view's table; the view's own filter too", async () => {
    expect(await processed("select k from ds.v where d = date '2026-01-02'")).toBe(16);
    expect(await processed("select count(k) from ds.v as w where w.d < date '2026-01-02'")).toBe(32);
    expect(await processed('select k, d from ds.v')).toBe(48);
    expect(await processed('select k, d from ds.v_day1')).toBe(32);
    expect(await processed("select k, d from ds.v_day1 where d = date '2026-01-02'")).toBe(0);
  });
});

describe('pruning through a derived table', () => {
  test('the column passed on unchanged prunes; an aggregate of it or a LIMIT does not', async () => {
    expect(await processed("select k from (select k, d from ds.e) where d = date '2026-01-02'")).toBe(16);
    expect(await processed("select * from (select k, max(d) as d from ds.e group by k) where d = date '2026-01-02'")).toBe(48);
    expect(await processed("select k from (select k, d from ds.e limit 5) where d = date '2026-01-02'")).toBe(48);
  });
});
