/**
 * An adversarial corpus of wrong queries users really write, sent through the real
 * @google-cloud/bigquery client: each must fail with BigQuery's reason and BigQuery's message
 * (ZetaSQL's texts: zetasql/analyzer/testdata/*.test and zetasql/public/functions, written here
 * with BigQuery's ` at [line:column]` for ZetaSQL's `[at line:column]`), and no message may carry
 * DuckDB's vocabulary. Positions counted by hand (1-based columns).
 *
 * Where the expected text is shortened:
 * - "Field name x does not exist in STRUCT" ends there: BigQuery adds the STRUCT's type
 *   (STRUCT<a INT64, b STRING>), which DuckDB's error does not carry.
 * - The "Supported signatures" list of `+` is matched as a pattern: BigQuery's list for `-` is
 *   documented verbatim (a BigQuery error quoted in GoogleCloudPlatform/Open_Data_QnA#55) and is
 *   asserted whole; the `+` list is written by analogy (operators#arithmetic_operators).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

type Reason = 'invalidQuery' | 'notFound' | 'duplicate';
type Row = readonly [sql: string, reason: Reason, message: string | RegExp];

const P = 'landform-local';
const PLUS = 'INT64 + INT64; NUMERIC + NUMERIC; BIGNUMERIC + BIGNUMERIC; FLOAT64 + FLOAT64; ';
const MINUS = 'INT64 - INT64; NUMERIC - NUMERIC; BIGNUMERIC - BIGNUMERIC; FLOAT64 - FLOAT64; DATE - INT64; DATE - DATE; TIMESTAMP - TIMESTAMP; DATETIME - DATETIME; TIME - TIME; TIMESTAMP - INTERVAL; DATE - INTERVAL; DATETIME - INTERVAL; INTERVAL - INTERVAL';
const TIMES = 'INT64 * INT64; NUMERIC * NUMERIC; BIGNUMERIC * BIGNUMERIC; FLOAT64 * FLOAT64; INTERVAL * INT64; INT64 * INTERVAL';
const SUM = 'SUM(INT64); SUM(NUMERIC); SUM(BIGNUMERIC); SUM(FLOAT64); SUM(INTERVAL)';
const plus = (types: string, at: string): RegExp => new RegExp(`^No matching signature for operator \\+ for argument types: ${types}\\. Supported signatures: ${PLUS.replace(/\+/g, '\\+')}.*INTERVAL \\+ INTERVAL at \\[${at}\\]$`);

const names: Row[] = [
  ['SELECT * FROM ec.nope', 'notFound', `Not found: Table ${P}:ec.nope was not found in location US`],
  ['SELECT * FROM nope_ds.t', 'notFound', `Not found: Dataset ${P}:nope_ds was not found in location US`],
  ['SELECT * FROM ec.nope AS x JOIN ec.t USING (id)', 'notFound', `Not found: Table ${P}:ec.nope was not found in location US`],
  ['INSERT ec.nope (a) VALUES (1)', 'notFound', `Not found: Table ${P}:ec.nope was not found in location US`],
  ['DROP TABLE ec.nope', 'notFound', `Not found: Table ${P}:ec.nope was not found in location US`],
  ['CREATE TABLE ec.t (id INT64)', 'duplicate', `Already Exists: Table ${P}:ec.t`],
  ['SELECT nope FROM ec.t', 'invalidQuery', 'Unrecognized name: nope at [1:8]'],
  ['SELECT t2.id FROM ec.t', 'invalidQuery', 'Unrecognized name: t2 at [1:8]'],
  // ZetaSQL writes a name that is no plain identifier, or a reserved word, in backticks (ToIdentifierLiteral)
  ['SELECT `a+b` FROM ec.t', 'invalidQuery', 'Unrecognized name: `a+b` at [1:8]'],
  ['SELECT id FROM ec.t WHERE `select` = 1', 'invalidQuery', 'Unrecognized name: `select` at [1:27]'],
  ['SELECT nope.id FROM ec.t AS t', 'invalidQuery', 'Unrecognized name: nope at [1:8]'],
  ['SELECT id FROM ec.t WHERE nope = 1', 'invalidQuery', 'Unrecognized name: nope at [1:27]'],
  ['SELECT x FROM UNNEST([1, 2])', 'invalidQuery', 'Unrecognized name: x at [1:8]'],
  ['DELETE ec.t WHERE nope = 1', 'invalidQuery', 'Unrecognized name: nope at [1:19]'],
  ['UPDATE ec.t SET nope = 1 WHERE true', 'invalidQuery', 'Unrecognized name: nope at [1:17]'],
  ['SELECT 1 FROM ec.t a JOIN ec.t b ON a.id = b.id WHERE id = 1', 'invalidQuery', 'Column name id is ambiguous at [1:55]'],
  ['SELECT nope_fn(1)', 'invalidQuery', 'Function not found: nope_fn at [1:8]'],
  ['SELECT ROW_NUMBER() FROM ec.t', 'invalidQuery', 'Analytic function ROW_NUMBER cannot be called without an OVER clause at [1:8]'],
  ['SELECT RANK() FROM ec.t', 'invalidQuery', 'Analytic function RANK cannot be called without an OVER clause at [1:8]'],
  ['SELECT LAG(id) FROM ec.t', 'invalidQuery', 'Analytic function LAG cannot be called without an OVER clause at [1:8]'],
  ['SELECT SUM(id) OVER w FROM ec.t', 'invalidQuery', 'Unrecognized window alias w at [1:21]'],
  ['SELECT ARRAY_AGG(id) OVER w FROM ec.t WINDOW v AS (ORDER BY id)', 'invalidQuery', 'Unrecognized window alias w at [1:27]'],
  ['WITH a AS (SELECT 1 AS x), a AS (SELECT 2 AS x) SELECT * FROM a', 'invalidQuery', 'Duplicate alias a for WITH subquery at [1:28]'],
  ['SELECT * EXCEPT (nope) FROM ec.t', 'invalidQuery', 'Column nope in SELECT * EXCEPT list does not exist at [1:18]'],
  ['SELECT STRUCT(1 AS a).b', 'invalidQuery', 'Field name b does not exist in STRUCT at [1:23]'],
  ['SELECT s.x FROM ec.t', 'invalidQuery', 'Field name x does not exist in STRUCT at [1:10]'],
  ['SELECT STRUCT(1 AS x, 2 AS y).z', 'invalidQuery', 'Field name z does not exist in STRUCT at [1:31]'],
  ['SELECT @p', 'invalidQuery', "Query parameter 'p' not found at [1:8]"],
];

const signatures: Row[] = [
  ["SELECT 'a' + 'b'", 'invalidQuery', plus('STRING, STRING', '1:8')],
  ["SELECT 1 + 'x'", 'invalidQuery', plus('INT64, STRING', '1:8')],
  ['SELECT name + 1 FROM ec.t', 'invalidQuery', plus('STRING, INT64', '1:8')],
  ["SELECT 'a' - 'b'", 'invalidQuery', `No matching signature for operator - for argument types: STRING, STRING. Supported signatures: ${MINUS} at [1:8]`],
  ["SELECT d - 'x' FROM ec.t", 'invalidQuery', `No matching signature for operator - for argument types: DATE, STRING. Supported signatures: ${MINUS} at [1:8]`],
  ["SELECT 'a' * 2", 'invalidQuery', `No matching signature for operator * for argument types: STRING, INT64. Supported signatures: ${TIMES} at [1:8]`],
  ["SELECT -'a'", 'invalidQuery', 'No matching signature for operator - for argument types: STRING. Supported signatures: -(INT64); -(NUMERIC); -(BIGNUMERIC); -(FLOAT64); -(INTERVAL) at [1:8]'],
  ["SELECT 1 = 'a'", 'invalidQuery', 'No matching signature for operator = for argument types: INT64, STRING. Supported signature: ANY = ANY at [1:8]'],
  ['SELECT id FROM ec.t WHERE name = 1', 'invalidQuery', 'No matching signature for operator = for argument types: STRING, INT64. Supported signature: ANY = ANY at [1:27]'],
  // wrong argument counts: the types are named where every argument is a literal
  ["SELECT SUBSTR('abc')", 'invalidQuery', 'No matching signature for function SUBSTR for argument types: STRING. Supported signatures: SUBSTR(STRING, INT64, [INT64]); SUBSTR(BYTES, INT64, [INT64]) at [1:8]'],
  ["SELECT SUBSTR('abc', 1, 2, 3)", 'invalidQuery', 'No matching signature for function SUBSTR for argument types: STRING, INT64, INT64, INT64. Supported signatures: SUBSTR(STRING, INT64, [INT64]); SUBSTR(BYTES, INT64, [INT64]) at [1:8]'],
  ["SELECT UPPER('a', 'b')", 'invalidQuery', 'No matching signature for function UPPER for argument types: STRING, STRING. Supported signatures: UPPER(STRING); UPPER(BYTES) at [1:8]'],
  ['SELECT UPPER(1)', 'invalidQuery', 'No matching signature for function UPPER for argument types: INT64. Supported signatures: UPPER(STRING); UPPER(BYTES) at [1:8]'],
  ['SELECT UPPER(id) FROM ec.t', 'invalidQuery', 'No matching signature for function UPPER for argument types: INT64. Supported signatures: UPPER(STRING); UPPER(BYTES) at [1:8]'],
  ['SELECT LOWER(1.5)', 'invalidQuery', 'No matching signature for function LOWER for argument types: FLOAT64. Supported signatures: LOWER(STRING); LOWER(BYTES) at [1:8]'],
  ["SELECT SUM('a')", 'invalidQuery', `No matching signature for aggregate function SUM for argument types: STRING. Supported signatures: ${SUM} at [1:8]`],
  ['SELECT SUM(name) FROM ec.t', 'invalidQuery', `No matching signature for aggregate function SUM for argument types: STRING. Supported signatures: ${SUM} at [1:8]`],
  ['SELECT SUM(d) FROM ec.t', 'invalidQuery', `No matching signature for aggregate function SUM for argument types: DATE. Supported signatures: ${SUM} at [1:8]`],
  ["SELECT CAST(DATE '2020-01-01' AS INT64)", 'invalidQuery', 'Invalid cast from DATE to INT64 at [1:13]'],
  ['SELECT CAST(amount AS DATE) FROM ec.t', 'invalidQuery', 'Invalid cast from NUMERIC to DATE at [1:13]'],
  ["SELECT d FROM ec.t WHERE d = 'abc'", 'invalidQuery', 'Could not cast literal "abc" to type DATE at [1:30]'],
  ["SELECT FORMAT_DATE('%Y', d) FROM ec.t WHERE d > 'nope'", 'invalidQuery', 'Could not cast literal "nope" to type DATE at [1:49]'],
  ["SELECT id FROM ec.t LIMIT 'a'", 'invalidQuery', 'LIMIT expects an integer literal or parameter at [1:27]'],
];

const clauses: Row[] = [
  ['SELECT id, name FROM ec.t GROUP BY id', 'invalidQuery', 'SELECT list expression references column name which is neither grouped nor aggregated at [1:12]'],
  ['SELECT id,\n  name\nFROM ec.t\nGROUP BY id', 'invalidQuery', 'SELECT list expression references column name which is neither grouped nor aggregated at [2:3]'],
  ['SELECT * FROM ec.t GROUP BY id', 'invalidQuery', 'SELECT * expression references column name which is neither grouped nor aggregated at [1:8]'],
  ["SELECT id, COUNT(*) FROM ec.t GROUP BY 1 HAVING name = 'a'", 'invalidQuery', 'HAVING clause expression references column name which is neither grouped nor aggregated at [1:49]'],
  ['SELECT id FROM ec.t GROUP BY id ORDER BY name', 'invalidQuery', 'ORDER BY clause expression references column name which is neither grouped nor aggregated at [1:42]'],
  ['SELECT id FROM ec.t WHERE SUM(id) > 1', 'invalidQuery', 'Aggregate function SUM not allowed in WHERE clause at [1:27]'],
  ['SELECT id FROM ec.t WHERE COUNT(*) > 0', 'invalidQuery', 'Aggregate function COUNT not allowed in WHERE clause at [1:27]'],
  ['SELECT id FROM ec.t WHERE ROW_NUMBER() OVER () = 1', 'invalidQuery', 'Analytic function not allowed in WHERE clause at [1:27]'],
  ['SELECT SUM(COUNT(*)) FROM ec.t', 'invalidQuery', 'Aggregations of aggregations are not allowed at [1:8]'],
  ['SELECT MAX(MIN(id)) FROM ec.t', 'invalidQuery', 'Aggregations of aggregations are not allowed at [1:8]'],
  ['SELECT id FROM ec.t ORDER BY 3', 'invalidQuery', 'ORDER BY column number exceeds input table column count: 3 vs 1 at [1:30]'],
  ['SELECT id FROM ec.t ORDER BY id, 2', 'invalidQuery', 'ORDER BY column number exceeds input table column count: 2 vs 1 at [1:34]'],
  ['SELECT id FROM ec.t ORDER BY 0', 'invalidQuery', 'ORDER BY column number item is out of range. Column numbers must be greater than or equal to one. Found : 0 at [1:30]'],
  ['SELECT COUNT(*) FROM ec.t GROUP BY 5', 'invalidQuery', 'GROUP BY is out of SELECT column number range: 5 at [1:36]'],
  ['SELECT COUNT(*) FROM ec.t GROUP BY 0', 'invalidQuery', 'GROUP BY is out of SELECT column number range: 0 at [1:36]'],
  ['SELECT 1 UNION ALL SELECT 1, 2', 'invalidQuery', 'Queries in UNION ALL have mismatched column count; query 1 has 1 column, query 2 has 2 columns at [1:20]'],
  ['SELECT 1, 2 UNION ALL SELECT 1', 'invalidQuery', 'Queries in UNION ALL have mismatched column count; query 1 has 2 columns, query 2 has 1 column at [1:23]'],
  ['SELECT 1 UNION DISTINCT SELECT 1, 2', 'invalidQuery', 'Queries in UNION DISTINCT have mismatched column count; query 1 has 1 column, query 2 has 2 columns at [1:25]'],
  ['SELECT 1 INTERSECT DISTINCT SELECT 1, 2', 'invalidQuery', 'Queries in INTERSECT DISTINCT have mismatched column count; query 1 has 1 column, query 2 has 2 columns at [1:29]'],
  ['SELECT 1 EXCEPT DISTINCT SELECT 1, 2', 'invalidQuery', 'Queries in EXCEPT DISTINCT have mismatched column count; query 1 has 1 column, query 2 has 2 columns at [1:26]'],
  ['SELECT (SELECT 1, 2)', 'invalidQuery', 'Scalar subquery cannot have more than one column unless using SELECT AS STRUCT to build STRUCT values at [1:8]'],
  ['SELECT (SELECT x FROM UNNEST([1, 2]) AS x)', 'invalidQuery', 'Scalar subquery produced more than one element'],
  ["SELECT EXTRACT(FOO FROM DATE '2020-01-01')", 'invalidQuery', 'A valid date part name is required but found FOO at [1:16]'],
];

const syntax: Row[] = [
  ['SELECT FROM ec.t', 'invalidQuery', 'Syntax error: SELECT list must not be empty at [1:8]'],
  ['SELECT 1 FROM', 'invalidQuery', 'Syntax error: Unexpected end of script at [1:14]'],
  ['SELECT 1 +', 'invalidQuery', 'Syntax error: Unexpected end of script at [1:11]'],
  ['SELEC 1', 'invalidQuery', 'Syntax error: Unexpected identifier "SELEC" at [1:1]'],
  ["SELECT DATE '2020-13-01'", 'invalidQuery', 'Invalid DATE literal at [1:8]'],
  ["SELECT TIMESTAMP 'x'", 'invalidQuery', 'Invalid TIMESTAMP literal at [1:8]'],
];

const dml: Row[] = [
  ['INSERT ec.t (id, name) VALUES (1)', 'invalidQuery', 'Inserted row has wrong column count; Has 1, expected 2 at [1:31]'],
  ["INSERT ec.t (id, name) VALUES (1, 'a', 2)", 'invalidQuery', 'Inserted row has wrong column count; Has 3, expected 2 at [1:31]'],
  ['INSERT INTO ec.t VALUES (1)', 'invalidQuery', 'Inserted row has wrong column count; Has 1, expected 6 at [1:25]'],
  ["INSERT ec.t (id) VALUES ('x')", 'invalidQuery', 'Value has type STRING which cannot be inserted into column id, which has type INT64 at [1:26]'],
  ['INSERT ec.t (nope) VALUES (1)', 'invalidQuery', 'Column nope is not present in table ec.t at [1:14]'],
  ['INSERT ec.t (id, id) VALUES (1, 2)', 'invalidQuery', 'INSERT has columns with duplicate name: id at [1:18]'],
  ["UPDATE ec.t SET name = 'x'", 'invalidQuery', 'UPDATE must have a WHERE clause at [1:1]'],
  ['DELETE FROM ec.t', 'invalidQuery', 'DELETE must have a WHERE clause at [1:1]'],
  ["UPDATE ec.t SET id = 'x' WHERE true", 'invalidQuery', 'Value of type STRING cannot be assigned to id, which has type INT64 at [1:22]'],
  ['CREATE TABLE ec.t2 (a INT64, a STRING)', 'invalidQuery', 'Duplicate column name a in CREATE TABLE at [1:30]'],
];

// errors BigQuery raises while it runs the query: no position
const values: Row[] = [
  ["SELECT CAST('abc' AS INT64)", 'invalidQuery', 'Bad int64 value: abc'],
  ["SELECT CAST('12a' AS INT64)", 'invalidQuery', 'Bad int64 value: 12a'],
  ['SELECT CAST(name AS INT64) FROM ec.t', 'invalidQuery', 'Bad int64 value: a'],
  ["SELECT CAST('x' AS FLOAT64)", 'invalidQuery', 'Bad double value: x'],
  ["SELECT CAST('1.5x' AS FLOAT64)", 'invalidQuery', 'Bad double value: 1.5x'],
  ["SELECT CAST('x' AS NUMERIC)", 'invalidQuery', 'Invalid NUMERIC value: x'],
  ["SELECT CAST('x' AS BOOL)", 'invalidQuery', 'Bad bool value: x'],
  ["SELECT CAST(s AS BOOL) FROM UNNEST(['true', 'yes']) AS s", 'invalidQuery', 'Bad bool value: yes'],
  ["SELECT CAST('2020-13-01' AS DATE)", 'invalidQuery', "Invalid date: '2020-13-01'"],
  ["SELECT CAST('2021-02-30' AS DATE)", 'invalidQuery', "Invalid date: '2021-02-30'"],
  ['SELECT DATE(2020, 13, 1)', 'invalidQuery', 'Input calculates to invalid date: 2020-13-01'],
  ["SELECT PARSE_DATE('%Y-%m-%d', 'x')", 'invalidQuery', 'Failed to parse input string "x"'],
  ["SELECT PARSE_DATE('%Y', '20x0')", 'invalidQuery', 'Failed to parse input string "20x0"'],
  ['SELECT 1 / 0', 'invalidQuery', 'division by zero: 1 / 0'],
  ['SELECT 10 / 0', 'invalidQuery', 'division by zero: 10 / 0'],
  ['SELECT MOD(1, 0)', 'invalidQuery', 'division by zero: MOD(1, 0)'],
  ['SELECT MOD(x, 0) FROM UNNEST([7]) AS x', 'invalidQuery', 'division by zero: MOD(7, 0)'],
  ['SELECT DIV(1, 0)', 'invalidQuery', 'division by zero: 1 / 0'],
  ['SELECT [1, 2, 3][OFFSET(5)]', 'invalidQuery', 'Array index 5 is out of bounds (overflow)'],
  ['SELECT tags[OFFSET(5)] FROM ec.t', 'invalidQuery', 'Array index 5 is out of bounds (overflow)'],
  ['SELECT SQRT(-1)', 'invalidQuery', 'Argument to SQRT cannot be negative: -1'],
  ['SELECT LN(0)', 'invalidQuery', 'Floating point error in function: LN(0)'],
  ["SELECT REGEXP_CONTAINS('a', '(')", 'invalidQuery', 'Cannot parse regular expression: missing ): ('],
  ["SELECT REGEXP_EXTRACT('a', '[')", 'invalidQuery', 'Cannot parse regular expression: missing ]: ['],
  ["SELECT CURRENT_DATE('Nope/Zone')", 'invalidQuery', 'Invalid time zone: Nope/Zone'],
  ["SELECT ERROR('boom')", 'invalidQuery', 'boom'],
];

/** DuckDB's words that must never reach a user. */
const DUCKDB_VOCABULARY = /Binder Error|Catalog Error|Parser Error|Conversion Error|LINE 1:|macro|bq_|DuckDB|!$/i;

let bq: TestBigQuery;
beforeAll(async () => {
  bq = await startTestBigQuery();
  await bq.bigquery.createDataset('ec');
  await bq.bigquery.query('CREATE TABLE ec.t (id INT64, name STRING, amount NUMERIC, d DATE, tags ARRAY<STRING>, s STRUCT<a INT64, b STRING>)');
  await bq.bigquery.query("INSERT ec.t (id, name, amount, d, tags, s) VALUES (1, 'a', 1.5, DATE '2020-01-01', ['x', 'y'], STRUCT(1, 'b')), (2, 'b', 2.5, DATE '2020-01-02', [], STRUCT(2, 'c'))");
}, 60_000);
afterAll(async () => {
  await bq?.stop();
});

async function failure(sql: string): Promise<{ reason?: string; message: string }> {
  try {
    await bq.bigquery.query({ query: sql });
  } catch (error) {
    const e = error as { errors?: { reason?: string }[]; message: string };
    return { reason: e.errors?.[0]?.reason, message: e.message };
  }
  return { message: 'answered without an error' };
}

describe.each([
  ['names: tables, columns, functions, windows, fields', names],
  ['signatures: operators, functions, casts and coercions', signatures],
  ['clauses: grouping, aggregation, ordinals, set operations, subqueries', clauses],
  ['syntax and literals', syntax],
  ['DML and DDL', dml],
  ['evaluation errors', values],
])('%s', (_group, rows) => {
  test.each(rows.map((r) => [r[0].replace(/\n/g, ' '), r] as const))('%s', async (_name, [sql, reason, message]) => {
    const got = await failure(sql);
    expect(got.reason).toBe(reason);
    if (typeof message === 'string') expect(got.message).toBe(message);
    else expect(got.message).toMatch(message);
    expect(got.message).not.toMatch(DUCKDB_VOCABULARY);
  });
});
