/**
 * FLOAT64 results that are not finite from finite arguments are errors in BigQuery (ZetaSQL's
 * arithmetics.h and math.h: "double overflow: a * b", "Floating point error in function: POW(x, y)",
 * "Floating point overflow in function: COSH(x)"), and NULL under SAFE; DuckDB answers Infinity or NaN.
 * Infinite or NaN arguments still give their IEEE result. Expected values by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('FLOAT64 overflow in operators', () => {
  test('a product or quotient beyond FLOAT64 from finite operands fails, in constants and in rows', async () => {
    expect(await failure('SELECT 1e300 * 1e300')).toBe('double overflow: 1e+300 * 1e+300');
    expect(await failure('SELECT x * x FROM UNNEST([1e200]) AS x')).toBe('double overflow: 1e+200 * 1e+200');
    expect(await failure('SELECT 1e308 / 1e-10')).toBe('double overflow: 1e+308 / 1e-10');
  });

  test('infinite operands keep their IEEE result; finite products are unchanged', async () => {
    expect(await values("SELECT CAST('inf' AS FLOAT64) * 2, 1.5 * 4, 1e154 * 1e154, 7.0 / 2")).toEqual(['Infinity', '6', '1e+308', '3.5']);
  });

  test('SAFE_MULTIPLY and SAFE_ADD give NULL on a FLOAT64 overflow', async () => {
    expect(await values('SELECT SAFE_MULTIPLY(1e300, 1e300), SAFE_ADD(1e308, 1e308), SAFE_SUBTRACT(-1e308, 1e308), SAFE_MULTIPLY(2.0, 3.0)')).toEqual([null, null, null, '6']);
  });
});

describe('math functions whose result is not finite', () => {
  test("'Floating point error in function' for POW, EXP, ACOSH, ATANH and LOG of finite arguments", async () => {
    expect(await failure('SELECT POW(0, -1)')).toBe('Floating point error in function: POW(0, -1)');
    expect(await failure('SELECT POWER(-2, 0.5)')).toBe('Floating point error in function: POW(-2, 0.5)');
    expect(await failure('SELECT POW(10.0, 400)')).toBe('Floating point error in function: POW(10, 400)');
    expect(await failure('SELECT EXP(1000)')).toBe('Floating point error in function: EXP(1000)');
    expect(await failure('SELECT ACOSH(0)')).toBe('Floating point error in function: ACOSH(0)');
    expect(await failure('SELECT ATANH(1)')).toBe('Floating point error in function: ATANH(1)');
    // log(10) / log(1) divides by zero: infinite
    expect(await failure('SELECT LOG(10, 1)')).toBe('Floating point error in function: LOG(10, 1)');
    expect(await failure('SELECT LOG(10, -2)')).toBe('Floating point error in function: LOG(10, -2)');
  });

  test("'Floating point overflow in function' for COSH and SINH", async () => {
    expect(await failure('SELECT COSH(1000)')).toBe('Floating point overflow in function: COSH(1000)');
    expect(await failure('SELECT SINH(-1000)')).toBe('Floating point overflow in function: SINH(-1000)');
  });

  test('SAFE. gives NULL; in-range and non-finite arguments keep their values', async () => {
    expect(await values('SELECT SAFE.EXP(1000), SAFE.POW(0, -1), POW(2, 10), EXP(0), LOG(8, 2), ATANH(0)')).toEqual([null, null, '1024', '1', '3', '0']);
    expect(await values("SELECT EXP(CAST('inf' AS FLOAT64)), POW(CAST('inf' AS FLOAT64), 2), IS_NAN(POW(CAST('nan' AS FLOAT64), 2))")).toEqual(['Infinity', 'Infinity', 'true']);
  });
});

describe('math functions over infinite and out-of-domain arguments (math.h: the C library value, an error only from a finite argument)', () => {
  const inf = "CAST('inf' AS FLOAT64)";
  test('SIN, COS, TAN, COT and ASIN of ±inf are NaN; LN and LOG10 of -inf NaN and of +inf +inf; LOG(-inf, 1) NaN', async () => {
    const got = await values(`SELECT SIN(${inf}), COS(-${inf}), TAN(${inf}), TAN(TAN(${inf})), COT(${inf}), ASIN(${inf}), LN(-${inf}), LN(${inf}), LOG10(-${inf}), LOG(-${inf}, 1), SEC(${inf})`);
    expect(got).toEqual(['NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'Infinity', 'NaN', 'NaN', 'NaN']);
  });

  test("finite arguments outside the domain fail with 'Floating point error in function'", async () => {
    expect(await failure('SELECT LN(0)')).toBe('Floating point error in function: LN(0)');
    expect(await failure('SELECT LN(-1)')).toBe('Floating point error in function: LN(-1)');
    expect(await failure('SELECT LOG10(-1)')).toBe('Floating point error in function: LOG10(-1)');
    expect(await failure('SELECT ACOS(2)')).toBe('Floating point error in function: ACOS(2)');
    expect(await failure('SELECT ASIN(-1.5)')).toBe('Floating point error in function: ASIN(-1.5)');
    expect(await failure('SELECT COT(0)')).toBe('Floating point error in function: COT(0)');
    expect(await failure('SELECT LOG(-1, 2)')).toBe('Floating point error in function: LOG(-1, 2)');
  });

  test('in-domain values are unchanged, over rows and subqueries too', async () => {
    expect(await values('SELECT SIN(0), COS(0), LN(1), LOG10(1000), ASIN(1) * 2 = ACOS(-1), (SELECT LN(1)), SAFE.LN(0)')).toEqual(['0', '1', '0', '3', 'true', '0', null]);
    const rows = (await engine().query('SELECT ROUND(COS(x), 6) FROM UNNEST([0.0, 3.141592653589793]) AS x ORDER BY 1', opts)).rows.map((r) => r.f[0]!.v);
    expect(rows).toEqual(['-1', '1']);
  });
});

describe('INT64 overflow', () => {
  test("fails with ZetaSQL's 'int64 overflow: a op b'", async () => {
    expect(await failure('SELECT 9223372036854775807 * 2')).toBe('int64 overflow: 9223372036854775807 * 2');
    expect(await failure('SELECT x + 1 FROM UNNEST([9223372036854775807]) AS x')).toBe('int64 overflow: 9223372036854775807 + 1');
    expect(await failure('SELECT x - 2 FROM UNNEST([-9223372036854775807]) AS x')).toBe('int64 overflow: -9223372036854775807 - 2');
  });
});

describe('arithmetic over a value of an enclosing query', () => {
  test('a FLOAT64 or NUMERIC operand from the outer query is FLOAT64 or NUMERIC arithmetic, not INT64 (2.5 / 2 gave 1)', async () => {
    const w = "WITH t AS (SELECT 2.5 AS d, NUMERIC '1.5' AS m, 7 AS i) ";
    // the operands' types are learned by probes (query/overload-probe.ts; outer-typed-macros.test.ts)
    expect(await values(`${w}SELECT (SELECT d / 2), (SELECT d * 2), (SELECT m * 2) FROM t`)).toEqual(['1.25', '5', '3']);
    expect(await values(`${w}SELECT x FROM t, UNNEST([d * 2]) AS x`)).toEqual(['5']);
    // INT64 from the outer query, and values of the subquery's own FROM, keep their answers
    expect(await values(`${w}SELECT (SELECT i * 2), (SELECT i / 2) FROM t`)).toEqual(['14', '3.5']);
    expect((await engine().query('SELECT ARRAY(SELECT x * 2 FROM UNNEST([1.5, 2.5]) AS x)', opts)).rows[0]!.f[0]!.v).toEqual([{ v: '3' }, { v: '5' }]);
  });
});
