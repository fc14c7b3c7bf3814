/**
 * Three answers the ZetaSQL corpus found wrong, now BigQuery's or loud:
 * - `SELECT [DISTINCT] AS STRUCT` read as a table (query-syntax#select_as_struct: a value table) as the
 *   statement's result, each operand of a UNION, a CTE's body or a FROM item: one column per field;
 *   in a scalar or ARRAY subquery it stays one STRUCT.
 * - `JOIN ... USING` on a FLOAT64 key that is NaN (BigQuery's NaN = NaN is FALSE; DuckDB's USING matches them): loud.
 * - AVG of BIGNUMERIC over no rows (BigQuery: a NULL BIGNUMERIC): loud, as over rows.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const result = async (sql: string): Promise<{ fields: string[]; rows: unknown[][] }> => {
  const r = await engine().query(sql, opts);
  return { fields: r.schema.fields.map((f) => `${f.name} ${f.type}`), rows: r.rows.map((x) => x.f.map((c) => c.v)) };
};
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('SELECT AS STRUCT where a table is read', () => {
  test("the statement's result has the struct's fields as columns", async () => {
    expect(await result("SELECT AS STRUCT 1 foo, 'hey' bar")).toEqual({ fields: ['foo INTEGER', 'bar STRING'], rows: [['1', 'hey']] });
    const union = await result("SELECT AS STRUCT 1 foo, 'hey' bar UNION ALL SELECT AS STRUCT 2 foo, 'there' bar ORDER BY foo");
    expect(union).toEqual({ fields: ['foo INTEGER', 'bar STRING'], rows: [['1', 'hey'], ['2', 'there']] });
  });

  test('DISTINCT AS STRUCT drops repeated rows', async () => {
    expect(await result('SELECT DISTINCT AS STRUCT x, 10 AS y FROM UNNEST([1, 1, 2]) AS x ORDER BY x')).toEqual({ fields: ['x INTEGER', 'y INTEGER'], rows: [['1', '10'], ['2', '10']] });
    const arr = await result('SELECT ARRAY(SELECT DISTINCT AS STRUCT x FROM UNNEST([3, 3]) AS x) AS a');
    expect(arr.rows).toEqual([[[{ v: { f: [{ v: '3' }] } }]]]);
  });

  test("a CTE's body is a value table: its fields by name, or the whole row by the table's alias", async () => {
    const cte = "WITH W AS (SELECT AS STRUCT 55 foo, 'fifty five' bar UNION ALL SELECT AS STRUCT 77 foo, 'seventy seven' bar)";
    expect((await result(`${cte} SELECT AS STRUCT * FROM W WHERE foo = 77`)).rows).toEqual([['77', 'seventy seven']]);
    expect((await result(`${cte} SELECT w.bar, w FROM W AS w WHERE w.foo = 55`)).rows).toEqual([['fifty five', { f: [{ v: '55' }, { v: 'fifty five' }] }]]);
  });

  test('a scalar subquery is still one STRUCT', async () => {
    expect((await result("SELECT (SELECT AS STRUCT 1 AS a, 'b' AS b).b AS b")).rows).toEqual([['b']]);
  });
});

describe('JOIN ... USING on a NaN FLOAT64 key, and AVG of BIGNUMERIC over no rows', () => {
  const side = "(SELECT 1.0 AS v, 'one' AS id UNION ALL SELECT CAST('NaN' AS FLOAT64), 'nan')";

  test('a NaN key fails loudly; other keys join as before', async () => {
    expect(await failure(`SELECT t1.id, t2.id FROM ${side} AS t1 JOIN ${side} AS t2 USING (v)`)).toMatch(/USING on a FLOAT64 key that is NaN is not supported by the embedded BigQuery/);
    expect(await failure(`SELECT t1.id FROM ${side} AS t1 LEFT JOIN ${side} AS t2 USING (v) WHERE t1.id = 'nan' OR TRUE`)).toMatch(/not supported by the embedded BigQuery/);
    expect((await result(`SELECT t1.id, t2.id FROM ${side} AS t1 JOIN ${side} AS t2 USING (v) WHERE t1.id = 'one'`)).rows).toEqual([['one', 'one']]);
    expect((await result("SELECT * FROM (SELECT 1 AS k, 'a' AS x) JOIN (SELECT 1 AS k, 'b' AS y) USING (k)")).rows).toEqual([['1', 'a', 'b']]);
  });

  test('AVG(BIGNUMERIC) over no rows fails as over rows; NUMERIC over no rows is a NULL NUMERIC', async () => {
    expect(await failure("SELECT AVG(v) FROM UNNEST([BIGNUMERIC '1.5']) AS v WHERE FALSE")).toMatch(/AVG of BIGNUMERIC values is not supported/);
    expect(await result("SELECT AVG(v) FROM UNNEST([NUMERIC '1.5']) AS v WHERE FALSE")).toEqual({ fields: ['f0_ NUMERIC'], rows: [[null]] });
  });
});
