/**
 * Three answers the embedded BigQuery gave silently wrong (issue 12), now BigQuery's or loud:
 * - a column shadows a script variable of the same name (procedural-language#declare: a variable
 *   "can be shadowed by a column name"): the engine substitutes variables by name, so it fails loudly;
 * - a script's result is its last statement's (real BigQuery returns an empty result for a script
 *   ending in DDL or DML, not the rows of an earlier SELECT);
 * - partitioning and clustering columns must exist in the schema, at most four clustering columns,
 *   of the types clustered-tables#limitations lists (BigQuery's messages: "The field specified for
 *   clustering cannot be found in the schema. Invalid field: b.", "5 clustering fields specified,
 *   exceeding the limit of 4.").
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions, QueryResult } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
let engine: Engine;
let dir: string;

const values = (r: QueryResult): unknown[] => (r.rows ?? []).map((row) => row.f.map((c) => c.v));
const failure = async (sql: string): Promise<{ reason?: string; message: string }> => {
  try {
    await engine.query(sql, opts);
  } catch (e) {
    return { reason: (e as { reason?: string }).reason, message: (e as Error).message };
  }
  throw new Error(`expected ${sql} to fail`);
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-script-fidelity-'));
  engine = await createEngine({ dataPath: dir });
  await engine.query('CREATE SCHEMA sf', opts);
  await engine.query('CREATE TABLE sf.t AS SELECT 1 AS x, 10 AS a', opts);
}, 60_000);
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a column of the same name as a script variable', () => {
  test('read by name from a temporary table fails loudly instead of answering with the variable', async () => {
    const f = await failure('DECLARE x INT64 DEFAULT 5; CREATE TEMP TABLE tt AS SELECT 1 AS x; SELECT x FROM tt;');
    expect(f.reason).toBe('invalidQuery');
    expect(f.message).toMatch(/Script variable x .*not supported by the embedded BigQuery/);
  });

  test('read by name from a dataset table, in a WHERE clause or through a subquery alias, fails loudly', async () => {
    expect((await failure('DECLARE x INT64 DEFAULT 5; SELECT a FROM sf.t WHERE x = 1;')).message).toMatch(/not supported by the embedded BigQuery/);
    expect((await failure('DECLARE x INT64 DEFAULT 5; SELECT x FROM (SELECT 7 AS x);')).message).toMatch(/not supported by the embedded BigQuery/);
  });

  test('a variable no column shadows, and a qualified column, keep their answers', async () => {
    expect(values(await engine.query('DECLARE v INT64 DEFAULT 5; SELECT v + a FROM sf.t;', opts))).toEqual([['15']]);
    expect(values(await engine.query('DECLARE x INT64 DEFAULT 5; SELECT t.x FROM sf.t AS t;', opts))).toEqual([['1']]);
    expect(values(await engine.query('DECLARE x INT64 DEFAULT 5; SELECT x;', opts))).toEqual([['5']]);
  });
});

describe("a script's result is its last statement's", () => {
  test('a script ending in a SELECT returns that SELECT', async () => {
    const r = await engine.query('SELECT 1 AS a; SELECT 2 AS b;', opts);
    expect(r.schema.fields.map((f) => f.name)).toEqual(['b']);
    expect(values(r)).toEqual([['2']]);
  });

  test('a script ending in DDL returns no rows and no schema', async () => {
    const r = await engine.query('SELECT 1 AS a; CREATE TEMP TABLE t2 AS SELECT 2 AS b;', opts);
    expect(r.statementType).toBe('SCRIPT');
    expect(r.schema.fields).toEqual([]);
    expect(r.rows ?? []).toEqual([]);
  });

  test('a script ending in DML returns no rows', async () => {
    await engine.query('CREATE TABLE sf.log (n INT64)', opts);
    const r = await engine.query('SELECT 1 AS a; INSERT INTO sf.log VALUES (3);', opts);
    expect(r.schema.fields).toEqual([]);
    expect(r.rows ?? []).toEqual([]);
    expect(values(await engine.query('SELECT n FROM sf.log', opts))).toEqual([['3']]);
  });
});

describe('partitioning and clustering columns are checked against the schema', () => {
  test('CLUSTER BY a column the table lacks is rejected with BigQuery\'s message and creates nothing', async () => {
    const f = await failure('CREATE TABLE sf.c1 (a INT64) CLUSTER BY b');
    expect(f).toEqual({ reason: 'invalidQuery', message: 'The field specified for clustering cannot be found in the schema. Invalid field: b.' });
    await expect(engine.getTable({ projectId: 'landform-local', datasetId: 'sf', tableId: 'c1' })).rejects.toMatchObject({ reason: 'notFound' });
  });

  test('PARTITION BY a column a CREATE TABLE AS SELECT does not produce is rejected', async () => {
    const f = await failure('CREATE TABLE sf.p1 PARTITION BY DATE(ts) AS SELECT 1 AS a');
    expect(f.message).toBe('The field specified for partitioning cannot be found in the schema. Invalid field: ts.');
    await expect(engine.getTable({ projectId: 'landform-local', datasetId: 'sf', tableId: 'p1' })).rejects.toMatchObject({ reason: 'notFound' });
  });

  test('more than four clustering columns, or a FLOAT64 or ARRAY one, are rejected', async () => {
    expect((await failure('CREATE TABLE sf.c2 (a INT64, b INT64, c INT64, d INT64, e INT64) CLUSTER BY a, b, c, d, e')).message).toBe('5 clustering fields specified, exceeding the limit of 4.');
    expect((await failure('CREATE TABLE sf.c3 (a INT64, f FLOAT64) CLUSTER BY a, f')).message).toMatch(/^Clustering field f is of type FLOAT64, which is not supported for clustering/);
    expect((await failure('CREATE TABLE sf.c4 (a INT64, r ARRAY<INT64>) CLUSTER BY r')).message).toMatch(/^Clustering field r is of type ARRAY<INT64>/);
  });

  test('valid partitioning and clustering (names in any case) are kept', async () => {
    await engine.query('CREATE TABLE sf.ok (ts TIMESTAMP, k STRING, n INT64) PARTITION BY DATE(ts) CLUSTER BY K, n', opts);
    const meta = await engine.getTable({ projectId: 'landform-local', datasetId: 'sf', tableId: 'ok' });
    expect(meta.timePartitioning?.field).toBe('ts');
    expect(meta.clustering?.fields).toEqual(['K', 'n']);
  });

  test('tables.insert with a clustering field the schema lacks is rejected', async () => {
    await expect(
      engine.createTable({ tableReference: { projectId: 'landform-local', datasetId: 'sf', tableId: 'ti' }, schema: { fields: [{ name: 'a', type: 'INT64' }] }, clustering: { fields: ['zz'] } }),
    ).rejects.toMatchObject({ reason: 'invalid', message: 'The field specified for clustering cannot be found in the schema. Invalid field: zz.' });
    await expect(engine.getTable({ projectId: 'landform-local', datasetId: 'sf', tableId: 'ti' })).rejects.toMatchObject({ reason: 'notFound' });
  });
});
