/**
 * Statistical aggregates and SUM at their edges, as BigQuery gives them (statistical_aggregate_functions,
 * aggregate_functions#sum): NULL with fewer than 2 (POP: 1) values or non-NULL pairs, NaN when an input
 * is ±inf or NaN, NUMERIC and BIGNUMERIC inputs aggregated without FLOAT64's loss of digits, the same in
 * window calls; SUM's INT64, NUMERIC and FLOAT64 overflow errors in window calls as in plain ones.
 * Expected values by hand from the definitions.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const rows = async (sql: string): Promise<unknown[][]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));
const values = async (sql: string): Promise<unknown[]> => (await rows(sql))[0]!;
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

/** FLOAT64 results within 1e-12 relative (the exact value rounds to a nearby double). */
function near(got: unknown[], expected: (number | null)[]): void {
  expect(got).toHaveLength(expected.length);
  got.forEach((g, i) => {
    const e = expected[i]!;
    if (e === null) expect(g).toBeNull();
    else expect(Math.abs(Number(g) - e)).toBeLessThanOrEqual(1e-12 * Math.abs(e));
  });
}

describe('too few values', () => {
  test('SAMP forms are NULL for one value, POP forms 0; all are NULL for none', async () => {
    expect(await values('SELECT VAR_SAMP(x), STDDEV_SAMP(x), VARIANCE(x), STDDEV(x), VAR_POP(x), STDDEV_POP(x) FROM UNNEST([5.0]) AS x')).toEqual([null, null, null, null, '0', '0']);
    expect(await values('SELECT VAR_POP(x), STDDEV_POP(x), VAR_SAMP(x) FROM UNNEST(CAST([] AS ARRAY<FLOAT64>)) AS x')).toEqual([null, null, null]);
  });

  test('CORR and COVAR_SAMP of one pair are NULL, COVAR_POP 0; a pair with a NULL does not count', async () => {
    expect(await values('SELECT CORR(y, x), COVAR_SAMP(y, x), COVAR_POP(y, x) FROM UNNEST([STRUCT(1.0 AS y, 1.0 AS x)])')).toEqual([null, null, '0']);
    expect(await values('SELECT CORR(y, x), COVAR_SAMP(y, x) FROM UNNEST([STRUCT(1.0 AS y, 2.0 AS x), (NULL, 3.0), (4.0, NULL)])')).toEqual([null, null]);
  });
});

describe('infinite and NaN inputs', () => {
  test('give NaN once there are enough values', async () => {
    expect(await values("SELECT VAR_POP(x), STDDEV_POP(x), VAR_SAMP(x), STDDEV_SAMP(x) FROM UNNEST([1.0, CAST('inf' AS FLOAT64)]) AS x")).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
    expect(await values("SELECT VAR_POP(x), STDDEV_SAMP(x) FROM UNNEST([CAST('nan' AS FLOAT64)]) AS x")).toEqual(['NaN', null]);
    expect(await values("SELECT COVAR_POP(y, x), COVAR_SAMP(y, x), CORR(y, x) FROM UNNEST([STRUCT(1.0 AS y, 2.0 AS x), (3.0, CAST('-inf' AS FLOAT64))])")).toEqual(['NaN', 'NaN', 'NaN']);
  });

  test('an infinite value in a pair with a NULL is not an input: two points on a line correlate exactly', async () => {
    near(await values("SELECT CORR(y, x), COVAR_POP(y, x) FROM UNNEST([STRUCT(1.0 AS y, 1.0 AS x), (3.0, 2.0), (NULL, CAST('inf' AS FLOAT64))])"), [1, 0.5]);
  });
});

describe('values whose squares leave FLOAT64', () => {
  test('the variance of {1, ±2.2e304} is +inf; its standard deviation 2.2e304 × sqrt(2/3) (POP) and 2.2e304 (SAMP)', async () => {
    const got = await values('SELECT VAR_POP(x), VAR_SAMP(x), STDDEV_POP(x), STDDEV_SAMP(x) FROM UNNEST([1.0, 2.2e304, -2.2e304]) AS x');
    expect(got.slice(0, 2)).toEqual(['Infinity', 'Infinity']);
    near(got.slice(2), [2.2e304 * Math.sqrt(2 / 3), 2.2e304]);
  });

  test('two points on a falling line beyond 1e154 correlate -1', async () => {
    near(await values('SELECT CORR(y, x) FROM UNNEST([STRUCT(1.0 AS y, -1.0 AS x), (2.2e154, -2.2e154)])'), [-1]);
  });
});

describe('NUMERIC and BIGNUMERIC inputs', () => {
  // both values are 1e29 as FLOAT64: a FLOAT64 aggregation gives 0; the exact variance of {a, a + 0.1} is 0.0025
  const big = "UNNEST([NUMERIC '99999999999999999999999999990.1', NUMERIC '99999999999999999999999999990.2']) AS x";
  test('variance and standard deviation keep the digits beyond FLOAT64', async () => {
    near(await values(`SELECT VAR_POP(x), VAR_SAMP(x), STDDEV_POP(x), STDDEV_SAMP(x) FROM ${big}`), [0.0025, 0.005, 0.05, Math.sqrt(0.005)]);
  });

  test('covariance and correlation of NUMERIC pairs: (dy/2)(dx/2) = 0.05 * 0.001', async () => {
    const pairs = "UNNEST([STRUCT(NUMERIC '99999999999999999999999999990.1' AS y, NUMERIC '12345678901234567890123456789.001' AS x), (NUMERIC '99999999999999999999999999990.2', NUMERIC '12345678901234567890123456789.003')])";
    near(await values(`SELECT COVAR_POP(y, x), COVAR_SAMP(y, x), CORR(y, x) FROM ${pairs}`), [0.00005, 0.0001, 1]);
  });

  test('BIGNUMERIC values 1e-19 apart: population variance 1e-38', async () => {
    near(await values("SELECT VAR_POP(x), STDDEV_POP(x) FROM UNNEST([BIGNUMERIC '1.0000000000000000001', BIGNUMERIC '1.0000000000000000003']) AS x"), [1e-38, 1e-19]);
  });

  test('PERCENTILE_CONT of NUMERIC fails loudly (DuckDB interpolates through FLOAT64); FLOAT64 interpolates', async () => {
    expect(await failure("SELECT PERCENTILE_CONT(x, 0.5) OVER () FROM UNNEST([NUMERIC '99999999999999999999999999990.1', NUMERIC '99999999999999999999999999990.2']) AS x")).toMatch(/not supported by the embedded BigQuery/);
    // the percentiles 0 and 1 are the least and greatest values, exact
    expect(await values("SELECT PERCENTILE_CONT(x, 0) OVER (), PERCENTILE_CONT(x, NUMERIC '1') OVER () FROM UNNEST([NUMERIC '99999999999999999999999999990.1', NULL, NUMERIC '99999999999999999999999999990.2']) AS x")).toEqual(['99999999999999999999999999990.1', '99999999999999999999999999990.2']);
    // {1, 2} and {3, 5}: halfway 1.5 and 4
    expect(await rows('SELECT x, PERCENTILE_CONT(x, 0.5) OVER (PARTITION BY x > 2) AS p FROM UNNEST([1.0, 2.0, 3.0, 5.0]) AS x ORDER BY x')).toEqual([['1', '1.5'], ['2', '1.5'], ['3', '4'], ['5', '4']]);
  });

  test('DISTINCT counts each value once: {1, 2, 4} has sample variance 7/3', async () => {
    near(await values("SELECT VAR_SAMP(DISTINCT x), VAR_SAMP(DISTINCT CAST(x AS NUMERIC)) FROM UNNEST([1.0, 2.0, 2.0, 4.0]) AS x"), [7 / 3, 7 / 3]);
  });
});

describe('window calls', () => {
  test('a growing frame: NULL for one value, then the variance, then NaN after an infinite value', async () => {
    const got = await rows("SELECT VAR_SAMP(x) OVER (ORDER BY i), COVAR_SAMP(x, 2 * x) OVER (ORDER BY i) FROM UNNEST([2.0, 4.0, CAST('inf' AS FLOAT64)]) AS x WITH OFFSET i ORDER BY i");
    // [2, 4]: mean 3, squares 1 + 1 over n - 1 = 1 → 2; the covariance with 2x is twice that
    expect(got).toEqual([[null, null], ['2', '4'], ['NaN', 'NaN']]);
  });

  test('SUM OVER beyond INT64 fails as a plain SUM does; in range it is unchanged', async () => {
    expect(await failure('SELECT SUM(x) OVER (ORDER BY i) FROM UNNEST([9223372036854775807, 1]) AS x WITH OFFSET i')).toBe('Int64 overflow: the SUM 9223372036854775808 is beyond the INT64 range');
    expect(await rows('SELECT SUM(x) OVER (ORDER BY i) FROM UNNEST([1, 2, 3]) AS x WITH OFFSET i ORDER BY i')).toEqual([['1'], ['3'], ['6']]);
  });

  test("SUM OVER of FLOAT64 beyond FLOAT64 is 'double overflow'; of NUMERIC beyond 29 integer digits 'numeric overflow: SUM'", async () => {
    expect(await failure('SELECT SUM(x) OVER () FROM UNNEST([1.7976931348623157e308, 1.7976931348623157e308]) AS x')).toBe('double overflow');
    expect(await failure("SELECT SUM(x) OVER () FROM UNNEST([NUMERIC '99999999999999999999999999999', NUMERIC '10']) AS x")).toBe('numeric overflow: SUM');
    expect(await failure("SELECT SUM(x) FROM UNNEST([NUMERIC '99999999999999999999999999999', NUMERIC '10']) AS x")).toBe('numeric overflow: SUM');
    expect(await values("SELECT SUM(x) OVER () FROM UNNEST([NUMERIC '99999999999999999999999999998', NUMERIC '1']) AS x")).toEqual(['99999999999999999999999999999']);
  });
});
