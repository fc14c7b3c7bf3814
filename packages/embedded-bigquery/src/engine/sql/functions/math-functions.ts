/** Arithmetic and math functions with BigQuery's error behaviour (division by zero fails, SAFE_ variants give NULL). */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';
import { FunctionTable, argCount } from './function-table.js';
import { divideSql, hasAggregate, signSql } from './typed-macros.js';
import { checkedCall } from './signature-checks.js';
import { bindOnce } from './bind-once.js';

export const MATH_FUNCTIONS = new FunctionTable();
const def = MATH_FUNCTIONS.def;

// LOG(x, base): NaN for a base that is not finite and above 0, so an error for finite arguments (ZetaSQL's math.h);
// DuckDB's ln already fails for x <= 0
def('LOG', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  if (a.tokens.length === 1) return bindOnce([`CAST(${a.sql(0)} AS DOUBLE)`], ([x]) => `bq_fp1('error', 'LN', ${x!}, ${cLibrary.LN!(x!)})`);
  return bindOnce([`CAST(${a.sql(0)} AS DOUBLE)`, `CAST(${a.sql(1)} AS DOUBLE)`], ([x, base]) =>
    `bq_fp2('LOG', ${x!}, ${base!}, CASE WHEN isfinite(${base!}) AND ${base!} > 0 THEN (${cLibrary.LN!(x!)}) / CASE WHEN ln(${base!}) = 0 THEN ${NAN} ELSE ln(${base!}) END ELSE ${NAN} END)`);
});
// Not finite from a finite argument: 'Floating point error' (POW, EXP, ASINH, ACOSH, ATANH, ATAN2) or
// 'Floating point overflow' (TAN, SINH, COSH), as ZetaSQL's math.h checks them
for (const [name, duck] of [['EXP', 'exp'], ['ASINH', 'asinh'], ['ACOSH', 'acosh'], ['ATANH', 'atanh']] as const) {
  def(name, (a, _t, _r, n) => (argCount(a, n, 1), `bq_fp1('error', '${name}', ${a.sql(0)}, ${duck}(${a.sql(0)}))`));
}
for (const [name, duck] of [['SINH', 'sinh'], ['COSH', 'cosh']] as const) {
  def(name, (a, _t, _r, n) => (argCount(a, n, 1), `bq_fp1('overflow', '${name}', ${a.sql(0)}, ${duck}(${a.sql(0)}))`));
}
/**
 * The C library's value where DuckDB raises an error of its own: sin, cos and tan of ±inf are NaN,
 * asin/acos outside [-1, 1] NaN, ln/log10 of a negative NaN and of 0 -inf. ZetaSQL's math.h then
 * fails only where a finite argument gave a value that is not finite ("Floating point error in
 * function: LN(0)"); a non-finite argument answers (LN(-inf) is NaN, SIN(inf) NaN).
 */
const NAN = `CAST('NaN' AS DOUBLE)`;
const cLibrary: Record<string, (x: string) => string> = {
  SIN: (x) => `CASE WHEN isinf(${x}) THEN ${NAN} ELSE sin(${x}) END`,
  COS: (x) => `CASE WHEN isinf(${x}) THEN ${NAN} ELSE cos(${x}) END`,
  TAN: (x) => `CASE WHEN isinf(${x}) THEN ${NAN} ELSE tan(${x}) END`,
  COT: (x) => `CASE WHEN isinf(${x}) THEN ${NAN} WHEN ${x} = 0 THEN CAST('Infinity' AS DOUBLE) ELSE cot(${x}) END`,
  ASIN: (x) => `CASE WHEN ${x} BETWEEN -1 AND 1 THEN asin(${x}) ELSE ${NAN} END`,
  ACOS: (x) => `CASE WHEN ${x} BETWEEN -1 AND 1 THEN acos(${x}) ELSE ${NAN} END`,
  LN: (x) => `CASE WHEN ${x} > 0 THEN ln(${x}) WHEN ${x} = 0 THEN CAST('-Infinity' AS DOUBLE) ELSE ${NAN} END`,
  LOG10: (x) => `CASE WHEN ${x} > 0 THEN log10(${x}) WHEN ${x} = 0 THEN CAST('-Infinity' AS DOUBLE) ELSE ${NAN} END`,
};
const FP_KIND: Record<string, string> = { SIN: '', COS: '', TAN: 'overflow', COT: 'error', ASIN: 'error', ACOS: 'error', LN: 'error', LOG10: 'error' };
for (const [name, form] of Object.entries(cLibrary)) {
  def(name, (a, _t, _r, n) => {
    argCount(a, n, 1);
    return bindOnce([`CAST(${a.sql(0)} AS DOUBLE)`], ([x]) => (FP_KIND[name] ? `bq_fp1('${FP_KIND[name]}', '${name}', ${x!}, ${form(x!)})` : form(x!)));
  });
}
def(['POW', 'POWER'], (a, _t, _r, n) => (argCount(a, n, 2), `bq_fp2('POW', ${a.sql(0)}, ${a.sql(1)}, pow(${a.sql(0)}, ${a.sql(1)}))`));
def('ATAN2', (a, _t, _r, n) => (argCount(a, n, 2), `bq_fp2('ATAN2', ${a.sql(0)}, ${a.sql(1)}, atan2(${a.sql(0)}, ${a.sql(1)}))`));
def('MOD', (a, _t, _r, n) => (argCount(a, n, 2), `bq_mod(${a.sql(0)}, ${a.sql(1)})`));
def('DIV', (a, _t, _r, n) => (argCount(a, n, 2), `bq_div(${a.sql(0)}, ${a.sql(1)})`));
def('IEEE_DIVIDE', (a, _t, _r, n) => (argCount(a, n, 2), `(CAST(${a.sql(0)} AS DOUBLE) / CAST(${a.sql(1)} AS DOUBLE))`));
def('SAFE_DIVIDE', (a, t, _r, n) => (argCount(a, n, 2), `CASE WHEN ${a.sql(1)} = 0 THEN NULL ELSE ${divideSql(a.sql(0), a.sql(1), t.env?.arrayPaths)} END`));
def(['SAFE_MULTIPLY', 'SAFE_ADD', 'SAFE_SUBTRACT'], (a, _t, _r, n) => {
  argCount(a, n, 2);
  const op = n === 'SAFE_MULTIPLY' ? '*' : n === 'SAFE_ADD' ? '+' : '-';
  return `bq_safe_arith(${a.sql(0)}, ${a.sql(1)}, '${op}')`;
});
// -(x) (not -x: a negative argument would make `--`, a comment); negating the INT64 minimum overflows to NULL
def('SAFE_NEGATE', (a) => `(CASE WHEN (${a.sql(0)}) = -9223372036854775807 - 1 THEN NULL ELSE -(${a.sql(0)}) END)`);
/**
 * ROUND and TRUNC of an INT64 are FLOAT64 in BigQuery (DuckDB keeps BIGINT). A NULL of a witness type
 * fixes the static type without a typed macro, so aggregate arguments work too: ceil() is DOUBLE for
 * integers and a DECIMAL for decimals, and `ceil(x) * 0 + x` keeps a decimal's scale.
 */
function floatForInt(x: string, e: string): string {
  return `coalesce(CASE WHEN false THEN ceil(${x}) * 0 + ${x} END, ${e})`;
}
def('ROUND', (a, _t, _r, n) => {
  argCount(a, n, 1, 3);
  if (a.tokens.length === 3) {
    // ROUND(x, digits, rounding_mode): a mode is for NUMERIC and BIGNUMERIC only
    const mode = a.tokens[2]!.length === 1 && a.tokens[2]![0]!.kind === 'string' ? a.tokens[2]![0]!.value : '';
    const fn = mode === 'ROUND_HALF_EVEN' ? 'round_even' : mode === 'ROUND_HALF_AWAY_FROM_ZERO' ? 'round' : undefined;
    if (!fn) throw new BigQueryApiError('invalidQuery', `ROUND: the rounding mode must be 'ROUND_HALF_AWAY_FROM_ZERO' or 'ROUND_HALF_EVEN'`);
    const digits = a.tokens[1]!.length === 1 && a.tokens[1]![0]!.kind === 'number' && /^\d+$/.test(a.tokens[1]![0]!.value) ? Number(a.tokens[1]![0]!.value) : undefined;
    if (digits === undefined) throw unsupported('ROUND with a rounding mode and digits that are not a non-negative integer literal');
    const x = a.sql(0);
    // exact half-even on the decimal: a tie (the dropped part exactly 0.5 of the last kept digit) goes to the even neighbour
    const scaled = `(${x}) * CAST(1${'0'.repeat(digits)} AS DECIMAL(38,0))`;
    const value = fn === 'round' ? `round(${x}, ${digits})` : `CASE WHEN abs(${scaled} - trunc(${scaled})) = 0.5 AND CAST(trunc(${scaled}) AS HUGEINT) % 2 = 0 THEN trunc(${x}, ${digits}) ELSE round(${x}, ${digits}) END`;
    return `CASE WHEN typeof(${x}) LIKE 'DECIMAL%' THEN ${value} ELSE error('ROUND with a rounding mode takes a NUMERIC or BIGNUMERIC value') END`;
  }
  // DuckDB rounds DOUBLE and DECIMAL half away from zero, as BigQuery does
  return floatForInt(a.sql(0), a.tokens.length === 2 ? `round(${a.sql(0)}, ${a.sql(1)})` : `round(${a.sql(0)})`);
});
def(['TRUNC'], (a, _t, _r, n) => (argCount(a, n, 1, 2), floatForInt(a.sql(0), a.tokens.length === 2 ? `trunc(${a.sql(0)}, ${a.sql(1)})` : `trunc(${a.sql(0)})`)));
def(['GREATEST', 'LEAST'], (a, _t, _r, n) => {
  // arguments holding a subquery once for the NULL test, the call and the type check (bind-once.ts)
  return bindOnce(a.all(), (args) => {
    // BigQuery returns NULL if any argument is NULL; DuckDB skips NULLs
    const sql = `CASE WHEN ${args.map((x) => `(${x}) IS NULL`).join(' OR ')} THEN NULL ELSE ${n.toLowerCase()}(${args.join(', ')}) END`;
    // BigQuery needs a common type (DuckDB compares BOOL with a number)
    return args.length > 8 ? sql : checkedCall(sql, args, `function ${n.toUpperCase()}`, `${n.toUpperCase()}([ANY, ...])`);
  });
});
// a NULL or NaN point gives NULL (mathematical_functions#range_bucket)
def('RANGE_BUCKET', (a, _t, _r, n) => {
  argCount(a, n, 2);
  const p = a.sql(0);
  return `CASE WHEN (${p}) IS NULL OR (typeof(${p}) = 'DOUBLE' AND isnan(TRY_CAST(${p} AS DOUBLE))) THEN NULL ELSE len(list_filter(${a.sql(1)}, x -> x <= ${p})) END`;
});
// SIGN keeps its argument's type (typed overloads in typed-macros.ts)
def('SIGN', (a, t, raw, n) => {
  argCount(a, n, 1);
  if (hasAggregate(a.sql(0))) return `CASE WHEN typeof(${a.sql(0)}) IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN sign(${a.sql(0)}) ELSE error('SIGN of a non-INT64 aggregate is not supported by the embedded BigQuery') END`;
  return signSql(t, raw, a.sql(0));
});
def(['SEC', 'CSC', 'SECH', 'CSCH', 'COTH'], (a, _t, _r, n) => {
  argCount(a, n, 1);
  const x = a.sql(0);
  const e = { SEC: cLibrary.COS!(x), CSC: cLibrary.SIN!(x), SECH: `cosh(${x})`, CSCH: `sinh(${x})`, COTH: `tanh(${x})` }[n]!;
  return `bq_divide(CAST(1 AS DOUBLE), ${e}, 'DOUBLE')`;
});
// COSINE_DISTANCE and EUCLIDEAN_DISTANCE: js-functions.ts (vector-distance.ts)
// ERROR(message) fails the query with the message (debugging_functions#error)
def('ERROR', (a, _t, _r, n) => (argCount(a, n, 1), `error(${a.sql(0)})`));
