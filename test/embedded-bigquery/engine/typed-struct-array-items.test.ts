/**
 * Array literals whose elements are typed struct constructors with several fields,
 * `[STRUCT<a STRING, b STRING>('x', 'y'), ('p', 'q')]` (GoogleSQL "Struct type": the typed
 * constructor `STRUCT<...>(...)`, and tuple syntax `(expr, expr)` for the others, coerced to the
 * first element's type), as cloud-cost-management-toolkit seeds its region table
 * (`FROM UNNEST([STRUCT<gcp_region STRING, ...>(...), (...), ...])`). The commas inside the type's
 * angle brackets are not the array's. Expected values written by hand.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { memoryEngine } from '../support-memory-engine.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const run = async (sql: string) => {
  const r = await engine.query(sql, opts);
  return { fields: r.schema.fields.map((f) => `${f.name}:${f.type}`), rows: r.rows.map((row) => row.f.map((c) => c.v)) };
};

const engineOf = memoryEngine();
let engine: Engine;

beforeAll(async () => {
  engine = engineOf();
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'd' } });
});

describe('typed struct constructors with several fields in an array literal', () => {
  test('UNNEST of a typed struct and tuples gives the typed fields as columns', async () => {
    expect(await run("select * from unnest([struct<region string, n int64>('us-east1', 1), ('europe-west1', 2)])")).toEqual({
      fields: ['region:STRING', 'n:INTEGER'],
      rows: [['us-east1', '1'], ['europe-west1', '2']],
    });
  });

  test('a nested typed field (ARRAY<STRUCT<...>>) inside the element type', async () => {
    expect(await run("select e.a, e.b[offset(0)].d as d from unnest([struct<a int64, b array<struct<c int64, d string>>>(1, [(2, 'z')])]) as e")).toEqual({
      fields: ['a:INTEGER', 'd:STRING'],
      rows: [['1', 'z']],
    });
  });

  test('CREATE TABLE with a column list AS SELECT from such an array', async () => {
    await engine.query("create table d.regions (region string options(description='Region code.'), country string) as select region, country from unnest([struct<region string, country string>('asia-east1', 'Taiwan'), ('europe-west9', 'France')])", opts);
    expect(await run('select * from d.regions order by region')).toEqual({ fields: ['region:STRING', 'country:STRING'], rows: [['asia-east1', 'Taiwan'], ['europe-west9', 'France']] });
  });
});
