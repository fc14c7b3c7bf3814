/**
 * Wrong answers and error mismatches that ZetaSQL's compliance corpus found (npm run
 * conformance:zetasql), each now BigQuery's answer or a loud error. Expected values by hand from
 * Google's GoogleSQL reference (the page named in each test) and the reference implementation's rules.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const rows = async (sql: string, options: QueryOptions = opts): Promise<unknown[][]> => (await engine().query(sql, options)).rows.map((r) => r.f.map((c) => c.v));
const failure = async (sql: string, options: QueryOptions = opts): Promise<string> => engine().query(sql, options).then(() => 'answered', (e: Error) => e.message);

describe('JSON converters (json_functions#int64, #float64)', () => {
  test('INT64 of a JSON number with a fractional part fails; a whole FLOAT64 converts', async () => {
    expect(await failure("SELECT INT64(JSON '10.1')")).toBe('The provided JSON number: 10.1 cannot be converted to an int64');
    expect(await rows("SELECT INT64(JSON '1e2'), INT64(JSON '10.0'), INT64(JSON '-7'), INT64(JSON '2005'), INT64(JSON '9223372036854775807'), SAFE.INT64(JSON '10.1')")).toEqual([['100', '10', '-7', '2005', '9223372036854775807', null]]);
  });

  test("FLOAT64 wide_number_mode => 'exact' refuses an integer beyond 2^53, 'round' (the default) rounds it", async () => {
    expect(await failure("SELECT FLOAT64(JSON '18446744073709551615', wide_number_mode => 'exact')")).toBe('JSON number: 18446744073709551615 cannot be converted to FLOAT64 without loss of precision');
    // 2^64 - 1 rounds to 2^64 = 18446744073709551616, which BigQuery prints as 1.8446744073709552E19
    const [safe, rounded, edge, fraction] = (await rows("SELECT SAFE.FLOAT64(JSON '18446744073709551615', wide_number_mode => 'exact'), FLOAT64(JSON '18446744073709551615'), FLOAT64(JSON '9007199254740992', wide_number_mode => 'exact'), FLOAT64(JSON '1.5', wide_number_mode => 'exact')"))[0] as string[];
    expect([safe, Number(rounded), edge, fraction]).toEqual([null, 2 ** 64, '9007199254740992', '1.5']);
    expect(await failure("SELECT FLOAT64(JSON '18', wide_number_mode => 'roundish')")).toBe('Invalid `wide_number_mode` specified: roundish');
  });
});

const nullParam = (name: string, type: string): QueryOptions => ({ ...opts, parameterMode: 'NAMED', queryParameters: [{ name, parameterType: { type }, parameterValue: { value: null } }] });

describe('NULL where GoogleSQL requires a value', () => {
  test('STRING_AGG with a NULL delimiter fails (aggregate_functions#string_agg); a literal delimiter still joins', async () => {
    expect(await failure('SELECT STRING_AGG("s", NULL) FROM (SELECT 1)')).toBe('Argument 2 to STRING_AGG must be non-NULL');
    expect(await failure('SELECT STRING_AGG(b"b", NULL) FROM (SELECT 1)')).toBe('Argument 2 to STRING_AGG must be non-NULL');
    expect(await failure('SELECT STRING_AGG("s", @separator) FROM (SELECT 1)', nullParam('separator', 'STRING'))).toBe('Illegal NULL separator in STRING_AGG');
    expect(await rows("SELECT STRING_AGG(x, '-' ORDER BY x) FROM UNNEST(['b', 'a']) AS x")).toEqual([['a-b']]);
  });

  test('LIMIT and OFFSET with a NULL parameter fail (query-syntax#limit_and_offset_clause)', async () => {
    expect(await failure('SELECT a FROM (SELECT 1 a) LIMIT @lmt', nullParam('lmt', 'INT64'))).toBe('Limit requires non-null count and offset');
    expect(await failure('SELECT a FROM (SELECT 1 a) LIMIT 1 OFFSET @ofst', nullParam('ofst', 'INT64'))).toBe('Limit requires non-null count and offset');
    const two: QueryOptions = { ...opts, parameterMode: 'NAMED', queryParameters: [{ name: 'n', parameterType: { type: 'INT64' }, parameterValue: { value: '2' } }] };
    expect(await rows('SELECT x FROM UNNEST([1, 2, 3]) AS x ORDER BY x LIMIT @n', two)).toEqual([['1'], ['2']]);
    const max: QueryOptions = { ...opts, parameterMode: 'NAMED', queryParameters: [{ name: 'n', parameterType: { type: 'INT64' }, parameterValue: { value: '9223372036854775807' } }] };
    expect(await rows('SELECT a FROM (SELECT 1 a) LIMIT @n', max)).toEqual([['1']]);
    expect(await rows('SELECT a FROM (SELECT 1 a) LIMIT 1 OFFSET @n', max)).toEqual([]);
  });
});

describe('window frame offsets from parameters (window-function-calls#def_window_frame)', () => {
  const param = (type: string, value: string | null): QueryOptions => ({ ...opts, parameterMode: 'NAMED', queryParameters: [{ name: 'o', parameterType: { type }, parameterValue: { value } }] });
  const frame = (bounds: string): string => `SELECT x, COUNT(*) OVER (ORDER BY x RANGE BETWEEN ${bounds}) FROM UNNEST([1.0, 2.0, 4.0]) AS x ORDER BY x`;

  test('a NULL, negative or NaN offset fails', async () => {
    expect(await failure(frame('@o PRECEDING AND CURRENT ROW'), param('FLOAT64', null))).toBe('The boundary offset value cannot be null');
    expect(await failure(frame('2 FOLLOWING AND @o FOLLOWING'), param('FLOAT64', null))).toBe('The boundary offset value cannot be null');
    expect(await failure(frame('@o FOLLOWING AND 2 FOLLOWING'), param('FLOAT64', 'NaN'))).toBe('Window frame offset for PRECEDING or FOLLOWING must be non-negative, but was nan');
    expect(await failure(frame('@o PRECEDING AND CURRENT ROW'), param('FLOAT64', '-1'))).toMatch(/^Window frame offset for PRECEDING or FOLLOWING must be non-negative, but was -1/);
  });

  test('a valid offset parameter frames as a literal does', async () => {
    // x - 1 <= y <= x: 1 → {1}, 2 → {1, 2}, 4 → {4}
    expect(await rows(frame('@o PRECEDING AND CURRENT ROW'), param('FLOAT64', '1'))).toEqual([['1', '1'], ['2', '2'], ['4', '1']]);
    const ints = 'SELECT x, COUNT(*) OVER (ORDER BY x ROWS BETWEEN @o PRECEDING AND CURRENT ROW) FROM UNNEST([1, 2, 4]) AS x ORDER BY x';
    expect(await rows(ints, param('INT64', '1'))).toEqual([['1', '1'], ['2', '2'], ['4', '2']]);
    expect(await failure(ints, param('INT64', null))).toBe('The boundary offset value cannot be null');
  });
});

describe('JSON and string functions given a NULL argument', () => {
  test('JSON_OBJECT(keys, values) with a NULL array fails (json_functions#json_object)', async () => {
    expect(await failure('SELECT JSON_OBJECT(CAST(NULL AS ARRAY<STRING>), [10, 20])')).toBe('Invalid input to JSON_OBJECT: The keys array cannot be NULL');
    expect(await failure("SELECT JSON_OBJECT(['a', 'b'], CAST(NULL AS ARRAY<INT64>))")).toBe('Invalid input to JSON_OBJECT: The values array cannot be NULL');
    expect(await rows("SELECT JSON_OBJECT(['a', 'b'], [1, 2])")).toEqual([['{"a":1,"b":2}']]);
  });

  test('JSON_REMOVE skips a NULL path; JSON_EXTRACT_STRING_ARRAY with a NULL path is a NULL ARRAY<STRING>', async () => {
    expect(await rows(`SELECT JSON_REMOVE(JSON '[{"a": [10]}, null]', NULL), JSON_REMOVE(JSON '{"a": 1, "b": 2}', NULL, '$.a')`)).toEqual([['[{"a":[10]},null]', '{"b":2}']]);
    const result = await engine().query(`SELECT JSON_EXTRACT_STRING_ARRAY('{"a": ["foo"]}', NULL) AS a`, opts);
    expect(result.schema.fields.map((f) => [f.type, f.mode])).toEqual([['STRING', 'REPEATED']]);
  });

  test('SPLIT with a NULL delimiter is NULL (string_functions#split), a REST NULL array reads as []', async () => {
    expect(await rows("SELECT SPLIT('x', NULL), SPLIT('a-b', '-'), SPLIT('a,b')")).toEqual([[[], [{ v: 'a' }, { v: 'b' }], [{ v: 'a' }, { v: 'b' }]]]);
  });

  test('APPROX_TOP_COUNT and APPROX_TOP_SUM return at most 100,000 elements (approximate_aggregate_functions)', async () => {
    expect(await failure('SELECT APPROX_TOP_COUNT(x, 100001) FROM UNNEST([1]) AS x')).toBe('The second argument to APPROX_TOP_COUNT function cannot be greater than 100000');
    expect(await failure('SELECT APPROX_TOP_SUM(x, x, 100001) FROM UNNEST([1]) AS x')).toBe('The second argument to APPROX_TOP_SUM function cannot be greater than 100000');
  });
});

describe('TIMESTAMP, DATETIME and TIME as STRING (conversion_functions#cast_as_string)', () => {
  test('fractional seconds come in 0, 3 or 6 digits: only whole groups of three zeros are dropped', async () => {
    const sql = `SELECT CAST(TIMESTAMP '2015-01-28 00:00:00.1' AS STRING), CAST(TIMESTAMP '2015-01-28 00:00:00.0001' AS STRING),
      CAST(TIMESTAMP '2015-01-28 00:00:00' AS STRING), STRING(TIMESTAMP '2015-01-28 00:00:00.123456'),
      CAST(DATETIME '2006-01-02 03:04:05.1' AS STRING), CAST(TIME '01:02:03.45' AS STRING), CAST(TIME '01:02:03' AS STRING)`;
    expect(await rows(sql)).toEqual([['2015-01-28 00:00:00.100+00', '2015-01-28 00:00:00.000100+00', '2015-01-28 00:00:00+00', '2015-01-28 00:00:00.123456+00', '2006-01-02 03:04:05.100', '01:02:03.450', '01:02:03']]);
  });
});

describe('STRING(timestamp, time_zone) (timestamp_functions#string)', () => {
  test("the civil time in that zone with the zone's offset at that instant ('+01', '+05:30', '-03:30')", async () => {
    // Amsterdam in February is UTC+1, Kolkata UTC+5:30, St. John's in February UTC-3:30, Los Angeles in July UTC-7
    const sql = `SELECT STRING(TIMESTAMP '2014-02-28 10:20:30', 'Europe/Amsterdam'), STRING(TIMESTAMP '2014-02-28 10:20:30.5', 'Asia/Kolkata'),
      STRING(TIMESTAMP '2014-02-28 01:20:30', 'America/St_Johns'), STRING(TIMESTAMP '2014-07-01 10:00:00', 'America/Los_Angeles'),
      STRING(TIMESTAMP '2014-02-28 10:20:30', 'UTC')`;
    expect(await rows(sql)).toEqual([['2014-02-28 11:20:30+01', '2014-02-28 15:50:30.500+05:30', '2014-02-27 21:50:30-03:30', '2014-07-01 03:00:00-07', '2014-02-28 10:20:30+00']]);
  });
});

describe('ORDER BY an ordinal over FLOAT64 (data-types#floating_point_semantics)', () => {
  const VALUES = "UNNEST([1.0, CAST('nan' AS FLOAT64), 2.0, NULL]) AS x";
  test('NaN sorts after NULL and before every number: last but NULL in DESC, first after NULL in ASC', async () => {
    expect(await rows(`SELECT x FROM ${VALUES} ORDER BY 1 DESC`)).toEqual([['2'], ['1'], ['NaN'], [null]]);
    expect(await rows(`SELECT x * 2 AS y, 'a' AS z FROM ${VALUES} ORDER BY 1`)).toEqual([[null, 'a'], ['NaN', 'a'], ['2', 'a'], ['4', 'a']]);
    expect(await rows(`SELECT DISTINCT x FROM ${VALUES} ORDER BY 1`)).toEqual([[null], ['NaN'], ['1'], ['2']]);
    // a window in the select list: COUNT over DESC order sees 2, 1, NaN, NULL
    expect(await rows(`SELECT x, COUNT(*) OVER (ORDER BY x DESC) FROM ${VALUES} ORDER BY 1 DESC`)).toEqual([['2', '1'], ['1', '2'], ['NaN', '3'], [null, '4']]);
  });
});

describe('PERCENTILE_CONT over FLOAT64 with NaN (navigation_functions#percentile_cont)', () => {
  test('a window holding a NaN fails loudly (BigQuery sorts NaN before -inf) unless both orders meet a NaN; without one it interpolates', async () => {
    const values = "UNNEST([NULL, CAST('nan' AS FLOAT64), CAST('-inf' AS FLOAT64), 1.0, 2.0, CAST('inf' AS FLOAT64)]) AS x";
    expect(await failure(`SELECT PERCENTILE_CONT(x, 0) OVER () FROM ${values}`)).toMatch(/NaN is not supported by the embedded BigQuery/);
    // {NaN, 2} halfway meets the NaN in either order: NaN; {1, 3} halfway is 2
    const pairs = "SELECT k, PERCENTILE_CONT(x, 0.5) OVER (PARTITION BY k) FROM UNNEST([STRUCT(1 AS k, CAST('nan' AS FLOAT64) AS x), (1, 2.0), (2, 1.0), (2, 3.0)]) ORDER BY k";
    expect(await rows(pairs)).toEqual([['1', 'NaN'], ['1', 'NaN'], ['2', '2'], ['2', '2']]);
    // sorted without NULL: -inf, 1, 2, +inf (position p × 3): 0 → -inf, 0.5 → 1.5, 1 → +inf
    const sql = "SELECT PERCENTILE_CONT(x, 0) OVER (), PERCENTILE_CONT(x, 0.5) OVER (), PERCENTILE_CONT(x, 1) OVER () FROM UNNEST([NULL, CAST('-inf' AS FLOAT64), 1.0, 2.0, CAST('inf' AS FLOAT64)]) AS x LIMIT 1";
    expect(await rows(sql)).toEqual([['-Infinity', '1.5', 'Infinity']]);
  });
});

describe('a RANGE frame whose end comes before its start (window-function-calls#def_window_frame)', () => {
  test('COUNT over it is 0 for a finite key, the peers for NULL and NaN (DuckDB counted -1); ROWS and ordered frames unchanged', async () => {
    const values = "UNNEST([1.0, 2.0, 2.5, 3.0, 4.5, 4.5, NULL, CAST('nan' AS FLOAT64), CAST('nan' AS FLOAT64)]) AS x";
    // [x - 1, x - 2] is empty for a finite x; NULL - 1 is NULL and NaN - 1 NaN, so those frames are their peers
    expect(await rows(`SELECT x, COUNT(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 2 PRECEDING) FROM ${values} ORDER BY x`)).toEqual([
      [null, '1'], ['NaN', '2'], ['NaN', '2'], ['1', '0'], ['2', '0'], ['2.5', '0'], ['3', '0'], ['4.5', '0'], ['4.5', '0'],
    ]);
    expect(await rows('SELECT x, COUNT(*) OVER w FROM UNNEST([1.0, 2.0]) AS x WINDOW w AS (ORDER BY x RANGE BETWEEN 2 FOLLOWING AND 1 FOLLOWING) ORDER BY x')).toEqual([['1', '0'], ['2', '0']]);
    // [x - 2, x - 1]: 1 → none, 2 → {1}; ROWS 1 PRECEDING AND 2 PRECEDING is empty
    const sql = 'SELECT x, COUNT(*) OVER (ORDER BY x RANGE BETWEEN 2 PRECEDING AND 1 PRECEDING), COUNT(*) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 2 PRECEDING) FROM UNNEST([1.0, 2.0]) AS x ORDER BY x';
    expect(await rows(sql)).toEqual([['1', '0', '0'], ['2', '1', '0']]);
  });
});

describe('an operator given a literal NULL (the analyzer refuses it: "Operands of = cannot be literal NULL")', () => {
  test('binary and unary operators fail; IS [NOT] NULL, IS DISTINCT FROM, CAST(NULL ...) and function arguments answer', async () => {
    expect(await failure('SELECT 1 + NULL')).toBe('Operands of + cannot be literal NULL');
    expect(await failure('SELECT x FROM UNNEST([1]) AS x WHERE x = NULL')).toBe('Operands of = cannot be literal NULL');
    expect(await failure('SELECT NOT NULL')).toBe('Operands of NOT cannot be literal NULL');
    expect(await failure('SELECT NOT NOT NULL')).toBe('Operands of NOT cannot be literal NULL');
    expect(await failure("SELECT 'a' LIKE NULL")).toBe('Operands of LIKE cannot be literal NULL');
    const sql = 'SELECT NULL IS NULL, 1 IS NOT NULL, NULL IS DISTINCT FROM 1, CAST(NULL AS INT64) + 1, COALESCE(NULL, 1), NOT (NULL IS NULL), IF(x = 1, NULL, 2) FROM UNNEST([1]) AS x';
    expect(await rows(sql)).toEqual([['true', 'true', 'true', null, '1', 'false', null]]);
  });
});

describe('BIGNUMERIC beyond the engine\'s 19 fractional digits (data-types#decimal_types: BigQuery keeps 38)', () => {
  test('ARRAY<BIGNUMERIC>[...] converts number literals from their text; one beyond 19 digits fails loudly', async () => {
    // 1.234567890123456789 as FLOAT64 is 1.23456789012345669043...: through it the element was 1.2345678901234569216
    expect(await rows('SELECT CAST(1.234567890123456789 AS BIGNUMERIC) IN UNNEST(ARRAY<BIGNUMERIC>[1, 2, 3.25, 1.234567890123456789]), ARRAY<NUMERIC>[1.5, -0.0000000005]')).toEqual([['true', [{ v: '1.5' }, { v: '-0.000000001' }]]]);
    expect(await failure('SELECT ARRAY<BIGNUMERIC>[1.00000000000000000000000000000000000001, 4.5]')).toMatch(/not supported by the embedded BigQuery/);
  });

  test('CAST of a FLOAT64 or STRING whose exact value has more than 19 fractional digits fails loudly; others convert', async () => {
    // 0.1 as FLOAT64 is 0.1000000000000000055511151231257827021181583404541015625: BigQuery keeps 38 digits of it
    expect(await failure('SELECT CAST(x AS BIGNUMERIC) FROM UNNEST([0.1]) AS x')).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure("SELECT CAST('1.00000000000000000000001' AS BIGNUMERIC)")).toMatch(/not supported by the embedded BigQuery/);
    expect(await rows("SELECT CAST(x AS BIGNUMERIC), CAST('-12.1000000000000000000000' AS BIGNUMERIC), SAFE_CAST('abc' AS BIGNUMERIC) FROM UNNEST([2.25]) AS x")).toEqual([['2.25', '-12.1', null]]);
  });
});

describe('quoted identifiers take the escape sequences of string literals (lexical#quoted_identifiers)', () => {
  test('`a\\tb` names a column a<TAB>b and `x\\`y` one with a backtick', async () => {
    const result = await engine().query('SELECT 1 AS `a\\tb`, 2 AS `x\\`y`', opts);
    expect(result.schema.fields.map((f) => f.name)).toEqual(['a\tb', 'x`y']);
  });
});

describe('PIVOT of a volatile expression (query-syntax#pivot_operator)', () => {
  test('two aggregates of the same RAND() expression fail loudly (DuckDB computed one draw for both)', async () => {
    expect(await failure('SELECT * FROM (SELECT 1 x) PIVOT (SUM(RAND()) AS r1, SUM(RAND()) AS r2 FOR x IN (1 AS a))')).toMatch(/not supported by the embedded BigQuery/);
    // one aggregate: the same value for two aliases of one pivot value, another draw for another value
    expect(await rows('SELECT r_a = r_b, r_a != r_c FROM (SELECT 1 x UNION ALL SELECT 2) PIVOT (SUM(RAND()) AS r FOR x IN (1 AS a, 1 AS b, 2 AS c))')).toEqual([['true', 'true']]);
  });
});

describe('a RANGE frame bound that leaves the FLOAT64 range (window-function-calls#def_window_frame)', () => {
  test('x + offset beyond FLOAT64 fails loudly (BigQuery does not reach +inf keys from it, DuckDB did); finite bounds answer', async () => {
    const sql = "SELECT x, AVG(x) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND 1.7976931348623157e308 FOLLOWING) FROM UNNEST([1.0, 1.7976931348623157e308, CAST('inf' AS FLOAT64)]) AS x";
    expect(await failure(sql)).toMatch(/not supported by the embedded BigQuery/);
    // [x - 1, x + 1]: NaN sees its peers, 1 → {1, 2}, 2 → {1, 2}, 4 → {4}, +inf → its peers
    const finite = "SELECT x, COUNT(*) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM UNNEST([1.0, 2.0, 4.0, CAST('inf' AS FLOAT64), CAST('nan' AS FLOAT64)]) AS x ORDER BY x";
    expect(await rows(finite)).toEqual([['NaN', '1'], ['1', '2'], ['2', '2'], ['4', '1'], ['Infinity', '1']]);
    // an infinite offset reaches +inf from every key, in both: 1 → {1, +inf}, +inf → {+inf}
    const infinite: QueryOptions = { ...opts, parameterMode: 'NAMED', queryParameters: [{ name: 'o', parameterType: { type: 'FLOAT64' }, parameterValue: { value: 'inf' } }] };
    expect(await rows("SELECT x, COUNT(*) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND @o FOLLOWING) FROM UNNEST([1.0, CAST('inf' AS FLOAT64)]) AS x ORDER BY x", infinite)).toEqual([['1', '2'], ['Infinity', '1']]);
  });
});

describe('STRING_AGG of BYTES (aggregate_functions#string_agg: BYTES in, BYTES out)', () => {
  test('fails loudly, as an aggregate and over a window (DuckDB returned STRING); STRING values still join', async () => {
    expect(await failure("SELECT STRING_AGG(b) FROM UNNEST([b'a', b'b']) AS b")).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure("SELECT STRING_AGG(b) OVER (ORDER BY b) FROM UNNEST([b'a', b'b']) AS b")).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure("SELECT STRING_AGG(b) FROM UNNEST([b'a']) AS b WHERE false")).toMatch(/not supported by the embedded BigQuery/);
    expect(await rows("SELECT STRING_AGG(s LIMIT 1), STRING_AGG(s, '-' ORDER BY s DESC LIMIT 1), STRING_AGG(DISTINCT s ORDER BY s) FROM UNNEST(['a', 'b', 'a']) AS s")).toEqual([['a', 'b', 'a,b']]);
    expect(await rows("SELECT STRING_AGG(s, '-') OVER (ORDER BY s) FROM UNNEST(['a', 'b']) AS s ORDER BY 1")).toEqual([['a'], ['a-b']]);
  });
});

describe('DATE(string) and TIME(string) read the string as a TIMESTAMP (date_functions#date, time_functions#time)', () => {
  test('its zone is kept (UTC without one); TIME(timestamp) is the UTC time of day', async () => {
    // 01:02:03.456+08 is 17:02:03.456 UTC; 2019-08-01 03:00:00+05 is 2019-07-31 22:00 UTC; Kolkata is UTC+5:30
    const sql = `SELECT TIME('2010-11-12 01:02:03.456+08'), TIME('2010-11-12 01:02:03.456'), DATE('2019-08-01 03:00:00+05'), DATE('2020-01-02'),
      TIME(TIMESTAMP '2010-11-12 01:02:03.456+08'), TIME(TIMESTAMP '2010-11-12 01:02:03', 'Asia/Kolkata'), TIME(DATETIME '2010-11-12 01:02:03'), DATE(DATETIME '2020-01-01 23:00:00')`;
    expect(await rows(sql)).toEqual([['17:02:03.456', '01:02:03.456', '2019-07-31', '2020-01-02', '17:02:03.456', '06:32:03', '01:02:03', '2020-01-01']]);
    const string: QueryOptions = { ...opts, parameterMode: 'NAMED', queryParameters: [{ name: 's', parameterType: { type: 'STRING' }, parameterValue: { value: '2019-08-01 03:00:00+05' } }] };
    expect(await rows('SELECT DATE(@s), TIME(@s), DATE(DATE \'2020-01-01\')', string)).toEqual([['2019-07-31', '22:00:00', '2020-01-01']]);
  });

  test('CAST of a STRING with a time of day to DATE, or with a date to TIME, fails (DuckDB dropped the rest)', async () => {
    expect(await failure("SELECT CAST('2019-08-01 03:00:00+05' AS DATE)")).toMatch(/^Invalid date string/);
    expect(await failure("SELECT CAST('2010-11-12 01:02:03+08' AS TIME)")).toMatch(/^Invalid time string/);
    expect(await rows("SELECT CAST('2019-08-01' AS DATE), CAST('01:02:03.5' AS TIME), SAFE_CAST('2019-08-01 03:00:00' AS DATE)")).toEqual([['2019-08-01', '01:02:03.5', null]]);
  });
});
