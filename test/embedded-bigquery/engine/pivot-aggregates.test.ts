/**
 * PIVOT (query-syntax#pivot_operator): a NULL pivot value takes the rows whose pivot column is NULL
 * and names its column NULL; an aggregate alias a names the columns a_100 (the value's own name, not
 * _100); aggregates that skip NULL inputs (ANY_VALUE, STRING_AGG with a delimiter and ORDER BY,
 * ARRAY_AGG with IGNORE NULLS, CORR over pairs) are taken over the matching rows only. Expected
 * values worked out by hand from the rows below.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

// (g, k, v, n): group g, pivot key k (NULL in two rows), value v, order n
const ROWS = `(SELECT 1 AS g, 100 AS k, 5 AS v, 1 AS n UNION ALL SELECT 1, 100, 7, 2 UNION ALL SELECT 1, NULL, 3, 3
  UNION ALL SELECT 2, 101, NULL, 4 UNION ALL SELECT 2, NULL, 9, 5 UNION ALL SELECT 2, 100, 1, 6)`;

async function table(sql: string): Promise<{ names: string[]; rows: unknown[][] }> {
  const r = await engine().query(sql, opts);
  return { names: (r.schema?.fields ?? []).map((f) => f.name), rows: r.rows.map((row) => row.f.map((c) => c.v)) };
}

describe('PIVOT values', () => {
  test('NULL takes the rows whose key is NULL; columns _100, _101 and the value alias', async () => {
    const got = await table(`SELECT * FROM (SELECT g, k, v FROM ${ROWS}) PIVOT(SUM(v) FOR k IN (100, 101, NULL AS none)) ORDER BY g`);
    expect(got.names).toEqual(['g', '_100', '_101', 'none']);
    expect(got.rows).toEqual([
      ['1', '12', null, '3'],
      ['2', '1', null, '9'],
    ]);
    // without an alias BigQuery names that column NULL, which the engine cannot tell from the literal's own name
    await expect(engine().query(`SELECT * FROM (SELECT g, k, v FROM ${ROWS}) PIVOT(SUM(v) FOR k IN (NULL))`, opts)).rejects.toThrow(/PIVOT value NULL without an alias/);
  });

  test('an aggregate alias prefixes the value name: s_100, s_minus_1, s_NULL; COUNT(*) counts matching rows', async () => {
    const got = await table(`SELECT * FROM (SELECT g, k FROM ${ROWS}) PIVOT(COUNT(*) AS s FOR k IN (100, -1, NULL)) ORDER BY g`);
    expect(got.names).toEqual(['g', 's_100', 's_minus_1', 's_NULL']);
    expect(got.rows).toEqual([
      ['1', '2', '0', '1'],
      ['2', '1', '0', '1'],
    ]);
  });
});

describe('aggregates that skip NULL inputs', () => {
  test('STRING_AGG with a delimiter and ORDER BY over the matching rows; its ORDER BY column is not a group key', async () => {
    const got = await table(`SELECT * FROM (SELECT g, k, v, n FROM ${ROWS}) PIVOT(STRING_AGG(CAST(v AS STRING), '-' ORDER BY n DESC) AS c FOR k IN (100, NULL)) ORDER BY g`);
    expect(got.names).toEqual(['g', 'c_100', 'c_NULL']);
    expect(got.rows).toEqual([
      ['1', '7-5', '3'],
      ['2', '1', '9'],
    ]);
  });

  test('ARRAY_AGG with IGNORE NULLS and ORDER BY; no matching row gives NULL', async () => {
    const got = await table(`SELECT g, a_100, a_101 IS NULL AS none FROM (SELECT g, k, v FROM ${ROWS}) PIVOT(ARRAY_AGG(v IGNORE NULLS ORDER BY v) AS a FOR k IN (100, 101)) ORDER BY g`);
    expect(got.rows).toEqual([
      ['1', [{ v: '5' }, { v: '7' }], 'true'],
      ['2', [{ v: '1' }], 'true'],
    ]);
  });

  test('ANY_VALUE over the matching rows, with several aggregates', async () => {
    const got = await table(`SELECT * FROM (SELECT k, v FROM ${ROWS} WHERE v IS NOT NULL) PIVOT(ANY_VALUE(IF(k IS NULL, v, 0)) AS a, MAX(v) AS m FOR k IN (101, NULL))`);
    expect(got.names).toEqual(['a_101', 'm_101', 'a_NULL', 'm_NULL']);
    expect(got.rows).toEqual([[null, null, expect.stringMatching(/^(3|9)$/), '9']]);
  });

  test('ARRAY_AGG that keeps NULLs, and HAVING MAX inside the aggregate, stay loud', async () => {
    const message = (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
    expect(await message(`SELECT * FROM (SELECT k, v FROM ${ROWS}) PIVOT(ARRAY_AGG(v) FOR k IN (100))`)).toMatch(/not supported by the embedded BigQuery/);
    expect(await message(`SELECT * FROM (SELECT k, v FROM ${ROWS}) PIVOT(MAX(v HAVING MAX k) FOR k IN (100))`)).toMatch(/not supported by the embedded BigQuery/);
  });
});
