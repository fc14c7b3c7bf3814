/**
 * Answers the embedded BigQuery gave where BigQuery gives another answer or an error (ZetaSQL's
 * compliance corpus, wave 2): number literals cast to NUMERIC / BIGNUMERIC are exact (they went
 * through FLOAT64), BIGNUMERIC values the engine cannot hold fail loudly, and the errors BigQuery
 * gives for out-of-range inputs. Expected values by hand from BigQuery's docs.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const types = async (sql: string): Promise<string[]> => ((await engine().query(sql, opts)).schema?.fields ?? []).map((f) => f.type);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
const LOUD = /is not supported by the embedded BigQuery/;

describe('number literals cast to NUMERIC and BIGNUMERIC', () => {
  test('convert from their text, not through FLOAT64', async () => {
    // FLOAT64 holds ~16 significant digits: the old answer was 9999999999999999538762658202.121142272
    expect(await values('SELECT CAST(9999999999999999999999999999.999999999 AS NUMERIC), CAST(-12345678901234567890.123456789 AS NUMERIC)'))
      .toEqual(['9999999999999999999999999999.999999999', '-12345678901234567890.123456789']);
    expect(await types('SELECT CAST(0.1 AS NUMERIC), CAST(0.1 AS BIGNUMERIC)')).toEqual(['NUMERIC', 'BIGNUMERIC']);
    // 1.25e3 = 1250; 0.1234567891234567891 has 19 fractional digits, which the engine holds
    expect(await values('SELECT CAST(-1.25e3 AS BIGNUMERIC), CAST(0.1234567891234567891 AS BIGNUMERIC), CAST(7 AS NUMERIC)')).toEqual(['-1250', '0.1234567891234567891', '7']);
  });

  test('NUMERIC rounds half away from zero to 9 digits; out of range fails, SAFE_CAST gives NULL', async () => {
    expect(await values('SELECT CAST(1.0000000005 AS NUMERIC), CAST(-1.0000000005 AS NUMERIC), CAST(2.00000000049 AS NUMERIC)')).toEqual(['1.000000001', '-1.000000001', '2']);
    expect(await failure('SELECT CAST(1e38 AS NUMERIC)')).toBe('Invalid NUMERIC value: 1e38');
    expect(await values('SELECT SAFE_CAST(1e38 AS NUMERIC), SAFE_CAST(0.5 AS NUMERIC)')).toEqual([null, '0.5']);
  });

  test('a BIGNUMERIC with more digits than the engine holds fails loudly (it was rounded to 1)', async () => {
    expect(await failure("SELECT BIGNUMERIC '1.00000000000000000000000000000000000001'")).toMatch(LOUD);
    expect(await failure('SELECT CAST(1.00000000000000000000000000000000000001 AS BIGNUMERIC)')).toMatch(LOUD);
    expect(await failure("SELECT BIGNUMERIC '1e20'")).toMatch(LOUD);
    expect(await values("SELECT BIGNUMERIC '123.5', BIGNUMERIC '-0.0000000000000000001', BIGNUMERIC '1.50000000000000000000000000'")).toEqual(['123.5', '-0.0000000000000000001', '1.5']);
  });
});

describe('STRING to TIME and DATETIME', () => {
  test("'24:00:00' is no TIME and a DATETIME string has no zone (DuckDB read both); SAFE_CAST gives NULL", async () => {
    expect(await failure("SELECT CAST('24:00:00' AS TIME)")).toBe('Invalid time string "24:00:00"');
    expect(await failure("SELECT CAST(x AS TIME) FROM UNNEST(['24:00:00']) AS x")).toBe('Invalid time string "24:00:00"');
    expect(await failure("SELECT CAST('2006-01-02 01:02:03.123456 UTC' AS DATETIME)")).toBe('Invalid datetime string "2006-01-02 01:02:03.123456 UTC"');
    expect(await failure("SELECT CAST('2006-01-02 01:02:03-08:00' AS DATETIME)")).toBe('Invalid datetime string "2006-01-02 01:02:03-08:00"');
    expect(await values("SELECT SAFE_CAST('24:00:00' AS TIME), SAFE_CAST('2006-01-02 01:02:03 UTC' AS DATETIME)")).toEqual([null, null]);
  });

  test("TIME '24:00:00' and a DATETIME literal with a zone are invalid literals", async () => {
    expect(await failure("SELECT TIME '24:00:00'")).toBe('Invalid TIME literal');
    expect(await failure("SELECT DATETIME '2006-01-02 01:02:03 UTC'")).toBe('Invalid DATETIME literal');
    expect(await failure("SELECT DATETIME '2006-01-02 01:02:03.5+05:00'")).toBe('Invalid DATETIME literal');
    expect(await values("SELECT TIME '23:59:59', TIME '1:2:3', DATETIME '2006-01-02', DATETIME '2006-01-02T01:02:03'")).toEqual(['23:59:59', '01:02:03', '2006-01-02T00:00:00', '2006-01-02T01:02:03']);
  });

  test('valid strings and non-string inputs keep their answers', async () => {
    expect(await values("SELECT CAST('23:59:59.999999' AS TIME), CAST('1:2:3' AS TIME), CAST('2006-01-02' AS DATETIME), CAST('2006-01-02T01:02:03' AS DATETIME)"))
      .toEqual(['23:59:59.999999', '01:02:03', '2006-01-02T00:00:00', '2006-01-02T01:02:03']);
    expect(await values("SELECT CAST(TIMESTAMP '2006-01-02 01:02:03 UTC' AS DATETIME), CAST(DATETIME '2020-01-01 10:00:00' AS TIME)")).toEqual(['2006-01-02T01:02:03', '10:00:00']);
  });
});

describe('sequence and interval bounds', () => {
  test("GENERATE_DATE_ARRAY and GENERATE_TIMESTAMP_ARRAY with a zero step fail: 'Sequence step cannot be 0.'", async () => {
    expect(await failure("SELECT GENERATE_DATE_ARRAY('2016-01-01', '2017-01-01', INTERVAL 0 DAY)")).toBe('Sequence step cannot be 0.');
    expect(await failure("SELECT GENERATE_DATE_ARRAY('2016-01-01', '2017-01-01', INTERVAL s DAY) FROM UNNEST([0]) AS s")).toBe('Sequence step cannot be 0.');
    expect(await failure("SELECT GENERATE_TIMESTAMP_ARRAY('2016-01-01', '2017-01-01', INTERVAL 0 SECOND)")).toBe('Sequence step cannot be 0.');
    const dates = (await engine().query("SELECT GENERATE_DATE_ARRAY('2020-01-01', '2020-01-05', INTERVAL 2 DAY)", opts)).rows[0]!.f[0]!.v;
    expect(dates).toEqual([{ v: '2020-01-01' }, { v: '2020-01-03' }, { v: '2020-01-05' }]);
  });

  test("MAKE_INTERVAL beyond 10000 years, 3660000 days or as many days of microseconds fails with ZetaSQL's message", async () => {
    // 10000 × 12 + 1 = 120001 months
    expect(await failure('SELECT MAKE_INTERVAL(year => 10000, month => 1)')).toBe("Interval field months '120001' is out of range -120000 to 120000");
    expect(await failure('SELECT MAKE_INTERVAL(day => -3660001)')).toBe("Interval field days '-3660001' is out of range -3660000 to 3660000");
    // 87840001 hours × 3600000000 µs = 316224003600000000
    expect(await failure('SELECT MAKE_INTERVAL(hour => 87840001)')).toBe("Interval field microseconds '316224003600000000' is out of range -316224000000000000 to 316224000000000000");
    expect(await values('SELECT MAKE_INTERVAL(year => 10000), MAKE_INTERVAL(1, 2, 3, 4, 5, 6), MAKE_INTERVAL(month => NULL)')).toEqual(['10000-0 0 0:0:0', '1-2 3 4:5:6', null]);
  });
});

describe('string functions: output limits, argument counts and NULL types', () => {
  test("LPAD, RPAD and REPEAT beyond ZetaSQL's 1MB output fail instead of allocating it", async () => {
    expect(await failure("SELECT LPAD('abc', 1000000000)")).toBe('Output of LPAD/RPAD exceeds max allowed output size of 1MB');
    expect(await failure("SELECT RPAD(b'abc', 1048577)")).toBe('Output of LPAD/RPAD exceeds max allowed output size of 1MB');
    expect(await failure("SELECT REPEAT('abc', 1000000000)")).toBe('Output of REPEAT exceeds max allowed output size of 1MB');
    // 3 bytes × 349526 = 1048578 > 1048576
    expect(await failure("SELECT REPEAT(b'abc', 349526)")).toBe('Output of REPEAT exceeds max allowed output size of 1MB');
    // exactly 1MB passes; an INT64 size (it found no DuckDB signature) works
    expect(await values("SELECT LENGTH(REPEAT('abcd', 262144)), LENGTH(LPAD('abc', 1048576)), LPAD('abc', CAST(5 AS INT64)), RPAD('abc', 5, 'xy'), REPEAT('', 100000000)"))
      .toEqual(['1048576', '1048576', '  abc', 'abcxy', '']);
  });

  test('REPEAT of an untyped NULL is a STRING', async () => {
    expect(await types("SELECT REPEAT(NULL, 10), REPEAT('ab', NULL), REPEAT(NULL, NULL), REPEAT(b'ab', 2)")).toEqual(['STRING', 'STRING', 'STRING', 'BYTES']);
  });

  test('ASCII of a non-ASCII first character fails (SAFE.: NULL); of BYTES it is the first byte', async () => {
    expect(await failure("SELECT ASCII('é')")).toBe("Argument to ASCII is not a structurally valid ASCII string: 'é'");
    // 'ÿ' is U+00FF: DuckDB gave 255; b'\xFF' is the byte 255 (DuckDB had no BYTES form)
    expect(await values("SELECT SAFE.ASCII('ÿ'), ASCII(b'\\xFF'), ASCII(b''), ASCII(''), ASCII('a'), ASCII('Zeta'), ASCII(NULL)")).toEqual([null, '255', '0', '0', '97', '90', null]);
  });

  test('FORMAT with more arguments than its pattern uses fails', async () => {
    expect(await failure("SELECT FORMAT('%d', 17, 'abc')")).toBe('Too many arguments to FORMAT for pattern "%d"; Expected 2; Got 3');
    // a * width takes an argument of its own; %% takes none
    expect(await failure("SELECT FORMAT('%*d%%', 4, 1, 2)")).toBe('Too many arguments to FORMAT for pattern "%*d%%"; Expected 3; Got 4');
    expect(await values("SELECT FORMAT('%*d|%%|%s', 4, 1, 'a'), FORMAT('x')")).toEqual(['   1|%|a', 'x']);
  });

  test('a pattern known at run time: unused arguments fail, a * precision fails loudly, the rest is printf', async () => {
    expect(await failure("SELECT FORMAT(x, y, z) FROM (SELECT '%d' AS x, 17 AS y, 'abc' AS z)")).toBe('Too many arguments to FORMAT for pattern "%d"; Expected 2; Got 3');
    expect(await failure("SELECT FORMAT(x, 4, 12) FROM UNNEST(['%0.*d']) AS x")).toMatch(LOUD);
    const rows = (await engine().query("SELECT FORMAT(x, y, z) FROM (SELECT 1 AS k, '%d %d' AS x, 15 AS y, -23 AS z UNION ALL SELECT 2, '%*i', 6, 13 UNION ALL SELECT 3, '%%%d %d', 1, 2 UNION ALL SELECT 4, NULL, 4, 12) ORDER BY k", opts)).rows;
    expect(rows.map((r) => r.f[0]!.v)).toEqual(['15 -23', '    13', '%1 2', null]);
  });
});

describe('INTERVAL as STRING', () => {
  test("CAST(INTERVAL AS STRING) is BigQuery's canonical Y-M D H:M:S text (DuckDB's CAST gave '29 days 24:00:00')", async () => {
    // days and hours are kept apart, each part keeps its sign; -14 months is -1 year -2 months under one sign
    expect(await values('SELECT CAST(INTERVAL 29 DAY + INTERVAL 24 HOUR AS STRING), CAST(INTERVAL 31 DAY - INTERVAL 24 HOUR AS STRING), CAST(INTERVAL -14 MONTH AS STRING), CAST(MAKE_INTERVAL(1, 2, 3, 4, 5, 6) AS STRING)'))
      .toEqual(['0-0 29 24:0:0', '0-0 31 -24:0:0', '-1-2 0 0:0:0', '1-2 3 4:5:6']);
    expect(await values("SELECT CONCAT(CAST(i AS STRING), '/') FROM UNNEST([INTERVAL 90 MINUTE]) AS i")).toEqual(['0-0 0 1:30:0/']);
    expect(await values("SELECT CAST(CAST(NULL AS INTERVAL) AS STRING), CAST(1 AS STRING), CAST(NUMERIC '1.50' AS STRING), CAST(b'ab' AS STRING)")).toEqual([null, '1', '1.5', 'ab']);
  });
});

describe('STRING as INTERVAL', () => {
  test("the canonical text, its 'Y-M' prefix and ISO 8601 convert (DuckDB read '1' as one second and refused '1-2')", async () => {
    expect(await values("SELECT SAFE_CAST('1-2' AS INTERVAL), SAFE_CAST('PT1H2M' AS INTERVAL), CAST('1-2 3 4:5:6' AS INTERVAL), CAST('-1-2 -3 -4:5:6.5' AS INTERVAL), CAST('P1Y2M3DT4H5M6S' AS INTERVAL)"))
      .toEqual(['1-2 0 0:0:0', '0-0 0 1:2:0', '1-2 3 4:5:6', '-1-2 -3 -4:5:6.5', '1-2 3 4:5:6']);
    expect(await values('SELECT CAST(CAST(NULL AS STRING) AS INTERVAL), CAST(INTERVAL 1 DAY AS INTERVAL)')).toEqual([null, '0-0 1 0:0:0']);
  });

  test('other strings fail loudly (BigQuery refuses some, the engine does not know them all); the range holds', async () => {
    expect(await failure("SELECT CAST('1' AS INTERVAL)")).toMatch(LOUD);
    expect(await failure("SELECT SAFE_CAST('P1' AS INTERVAL)")).toMatch(LOUD);
    // 10001 years = 120012 months
    expect(await failure("SELECT CAST('10001-0' AS INTERVAL)")).toBe("Interval field months '120012' is out of range -120000 to 120000");
  });
});
