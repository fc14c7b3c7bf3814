/**
 * The README's former known differences, each now BigQuery's answer or a loud error. Expected values and
 * messages by hand: FLOAT64 `+`/`-` and SUM beyond FLOAT64 from finite values fail with ZetaSQL's
 * "double overflow" (arithmetics.h; reference_impl/function.cc for SUM, which sums in a wider type).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('FLOAT64 + and - beyond FLOAT64', () => {
  test("fail with 'double overflow: a op b', in constants, rows, chains and with unary signs", async () => {
    expect(await failure('SELECT 1e308 + 1e308')).toBe('double overflow: 1e+308 + 1e+308');
    expect(await failure('SELECT x + x FROM UNNEST([1e308]) AS x')).toBe('double overflow: 1e+308 + 1e+308');
    expect(await failure('SELECT -x - x FROM UNNEST([1e308]) AS x')).toBe('double overflow: -1e+308 - 1e+308');
    expect(await failure('SELECT x - -x FROM UNNEST([1e308]) AS x')).toBe('double overflow: 1e+308 - -1e+308');
    // (x - 1) + x: x - 1 is 1e308 again in FLOAT64
    expect(await failure('SELECT x - 1 + x FROM UNNEST([1e308]) AS x')).toBe('double overflow: 1e+308 + 1e+308');
    expect(await failure('SELECT (SELECT x + x) FROM UNNEST([1e308]) AS x')).toBe('double overflow: 1e+308 + 1e+308');
    expect(await failure('SELECT COUNT(*) FROM UNNEST([1e308]) AS x WHERE x + x > 0')).toBe('double overflow: 1e+308 + 1e+308');
  });

  test('other sums keep their answers and types; infinite operands give IEEE results; INT64 overflow is unchanged', async () => {
    const r = await engine().query("SELECT 1 + 2, 2.5 - 1, DATE '2020-01-01' + 1, CAST('inf' AS FLOAT64) + 1, NUMERIC '1.5' + 1, CAST(NULL AS FLOAT64) + 1, 1.7976931348623157e308 + 1e291, INTERVAL 1 DAY + INTERVAL 2 HOUR", opts);
    // the largest FLOAT64 plus 1e291 rounds back to it (half its ulp, 2^970, is about 9.98e291): finite, no error
    expect(r.rows[0]!.f.map((c) => c.v)).toEqual(['3', '1.5', '2020-01-02', 'Infinity', '2.5', null, '1.7976931348623157e+308', '0-0 1 2:0:0']);
    expect(r.schema.fields.map((f) => f.type)).toEqual(['INTEGER', 'FLOAT', 'DATE', 'FLOAT', 'NUMERIC', 'FLOAT', 'FLOAT', 'INTERVAL']);
    expect(await values('SELECT SUM(x) + 1, SUM(x) - MAX(x), (SELECT 1.5) + 1, 3 - (SELECT 1) FROM UNNEST([1.5, 2.5]) AS x')).toEqual(['5', '1.5', '2.5', '2']);
    expect(await failure('SELECT x + 1 FROM UNNEST([9223372036854775807]) AS x')).toBe('int64 overflow: 9223372036854775807 + 1');
  });
});

describe('SUM of FLOAT64 beyond FLOAT64', () => {
  test("fails with 'double overflow'; infinite values and sums in range keep their answers", async () => {
    expect(await failure('SELECT SUM(x) FROM UNNEST([1e308, 1e308]) AS x')).toBe('double overflow');
    expect(await failure('SELECT SUM(DISTINCT x) FROM UNNEST([1e308, 1e308, 9e307]) AS x')).toBe('double overflow');
    expect(await values("SELECT SUM(x) FROM UNNEST([1e308, CAST('inf' AS FLOAT64)]) AS x")).toEqual(['Infinity']);
    expect(await values('SELECT SUM(DISTINCT x), SUM(x) FROM UNNEST([1.5, 1.5, 2.0]) AS x')).toEqual(['3.5', '5']);
  });

  test('a running total that leaves FLOAT64 while the whole sum does not fails loudly (BigQuery answers 1e308)', async () => {
    expect(await failure('SELECT SUM(x) FROM UNNEST([1e308, 1e308, -1e308]) AS x')).toMatch(/not supported by the embedded BigQuery$/);
  });
});

describe('comparisons and common types BigQuery has no signature for, beyond single terms', () => {
  const rows = "(SELECT '1' AS s, 1 AS i, 1.5 AS f, NUMERIC '1' AS n, true AS b, DATE '2020-01-01' AS d, '2020-01-01' AS ds)";
  const refused = (what: string, types: string, signature: string) => `No matching signature for ${what} for argument types: ${types}. Supported signature: ${signature}`;

  test.each([
    ['s = i + 1', refused('operator =', 'STRING, INT64', 'ANY = ANY')],
    ['f - 1 = s', refused('operator =', 'FLOAT64, STRING', 'ANY = ANY')],
    ["i NOT BETWEEN 1 AND '2'", refused('operator BETWEEN', 'INT64, INT64, STRING', '(ANY) BETWEEN (ANY) AND (ANY)')],
    ['b BETWEEN i AND 2', refused('operator BETWEEN', 'BOOL, INT64, INT64', '(ANY) BETWEEN (ANY) AND (ANY)')],
    ['NULLIF(s, i)', refused('function NULLIF', 'STRING, INT64', 'NULLIF(ANY, ANY)')],
    ['LEAST(b, i)', refused('function LEAST', 'BOOL, INT64', 'LEAST([ANY, ...])')],
    ['GREATEST(b, i, 2)', refused('function GREATEST', 'BOOL, INT64, INT64', 'GREATEST([ANY, ...])')],
  ])('%s fails', async (expr, message) => {
    expect(await failure(`SELECT ${expr} FROM ${rows}`)).toContain(message);
  });

  test('a refused comparison fails over no rows too (BigQuery refuses the query before reading)', async () => {
    expect(await failure(`SELECT s = i FROM ${rows} WHERE FALSE`)).toContain(refused('operator =', 'STRING, INT64', 'ANY = ANY'));
    expect(await failure(`SELECT s IN (i, 2) FROM ${rows} WHERE FALSE`)).toContain('No matching signature for operator IN for argument types: STRING, INT64, INT64');
    expect(await failure(`SELECT NULLIF(s, i) FROM ${rows} WHERE FALSE`)).toContain(refused('function NULLIF', 'STRING, INT64', 'NULLIF(ANY, ANY)'));
  });

  test('CASE x WHEN v: each v needs a common type with x', async () => {
    expect(await failure(`SELECT CASE s WHEN 'a' THEN 0 WHEN 1 THEN 1 END FROM ${rows}`)).toContain('No matching signature for operator CASE for argument types: STRING, STRING, INT64');
  });

  test('a statement with OPTIONS is checked too', async () => {
    await engine().query('CREATE SCHEMA kd', opts);
    expect(await failure(`CREATE TABLE kd.t OPTIONS(description = 'x') AS SELECT s = i AS e FROM ${rows}`)).toContain(refused('operator =', 'STRING, INT64', 'ANY = ANY'));
    await engine().query(`CREATE TABLE kd.u OPTIONS(description = 'x') AS SELECT i = 1 AS e FROM ${rows}`, opts);
    expect(await values('SELECT e FROM kd.u')).toEqual(['true']);
  });

  test('what BigQuery accepts keeps its answer: numbers with numbers, STRING literals with dates', async () => {
    const r = await values(`SELECT i + 1 = 2, f - 1 < i, i BETWEEN 1 AND f, d BETWEEN '2019-01-01' AND '2021-01-01', GREATEST(i, f, n), NULLIF(i, f), LEAST(d, '2020-02-01'), NULLIF(s, 'x'), CASE i WHEN 1 THEN 'x' WHEN 2.5 THEN 'y' END, CASE d WHEN '2020-01-01' THEN 1 END FROM ${rows}`);
    expect(r).toEqual(['true', 'true', 'true', 'true', '1.5', '1', '2020-01-01', '1', 'x', '1']);
  });
});

describe('products the translator used to leave to DuckDB', () => {
  test('`x || a * b` is (x || a) * b, as in BigQuery: a STRING times a number fails', async () => {
    expect(await failure("SELECT 'a' || NUMERIC '1.5' * NUMERIC '2'")).toMatch(/^No matching signature for operator \*/);
    expect(await failure("SELECT 'a' || 'b' || 2 * 3")).toMatch(/^No matching signature for operator \*/);
  });

  test('a product after unary ~ is checked like any other (999 * 1e306 is beyond FLOAT64)', async () => {
    expect(await failure('SELECT ~x * 1e306 FROM UNNEST([-1000]) AS x')).toBe('double overflow: 999 * 1e+306');
    expect(await values('SELECT ~2 * 3')).toEqual(['-9']);
  });

  test('NUMERIC × NUMERIC is rounded to 9 digits, with a unary sign and inside + and -', async () => {
    // 1.000000001² = 1.000000002000000001 → 1.000000002
    expect(await values("SELECT NUMERIC '1.000000001' * NUMERIC '1.000000001', -NUMERIC '1.000000001' * NUMERIC '1.000000001' - 1")).toEqual(['1.000000002', '-2.000000002']);
  });
});

describe('require_partition_filter wants a filter that can eliminate partitions', () => {
  const refused = "Cannot query over table 'p.pf.t' without a filter over column(s) 'ts' that can be used for partition elimination";

  test('a disjunction with a branch that does not filter on the column does not count', async () => {
    await engine().query('CREATE SCHEMA pf', opts);
    await engine().query('CREATE TABLE pf.t (ts TIMESTAMP, f STRING) PARTITION BY DATE(ts) OPTIONS(require_partition_filter = true)', opts);
    await engine().query("INSERT pf.t (ts, f) VALUES (TIMESTAMP '2020-01-01', 'a'), (TIMESTAMP '2021-01-01', 'b')", opts);
    expect(await failure('SELECT COUNT(*) FROM pf.t WHERE ts IS NOT NULL OR TRUE')).toBe(refused);
    expect(await failure("SELECT COUNT(*) FROM pf.t WHERE f = 'a' OR ts > '2019-01-01'")).toBe(refused);
  });

  test('a conjunct, every branch of a disjunction, BETWEEN and parentheses count', async () => {
    expect(await values("SELECT COUNT(*) FROM pf.t WHERE f = 'a' AND (ts > '2020-06-01' OR ts < '2020-02-01')")).toEqual(['1']);
    expect(await values("SELECT COUNT(*) FROM pf.t WHERE ts BETWEEN '2019-01-01' AND '2020-06-01' AND f = 'a'")).toEqual(['1']);
    expect(await values("SELECT COUNT(*) FROM pf.t WHERE (ts > '2019-01-01')")).toEqual(['2']);
  });
});

describe('JSON numbers beyond 2^53', () => {
  test('a FLOAT64 of 10^15 or more prints as ZetaSQL writes it; integers keep every digit', async () => {
    // 9007199254740993 is not a FLOAT64: it rounds to 2^53 = 9007199254740992
    expect(await values("SELECT TO_JSON(CAST(9007199254740993 AS FLOAT64)), TO_JSON(STRUCT(1e20 AS b, 2 AS a)), TO_JSON(STRUCT(9007199254740993 AS z, 1.5 AS a)), TO_JSON(123.5)")).toEqual(['9.007199254740992e+15', '{"a":2,"b":1e+20}', '{"a":1.5,"z":9007199254740993}', '123.5']);
  });

  test('stringify_wide_numbers => TRUE writes an INT64 outside [-2^53, 2^53] as a JSON string', async () => {
    expect(await values('SELECT TO_JSON(9007199254740993, stringify_wide_numbers => TRUE), TO_JSON(-9007199254740993, stringify_wide_numbers => TRUE), TO_JSON(9007199254740992, stringify_wide_numbers => TRUE), TO_JSON(9007199254740993, stringify_wide_numbers => FALSE), TO_JSON(1.5, stringify_wide_numbers => TRUE)')).toEqual(['"9007199254740993"', '"-9007199254740993"', '9007199254740992', '9007199254740993', '1.5']);
    // at any depth of arrays and structs; a FLOAT64 stays a number (json_functions#to_json examples)
    expect(await values("SELECT TO_JSON([9007199254740993, 2], stringify_wide_numbers => TRUE), TO_JSON(STRUCT(9007199254740993 AS id, 'x' AS s), stringify_wide_numbers => TRUE), TO_JSON(STRUCT(CAST(9007199254740993 AS FLOAT64) AS id), stringify_wide_numbers => TRUE)")).toEqual(['["9007199254740993",2]', '{"id":"9007199254740993","s":"x"}', '{"id":9.007199254740992e+15}']);
  });
});
