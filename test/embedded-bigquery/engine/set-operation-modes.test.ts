/**
 * Set operations with BigQuery's columns and types (query-syntax#set_operators, "BY NAME or
 * CORRESPONDING"; conversion_rules#supertypes, "Supertypes and literals"). Expected values by hand: the
 * docs' own examples (one_digit/two_digit), and the rules applied to small inputs (BY NAME needs the
 * same names; INNER keeps the common ones in the first query's order; FULL adds the others' new columns
 * after, NULL-filled; LEFT keeps the first query's; ON/BY lists choose and order; literals coerce to the
 * other inputs' type; STRUCTs take the first input's field names).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

interface Answer {
  columns: string[];
  rows: unknown[][];
}

/** Rows of a query without ORDER BY in no promised order: compared sorted (by their JSON text). */
const sortedUnlessOrdered = (sql: string, rows: unknown[][]): unknown[][] => (/\border\s+by\b/i.test(sql) ? rows : [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)));

const run = async (sql: string): Promise<Answer> => {
  const r = await engine().query(sql, opts);
  return { columns: (r.schema?.fields ?? []).map((f) => `${f.name} ${f.type}`), rows: sortedUnlessOrdered(sql, r.rows.map((x) => x.f.map((c) => c.v))) };
};
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

const LEFT = 'SELECT 1 AS one_digit, 10 AS two_digit, 100 AS three_digit';
const RIGHT = 'SELECT 20 AS two_digit, 2 AS one_digit, 1000 AS four_digit';

describe('column matching by name (the docs examples)', () => {
  test('BY NAME and STRICT CORRESPONDING match by name in the first query order', async () => {
    const expected = { columns: ['one_digit INTEGER', 'two_digit INTEGER'], rows: [['1', '10'], ['2', '20']] };
    expect(await run('SELECT 1 AS one_digit, 10 AS two_digit UNION ALL BY NAME SELECT 20 AS two_digit, 2 AS one_digit')).toEqual(expected);
    expect(await run('SELECT 1 AS one_digit, 10 AS two_digit UNION ALL STRICT CORRESPONDING SELECT 20 AS two_digit, 2 AS one_digit')).toEqual(expected);
    // by position the same inputs pair 1 with 20
    expect((await run('SELECT 1 AS one_digit, 10 AS two_digit UNION ALL SELECT 20 AS two_digit, 2 AS one_digit')).rows).toEqual([['1', '10'], ['20', '2']]);
  });

  test('INNER (and plain CORRESPONDING) drops the columns one query lacks', async () => {
    const expected = { columns: ['one_digit INTEGER', 'two_digit INTEGER'], rows: [['1', '10'], ['2', '20']] };
    expect(await run(`${LEFT} INNER UNION ALL BY NAME ${RIGHT}`)).toEqual(expected);
    expect(await run(`${LEFT} UNION ALL CORRESPONDING ${RIGHT}`)).toEqual(expected);
  });

  test('FULL OUTER keeps every column, the left ones first, NULL where a query lacks one', async () => {
    expect(await run(`${LEFT} FULL OUTER UNION ALL BY NAME ${RIGHT}`)).toEqual({
      columns: ['one_digit INTEGER', 'two_digit INTEGER', 'three_digit INTEGER', 'four_digit INTEGER'],
      rows: [['1', '10', '100', null], ['2', '20', null, '1000']],
    });
    // OUTER alone is FULL OUTER
    expect((await run(`${LEFT} OUTER UNION ALL CORRESPONDING ${RIGHT}`)).columns).toHaveLength(4);
  });

  test('LEFT OUTER keeps the first query columns', async () => {
    expect(await run(`${LEFT} LEFT OUTER UNION ALL BY NAME ${RIGHT}`)).toEqual({
      columns: ['one_digit INTEGER', 'two_digit INTEGER', 'three_digit INTEGER'],
      rows: [['1', '10', '100'], ['2', '20', null]],
    });
  });

  test('ON (list) and BY (list) return those columns in that order', async () => {
    const expected = { columns: ['three_digit INTEGER', 'two_digit INTEGER'], rows: [['100', '10'], [null, '20']] };
    expect(await run(`${LEFT} FULL OUTER UNION ALL BY NAME ON (three_digit, two_digit) ${RIGHT}`)).toEqual(expected);
    expect(await run(`${LEFT} FULL UNION ALL CORRESPONDING BY (three_digit, two_digit) ${RIGHT}`)).toEqual(expected);
  });
});

describe('INTERSECT and EXCEPT by name, names case-insensitive, several queries', () => {
  test('INTERSECT ALL and EXCEPT ALL count rows after matching', async () => {
    const two = 'SELECT 1 AS a, 2 AS b UNION ALL SELECT 1, 2';
    // {1,2} twice EXCEPT ALL {1,2} once leaves one; INTERSECT ALL keeps min(2, 1) = 1
    expect((await run(`(${two}) EXCEPT ALL BY NAME SELECT 2 AS B, 1 AS A`)).rows).toEqual([['1', '2']]);
    expect((await run(`(${two}) INTERSECT ALL BY NAME SELECT 2 AS b, 1 AS a`)).rows).toEqual([['1', '2']]);
    expect((await run(`(${two}) EXCEPT DISTINCT BY NAME SELECT 2 AS b, 1 AS a`)).rows).toEqual([]);
  });

  test('FULL INTERSECT pads with NULL before comparing rows', async () => {
    // left rows (1, NULL), right rows (NULL-padded a) (NULL, 2): no row in common
    expect((await run('SELECT 1 AS a FULL INTERSECT DISTINCT BY NAME SELECT 2 AS b')).rows).toEqual([]);
    // both padded to (NULL, NULL): one row in common
    expect(await run('SELECT CAST(NULL AS INT64) AS a FULL INTERSECT ALL CORRESPONDING SELECT CAST(NULL AS INT64) AS b')).toEqual({ columns: ['a INTEGER', 'b INTEGER'], rows: [[null, null]] });
  });

  test('three queries: FULL adds new columns in order of appearance; the first spelling names a column', async () => {
    const sql = 'SELECT 3 AS c, 1 AS a FULL UNION ALL BY NAME SELECT 1 AS A, 2 AS b FULL UNION ALL BY NAME SELECT 4 AS d, 5 AS C';
    expect(await run(`${sql} ORDER BY c`)).toEqual({
      columns: ['c INTEGER', 'a INTEGER', 'b INTEGER', 'd INTEGER'],
      rows: [[null, '1', '2', null], ['3', '1', null, null], ['5', null, null, '4']],
    });
  });

  test('a nested operation is described by its own columns', async () => {
    const sql = 'SELECT 1 AS b, 3 AS c EXCEPT DISTINCT BY NAME (SELECT 1 AS a, 2 AS b, 3 AS c UNION ALL CORRESPONDING SELECT 2 AS c, 3 AS b)';
    expect(await run(sql)).toEqual({ columns: ['b INTEGER', 'c INTEGER'], rows: [['1', '3']] });
  });

  test('a recursive CTE by name: the recursive input reads the CTE with the first input columns', async () => {
    const sql = "WITH RECURSIVE t AS (SELECT 1 AS n, 'x' AS s UNION ALL BY NAME SELECT 'y' AS s, n + 1 AS n FROM t WHERE n < 3) SELECT * FROM t ORDER BY n";
    expect(await run(sql)).toEqual({ columns: ['n INTEGER', 's STRING'], rows: [['1', 'x'], ['2', 'y'], ['3', 'y']] });
  });

  test('CTEs and tables are read from inside the input queries', async () => {
    const sql = 'WITH t AS (SELECT 1 AS a, 2 AS b), u AS (SELECT 5 AS b) SELECT * FROM t LEFT UNION ALL CORRESPONDING SELECT b FROM u ORDER BY b';
    expect(await run(sql)).toEqual({ columns: ['a INTEGER', 'b INTEGER'], rows: [['1', '2'], [null, '5']] });
  });
});

describe("BigQuery's errors for inputs that cannot be matched", () => {
  test.each([
    ['SELECT 1 AS a, 2 AS b UNION ALL BY NAME SELECT 1 AS a', /BY NAME requires all input queries to have identical column names, but query 1 has \[a, b\] and query 2 has \[a\]/],
    ['SELECT 1 AS a UNION ALL CORRESPONDING SELECT 2 AS b', /do not have any columns in common/],
    ['SELECT 1 AS a LEFT UNION ALL BY NAME SELECT 2 AS b', /Query 2 of the set operation with LEFT mode does not share any common columns with query 1/],
    ['SELECT 1 AS a, 2 AS A UNION ALL CORRESPONDING SELECT 1 AS a', /Duplicate columns found when using CORRESPONDING in set operations: A in query 1/],
    ['SELECT 1, 2 UNION ALL BY NAME SELECT 3, 4', /Anonymous columns are not allowed in set operations when BY NAME is used: query 1, column 1/],
    ['SELECT AS STRUCT 1 AS a UNION ALL CORRESPONDING SELECT AS STRUCT 2 AS a', /Value table type not allowed in set operations when CORRESPONDING is used: query 1/],
    ['SELECT 1 AS a, 2 AS b UNION ALL CORRESPONDING BY (a, c) SELECT 1 AS a', /The column name c from the CORRESPONDING BY list does not appear in query 1/],
    ['SELECT 1 AS a FULL UNION ALL SELECT 2', /FULL in set operations cannot be used without CORRESPONDING/],
    ['SELECT 1 AS a UNION ALL STRICT SELECT 2', /STRICT in set operations cannot be used without CORRESPONDING/],
    ['SELECT 5 AS x LEFT UNION ALL CORRESPONDING SELECT 6 AS x UNION ALL STRICT CORRESPONDING SELECT 7 AS x', /Different set operation modifiers \(LEFT and STRICT\)/],
    ['SELECT 1 AS a UNION ALL SELECT 2 UNION DISTINCT SELECT 3', /Different set operations cannot be used in the same query without using parentheses/],
    ["SELECT 1 AS col UNION ALL CORRESPONDING SELECT 'abc' AS col", /Column col in UNION ALL has incompatible types: INT64, STRING/],
  ])('%s', async (sql, message) => {
    expect(await failure(sql)).toMatch(message);
  });

  test('errors point where BigQuery points: the second query, the operator, the listed column', async () => {
    expect(await failure("SELECT 1 AS col\nUNION ALL CORRESPONDING\nSELECT 'abc' AS col")).toBe('Column col in UNION ALL has incompatible types: INT64, STRING at [3:1]');
    expect(await failure('SELECT 1 AS a, 2 AS b\nUNION ALL BY NAME\nSELECT 2 AS b')).toBe('BY NAME requires all input queries to have identical column names, but query 1 has [a, b] and query 2 has [b] at [2:1]');
    expect(await failure('SELECT 1 AS a\nUNION ALL CORRESPONDING BY (b)\nSELECT 1 AS b')).toMatch(/^The column name b from the CORRESPONDING BY list does not appear in query 1\..* at \[2:29\]$/);
    expect(await failure('SELECT 1\nFULL EXCEPT ALL\nSELECT 2')).toBe('FULL in set operations cannot be used without CORRESPONDING at [2:1]');
  });

  test('SELECT AS VALUE inputs by position fail loudly (they were read as one-field STRUCTs)', async () => {
    expect(await failure('SELECT x FROM (SELECT AS VALUE 1 UNION ALL SELECT AS VALUE 2) AS x')).toMatch(/SELECT AS VALUE in UNION ALL is not supported by the embedded BigQuery/);
  });

  test('an input that reads a column of an enclosing query fails loudly', async () => {
    const sql = 'SELECT (SELECT x AS a UNION ALL BY NAME SELECT 1 AS a LIMIT 1) FROM UNNEST([7]) AS x';
    expect(await failure(sql)).toMatch(/not supported by the embedded BigQuery/);
  });
});

describe('result types are the set operation supertypes', () => {
  test('numeric inputs widen INT64 < NUMERIC < FLOAT64; literals coerce to the other input type', async () => {
    expect((await run('SELECT 1 AS a UNION ALL SELECT 2.5')).columns).toEqual(['a FLOAT']);
    expect((await run("SELECT 1 AS a UNION ALL SELECT NUMERIC '1.5'")).columns).toEqual(['a NUMERIC']);
    // 1.5 is a FLOAT64 literal, which coerces to NUMERIC; BigQuery then gives an exact 1.5
    expect(await run("SELECT 1.5 AS a UNION ALL SELECT NUMERIC '1'")).toEqual({ columns: ['a NUMERIC'], rows: [['1'], ['1.5']] });
    expect(await run("SELECT NUMERIC '1' AS a UNION ALL SELECT 0.1")).toEqual({ columns: ['a NUMERIC'], rows: [['0.1'], ['1']] });
    // a FLOAT64 value (not a literal) beside NUMERIC makes FLOAT64
    expect((await run("SELECT CAST(1.5 AS FLOAT64) AS a UNION ALL SELECT NUMERIC '1'")).columns).toEqual(['a FLOAT']);
    expect(await run("SELECT DATE '2020-01-01' AS d UNION ALL SELECT '2020-01-02'")).toEqual({ columns: ['d DATE'], rows: [['2020-01-01'], ['2020-01-02']] });
    expect(await run("SELECT NULL AS a UNION ALL SELECT 'x'")).toEqual({ columns: ['a STRING'], rows: [['x'], [null]] });
    // a FLOAT64 literal coerced to NUMERIC keeps its own digits (its DOUBLE would round to 1e29 and overflow)
    expect((await run('SELECT CAST(NULL AS NUMERIC) AS v UNION ALL SELECT 99999999999999999999999999999.999999999')).rows).toEqual([['99999999999999999999999999999.999999999'], [null]]);
    // a bracketed query's NULL is still a literal; a bracketed set operation's column is not
    expect((await run("SELECT 'a' AS s UNION ALL (SELECT NULL)")).columns).toEqual(['s STRING']);
    expect((await run("SELECT NUMERIC '1' AS a UNION ALL (SELECT 2.5 UNION ALL SELECT 3)")).columns).toEqual(['a FLOAT']);
    // [] is an empty array of any element type
    expect(await run("SELECT [STRUCT('a' AS k)] AS a UNION ALL SELECT []")).toEqual({ columns: ['a RECORD'], rows: [[[]], [[{ v: { f: [{ v: 'a' }] } }]]] });
  });

  test('an aggregate (DuckDB types SUM as HUGEINT) is INT64 beside INT64 and a FLOAT64 literal', async () => {
    expect(await run('SELECT SUM(x) AS s FROM UNNEST([1, 2]) AS x UNION ALL BY NAME SELECT 1 AS s')).toEqual({ columns: ['s INTEGER'], rows: [['1'], ['3']] });
    expect((await run('SELECT SUM(x) AS s FROM UNNEST([1, 2]) AS x UNION ALL SELECT 1.5')).columns).toEqual(['s FLOAT']);
  });

  test('types without a supertype fail as BigQuery fails', async () => {
    expect(await failure("SELECT 1 AS a UNION ALL SELECT 's'")).toMatch(/Column 1 in UNION ALL has incompatible types: INT64, STRING/);
    expect(await failure('SELECT 1 AS a UNION ALL SELECT true')).toMatch(/Column 1 in UNION ALL has incompatible types: INT64, BOOL/);
    expect(await failure('SELECT 1 AS a, 2 AS b UNION ALL SELECT 1')).toMatch(/Queries in UNION ALL have mismatched column count; query 1 has 2 columns, query 2 has 1 column/);
    expect(await failure('SELECT [1] AS a UNION DISTINCT SELECT [2]')).toMatch(/does not support set operation comparisons: ARRAY/);
  });

  test("a STRUCT constructor's literal fields coerce like literals; other fields do not", async () => {
    const r = await engine().query("SELECT STRUCT('abc' AS a, NULL AS b) AS s UNION ALL SELECT STRUCT(NULL AS a, 5 AS b)", opts);
    expect(r.schema?.fields?.[0]?.fields?.map((f) => `${f.name} ${f.type}`)).toEqual(['a STRING', 'b INTEGER']);
    expect(r.rows.map((x) => x.f[0]!.v)).toEqual([{ f: [{ v: 'abc' }, { v: null }] }, { f: [{ v: null }, { v: '5' }] }]);
    expect(await failure("SELECT STRUCT(1 AS a) AS s UNION ALL SELECT STRUCT('x' AS a)")).toMatch(/Column 1 in UNION ALL has incompatible types: STRUCT<a INT64>, STRUCT<a STRING>/);
  });

  test('STRUCTs take the first query field names, by position', async () => {
    const r = await engine().query('SELECT STRUCT(1 AS x, 2 AS y) AS s UNION ALL SELECT STRUCT(3 AS p, 4 AS q)', opts);
    expect(r.schema?.fields?.[0]?.fields?.map((f) => f.name)).toEqual(['x', 'y']);
    expect(r.rows.map((x) => x.f[0]!.v)).toEqual([{ f: [{ v: '1' }, { v: '2' }] }, { f: [{ v: '3' }, { v: '4' }] }]);
  });
});

describe('array literals take the supertype of their elements', () => {
  test('a FLOAT64 literal beside a NUMERIC literal is NUMERIC; FLOAT64 values keep FLOAT64', async () => {
    expect(await run("SELECT [1.5, NUMERIC '1'] AS a")).toEqual({ columns: ['a NUMERIC'], rows: [[[{ v: '1.5' }, { v: '1' }]]] });
    expect(await run("SELECT [0.1, CAST('2' AS NUMERIC), 3, NULL] AS a")).toEqual({ columns: ['a NUMERIC'], rows: [[[{ v: '0.1' }, { v: '2' }, { v: '3' }, { v: null }]]] });
    expect((await run('SELECT [1.5, 2] AS a')).columns).toEqual(['a FLOAT']);
    expect((await run('SELECT [1.5, CAST(1 AS FLOAT64)] AS a')).columns).toEqual(['a FLOAT']);
  });
});

describe('ORDER BY after a set operation', () => {
  const NAN = "SELECT CAST('nan' AS FLOAT64) AS x UNION ALL SELECT 1.0 UNION ALL SELECT NULL UNION ALL SELECT CAST('-inf' AS FLOAT64)";

  test('NULL, NaN, -inf, numbers on ASC; the reverse on DESC; by name and by ordinal', async () => {
    expect((await run(`${NAN} ORDER BY x`)).rows).toEqual([[null], ['NaN'], ['-Infinity'], ['1']]);
    expect((await run(`${NAN} ORDER BY 1 DESC`)).rows).toEqual([['1'], ['-Infinity'], ['NaN'], [null]]);
    expect((await run(`${NAN} ORDER BY x LIMIT 2`)).rows).toEqual([[null], ['NaN']]);
  });
});
