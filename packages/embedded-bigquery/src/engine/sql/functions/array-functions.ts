/** Array functions and the GENERATE_*_ARRAY constructors. */
import { unsupported } from '../../errors.js';
import { isKeyword, isOp } from '../tokenizer.js';
import { FunctionTable, argCount } from './function-table.js';
import { defaultZone, plainArg, toTimestamp } from './time-zones.js';
import { generateArraySql, hasAggregate } from './typed-macros.js';

export const ARRAY_FUNCTIONS = new FunctionTable();
const def = ARRAY_FUNCTIONS.def;

def('ARRAY_LENGTH', (a) => `len(${a.sql(0)})`);
// NULL when any argument is NULL (array_functions#array_concat); DuckDB's list_concat reads a NULL list as empty
def('ARRAY_CONCAT', (a) => {
  const args = a.all();
  const joined = args.reduce((acc, x) => `list_concat(${acc}, ${x})`);
  return args.length === 1 ? joined : `CASE WHEN ${args.map((x) => `(${x}) IS NULL`).join(' OR ')} THEN NULL ELSE ${joined} END`;
});
// ARRAY_TO_STRING: bytes-functions.ts (STRING and BYTES)
// ARRAY_IS_DISTINCT (array_functions#array_is_distinct): no two elements equal as SELECT DISTINCT compares
// them, so NULLs are one value and NaNs are one value (DuckDB's list_distinct drops NULLs and keeps each
// NaN apart); NULL for a NULL array. Elements that are STRUCTs holding a FLOAT64 (NaN or -0.0 inside) and
// ARRAYs (not groupable) fail loudly.
def('ARRAY_IS_DISTINCT', (a, _t, _r, n) => {
  argCount(a, n, 1);
  const nan = "typeof(x) IN ('DOUBLE', 'FLOAT') AND isnan(TRY_CAST(x AS DOUBLE))";
  const count = `len(list_distinct(list_filter(l, x -> NOT coalesce(${nan}, false)))) + CASE WHEN len(list_filter(l, x -> x IS NULL)) > 0 THEN 1 ELSE 0 END + CASE WHEN len(list_filter(l, x -> coalesce(${nan}, false))) > 0 THEN 1 ELSE 0 END`;
  const nested = "(typeof(l) LIKE '%[][]' OR (typeof(l) LIKE 'STRUCT%' AND (typeof(l) LIKE '%DOUBLE%' OR typeof(l) LIKE '%FLOAT%')))";
  const body = `CASE WHEN l IS NULL THEN NULL WHEN ${nested} THEN error('ARRAY_IS_DISTINCT of an array of ARRAYs or of STRUCTs with a FLOAT64 field is not supported by the embedded BigQuery') ELSE ${count} = len(l) END`;
  return `list_transform([${a.sql(0)}], l -> ${body})[1]`;
});
def('GENERATE_ARRAY', (a, t, raw, n) => {
  argCount(a, n, 2, 3);
  const step = a.tokens.length === 3 ? a.sql(2) : '1';
  const args = [a.sql(0), a.sql(1), step];
  // INT64, FLOAT64 and NUMERIC forms (typed-macros.ts); over aggregates, whose types a typed macro cannot
  // see, INT64 only (a FLOAT64 or NUMERIC aggregate fails loudly)
  if (!args.some(hasAggregate)) return generateArraySql(t, raw, args[0]!, args[1]!, step);
  const integers = args.map((x) => `typeof(${x}) IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT', '"NULL"')`).join(' AND ');
  return `CASE WHEN NOT (${integers}) THEN error('GENERATE_ARRAY of FLOAT64, NUMERIC or BIGNUMERIC aggregate values is not supported by the embedded BigQuery') WHEN (${a.sql(0)}) IS NULL OR (${a.sql(1)}) IS NULL OR (${step}) IS NULL THEN NULL WHEN (${step}) = 0 THEN error('Sequence step cannot be 0.') ELSE generate_series(CAST(${a.sql(0)} AS BIGINT), CAST(${a.sql(1)} AS BIGINT), CAST(${step} AS BIGINT)) END`;
});
// a zero step fails in BigQuery (ZetaSQL's message); DuckDB gives an empty array
const ZERO_STEP = "error('Sequence step cannot be 0.')";
const zeroStep = (step: string): string => `(bq_iv_months(${step}) = 0 AND datepart('day', ${step}) = 0 AND bq_iv_micros(${step}) = 0)`;
def('GENERATE_DATE_ARRAY', (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  const step = a.tokens.length === 3 ? t.sub(a.tokens[2]!) : 'INTERVAL 1 DAY';
  return `CASE WHEN (${plainArg(a, 0)}) IS NULL OR (${plainArg(a, 1)}) IS NULL THEN NULL WHEN ${zeroStep(step)} THEN ${ZERO_STEP} ELSE CAST(generate_series(CAST(${plainArg(a, 0)} AS TIMESTAMP), CAST(${plainArg(a, 1)} AS TIMESTAMP), ${step}) AS DATE[]) END`;
});
def('GENERATE_TIMESTAMP_ARRAY', (a, t, _r, n) => {
  argCount(a, n, 3);
  const step = t.sub(a.tokens[2]!);
  return `CASE WHEN ${zeroStep(step)} THEN ${ZERO_STEP} ELSE generate_series(${toTimestamp(plainArg(a, 0), defaultZone(t))}, ${toTimestamp(plainArg(a, 1), defaultZone(t))}, ${step}) END`;
});
def('ARRAY', (_a, t, raw) => {
  if (!isKeyword(raw[0], 'SELECT', 'WITH') && !isOp(raw[0], '(')) throw unsupported('ARRAY(...) without a subquery');
  return `ARRAY(${t.sub(raw)})`;
});
// ARRAY_INCLUDES(arr, e -> condition): TRUE when the condition is TRUE for an element (a NULL condition is not),
// FALSE otherwise, NULL for a NULL array
def('ARRAY_INCLUDES', (a, _t, _r, n) => {
  argCount(a, n, 2);
  if (a.tokens[1]!.some((x) => isOp(x, '->'))) return `CASE WHEN (${a.sql(0)}) IS NULL THEN NULL ELSE len(list_filter(${a.sql(0)}, ${a.sql(1)})) > 0 END`;
  return `list_contains(${a.sql(0)}, ${a.sql(1)})`;
});
// an empty array is an error in BigQuery (DuckDB gives NULL)
def('ARRAY_FIRST', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN len(${a.sql(0)}) = 0 THEN error('ARRAY_FIRST cannot get the first element of an empty array') ELSE (${a.sql(0)})[1] END`));
def('ARRAY_LAST', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN len(${a.sql(0)}) = 0 THEN error('ARRAY_LAST cannot get the last element of an empty array') ELSE (${a.sql(0)})[-1] END`));
// ARRAY_SLICE(arr, start, end): 0-based inclusive offsets, negative ones from the end, clamped to the array; start past end gives []
def('ARRAY_SLICE', (a, _t, _r, n) => {
  argCount(a, n, 3);
  const [arr, s, e] = a.all();
  const from = `greatest(CASE WHEN (${s}) < 0 THEN len(${arr}) + (${s}) ELSE (${s}) END, 0)`;
  const to = `least(CASE WHEN (${e}) < 0 THEN len(${arr}) + (${e}) ELSE (${e}) END, len(${arr}) - 1)`;
  return `CASE WHEN (${arr}) IS NULL OR (${s}) IS NULL OR (${e}) IS NULL THEN NULL WHEN ${from} > ${to} THEN list_slice(${arr}, 1, 0) ELSE list_slice(${arr}, ${from} + 1, ${to} + 1) END`;
});
