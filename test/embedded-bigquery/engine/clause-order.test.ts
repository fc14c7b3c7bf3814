/**
 * QUALIFY before WINDOW (query-syntax#sql_syntax orders the clauses HAVING, QUALIFY, WINDOW), in a query
 * and in an ARRAY subquery (DFE-Digital's pageview_with_funnels names its windows after QUALIFY).
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

const rows = async (sql: string): Promise<unknown[]> => ((await engine.query(sql, opts)).rows ?? []).map((r) => r.f.map((c) => c.v));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-clause-order-'));
  engine = await createEngine({ dataPath: dir });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a named window after QUALIFY filters on the window function', async () => {
  // ordered 1, 2, 3: the first value is 1 for each, and only 2 and 3 are greater
  expect(await rows('SELECT x, FIRST_VALUE(x) OVER w AS f FROM UNNEST([3, 1, 2]) AS x QUALIFY f < x WINDOW w AS (ORDER BY x) ORDER BY x')).toEqual([
    ['2', '1'],
    ['3', '1'],
  ]);
  const nested = 'SELECT ARRAY(SELECT AS STRUCT x, LAG(x) OVER w AS prev FROM UNNEST([3, 1, 2]) AS x QUALIFY prev IS NOT NULL WINDOW w AS (ORDER BY x) ORDER BY x) AS a';
  expect(await rows(nested)).toEqual([[[{ v: { f: [{ v: '2' }, { v: '1' }] } }, { v: { f: [{ v: '3' }, { v: '2' }] } }]]]);
});
