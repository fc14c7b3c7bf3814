/**
 * The overload probes (query/overload-probe.ts). DuckDB refuses a typed-macro call whose argument names
 * no column with "has multiple overloads that match", in any position: the statement fails with
 * BigQuery's "Unrecognized name" and its position instead (HTTP Archive's cruxPassesCWV read CrUX columns
 * the harness had not seeded, and the overloads error hid which). Several typed calls of one scope over
 * an enclosing query's values are learned from one probe (overload-groups.ts): each gives BigQuery's value
 * and type, and calls of other scopes keep theirs. Expected values by hand (operators, SIGN).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const answer = async (sql: string): Promise<{ values: unknown[]; types: string[] }> => {
  const r = await engine().query(sql, opts);
  return { values: r.rows.map((x) => x.f.map((c) => c.v)), types: r.schema.fields.map((f) => f.type) };
};

const failure = async (sql: string, dryRun = false): Promise<{ reason?: string; message: string }> =>
  engine().query(sql, { ...opts, dryRun }).then(
    () => ({ message: 'answered' }),
    (e: Error & { reason?: string }) => ({ reason: e.reason, message: e.message }),
  );

describe('an unknown name inside a typed call', () => {
  test('after a join with a subquery: Unrecognized name at its first use', async () => {
    const sql = 'SELECT a FROM (SELECT 1 AS a) JOIN (SELECT b FROM (SELECT 2 AS b), UNNEST([1]) AS l) ON a = b WHERE nosuch / (nosuch + a) > 0';
    expect(await failure(sql)).toEqual({ reason: 'invalidQuery', message: 'Unrecognized name: nosuch at [1:101]' });
    expect(await failure(sql, true)).toEqual({ reason: 'invalidQuery', message: 'Unrecognized name: nosuch at [1:101]' });
  });

  test('in an aggregate argument, in a CREATE TEMP TABLE ... AS (...) of a script', async () => {
    const sql = 'CREATE TEMP TABLE x AS (\nSELECT COUNT(DISTINCT IF(f / (f + g) >= 0.75, k, NULL)) AS n\nFROM (SELECT 1.5 AS f, 2 AS k) JOIN (SELECT 2 AS k2) ON k = k2\n)';
    expect(await failure(sql)).toEqual({ reason: 'invalidQuery', message: 'Unrecognized name: g at [2:35]' });
  });
});

describe('several typed calls over an enclosing query\'s values in one scope', () => {
  const T = "(SELECT 3 AS i, 2.5 AS f, NUMERIC '1.5' AS n)";

  test('a correlated subquery: *, /, - and SIGN of INT64, FLOAT64 and NUMERIC columns', async () => {
    // 3 * 2 = 6; 2.5 / 4 = 0.625; 2.5 - 3 = -0.5; SIGN(2.5) = 1.0; 1.5 * 1.5 = 2.25 (NUMERIC)
    const r = await answer(`SELECT (SELECT AS STRUCT t.i * 2 AS a, t.f / 4 AS c, t.f - t.i AS d, SIGN(t.f) AS e, t.n * t.n AS g) AS r FROM ${T} t`);
    expect(r.values).toEqual([[{ f: [{ v: '6' }, { v: '0.625' }, { v: '-0.5' }, { v: '1' }, { v: '2.25' }] }]]);
    const fields = (await engine().query(`SELECT (SELECT AS STRUCT t.i * 2 AS a, t.f / 4 AS c, t.f - t.i AS d, SIGN(t.f) AS e, t.n * t.n AS g) AS r FROM ${T} t`, opts)).schema.fields[0]!.fields!;
    expect(fields.map((f) => f.type)).toEqual(['INTEGER', 'FLOAT', 'FLOAT', 'FLOAT', 'NUMERIC']);
  });

  test('a lateral UNNEST of an ARRAY subquery', async () => {
    // 3 * 3 = 9; 2.5 / 2 = 1.25; 3 - 1 = 2; 1.5 / 3 = 0.5 (NUMERIC)
    const sql = `SELECT x.a, x.b, x.c, x.d FROM ${T} AS t, UNNEST(ARRAY(SELECT AS STRUCT t.i * t.i AS a, t.f / 2 AS b, t.i - 1 AS c, t.n / 3 AS d)) AS x`;
    expect(await answer(sql)).toEqual({ values: [['9', '1.25', '2', '0.5']], types: ['INTEGER', 'FLOAT', 'INTEGER', 'NUMERIC'] });
  });

  test('calls of two scopes over columns of one name and two types each take their own', async () => {
    // t.x is FLOAT64 2.5, u.x INT64 5: 2.5 / 2 = 1.25, 2.5 * 2 = 5.0; 5 * 2 = 10, 5 - 1 = 4
    const sql = 'SELECT (SELECT AS STRUCT t.x / 2 AS a, t.x * 2 AS b), (SELECT AS STRUCT u.x * 2 AS a, u.x - 1 AS b) FROM (SELECT 2.5 AS x) AS t, (SELECT 5 AS x) AS u';
    expect((await answer(sql)).values).toEqual([[{ f: [{ v: '1.25' }, { v: '5' }] }, { f: [{ v: '10' }, { v: '4' }] }]]);
  });
});
