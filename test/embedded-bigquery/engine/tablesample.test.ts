/**
 * TABLESAMPLE SYSTEM (n PERCENT) (query-syntax#tablesample_operator; docs/table-sampling): BigQuery
 * reads whole storage blocks, a table under 1 GB is one block it reads whole, and a percentage above 0
 * on a non-empty table always returns rows. Only tables can be sampled. (DFE-Digital's
 * dfe-analytics-dataform samples its events table in an assertion that 22 actions wait on.)
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
let engine: Engine;
let dir: string;

const values = async (sql: string): Promise<unknown[]> => {
  const r = await engine.query(sql, opts);
  return (r.rows ?? []).map((row) => row.f.map((c) => c.v));
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-tablesample-'));
  engine = await createEngine({ dataPath: dir });
  await engine.query('CREATE SCHEMA ts', opts);
  await engine.query("CREATE TABLE ts.events AS SELECT * FROM UNNEST([STRUCT(1 AS id, 'a' AS k), (2, 'b'), (3, 'c')])", opts);
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a one-block table is read whole for any percentage above 0, with or without an alias, beside a join', async () => {
  expect(await values('SELECT id FROM ts.events TABLESAMPLE SYSTEM (10 PERCENT) ORDER BY id')).toEqual([['1'], ['2'], ['3']]);
  expect(await values('SELECT e.k FROM `landform-local.ts.events` AS e TABLESAMPLE SYSTEM (0.5 PERCENT) ORDER BY e.k')).toEqual([['a'], ['b'], ['c']]);
  expect(await values('SELECT a.id, b.k FROM ts.events a TABLESAMPLE SYSTEM (1 PERCENT) JOIN ts.events b TABLESAMPLE SYSTEM (100 PERCENT) USING (id) WHERE a.id > 1 ORDER BY 1')).toEqual([
    ['2', 'b'],
    ['3', 'c'],
  ]);
});

test('a subquery, UNNEST or CTE cannot be sampled; percentages outside 0..100 fail; 0 PERCENT and parameters fail loudly', async () => {
  const onlyTables = { message: expect.stringMatching(/^TABLESAMPLE can only sample a table/) };
  await expect(engine.query('SELECT * FROM UNNEST([1, 2, 3]) AS x TABLESAMPLE SYSTEM (10 PERCENT)', opts)).rejects.toMatchObject(onlyTables);
  await expect(engine.query('SELECT * FROM (SELECT * FROM ts.events) TABLESAMPLE SYSTEM (10 PERCENT)', opts)).rejects.toMatchObject(onlyTables);
  await expect(engine.query('WITH c AS (SELECT 1 AS x) SELECT x FROM c TABLESAMPLE SYSTEM (10 PERCENT)', opts)).rejects.toMatchObject(onlyTables);
  await expect(engine.query('SELECT * FROM ts.events TABLESAMPLE SYSTEM (101 PERCENT)', opts)).rejects.toMatchObject({ message: expect.stringMatching(/between 0 and 100/) });
  await expect(engine.query('SELECT * FROM ts.events TABLESAMPLE SYSTEM (0 PERCENT)', opts)).rejects.toMatchObject({ message: expect.stringMatching(/not supported by the embedded BigQuery/) });
  await expect(engine.query('SELECT * FROM ts.events TABLESAMPLE SYSTEM (10 ROWS)', opts)).rejects.toMatchObject({ message: expect.stringMatching(/^Syntax error: TABLESAMPLE SYSTEM takes/) });
});
