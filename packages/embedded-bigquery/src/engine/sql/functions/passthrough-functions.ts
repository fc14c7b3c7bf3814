/** Functions with the same semantics in DuckDB, under the same name or a different one. */
import { FunctionTable } from './function-table.js';
import { minSql } from './float-order.js';
import { OVER_AT } from './exact-percentile.js';

export const PASSTHROUGH_FUNCTIONS = new FunctionTable();

/** Same name and semantics in DuckDB. */
const PASSTHROUGH = [
  // EXP, POW, POWER, SIN, COS, TAN, COT, ASIN, ACOS, LN, LOG10, SINH, COSH, ASINH, ACOSH, ATANH, ATAN2:
  // math-functions.ts (their FLOAT64 errors and non-finite arguments)
  'ABS', 'CEIL', 'CEILING', 'FLOOR', 'SQRT', 'ATAN',
  'TANH', 'CBRT',
  'LOWER', 'REPLACE', 'ASCII', 'TRANSLATE',
  'COALESCE', 'IFNULL', 'NULLIF', 'IF',
  // STDDEV*, VAR*, VARIANCE, CORR, COVAR_*: aggregate-functions.ts (their NULL, NaN and NUMERIC cases)
  // MIN: float-order.ts (NaN); DuckDB's MAX is NaN when an input is NaN, as BigQuery's
  // COUNT: below (a window COUNT)
  'MAX',
  'ROW_NUMBER', 'RANK', 'DENSE_RANK', 'PERCENT_RANK', 'CUME_DIST', 'NTILE', 'LAG', 'LEAD', 'FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE',
  'GROUPING', 'ROLLUP', 'CUBE', 'EXISTS',
];

const RENAMES: Record<string, string> = {
  IS_INF: 'isinf',
  IS_NAN: 'isnan',
  LOGICAL_AND: 'bool_and',
  LOGICAL_OR: 'bool_or',
  BIT_AND: 'bit_and',
  BIT_OR: 'bit_or',
  BIT_XOR: 'bit_xor',
  ARRAY_REVERSE: 'list_reverse',
  TO_BASE64: 'to_base64',
  FROM_BASE64: 'from_base64',
  FROM_HEX: 'unhex',
  CHR: 'chr',
  RAND: 'random',
};

for (const n of PASSTHROUGH) PASSTHROUGH_FUNCTIONS.def(n, (a, _t, _r, name) => `${name}(${a.all().join(', ')})`);
// a window COUNT over a RANGE frame whose end comes before its start (1 PRECEDING AND 2 PRECEDING) is
// 0 in BigQuery (the frame is empty); DuckDB counted end - start, -1
PASSTHROUGH_FUNCTIONS.def('COUNT', (a, _t, _r, name) => (a.windowed ? `greatest(${name}(${a.all().join(', ')})${OVER_AT}, 0)` : `${name}(${a.all().join(', ')})`));
for (const [n, d] of Object.entries(RENAMES)) PASSTHROUGH_FUNCTIONS.def(n, (a) => `${d}(${a.all().join(', ')})`);
// a STRING in BigQuery; DuckDB's UUID type would fail string functions and report another type
PASSTHROUGH_FUNCTIONS.def('GENERATE_UUID', () => 'CAST(gen_random_uuid() AS VARCHAR)');
// LEFT, RIGHT, REVERSE, REPEAT, STARTS_WITH, ENDS_WITH, STRPOS, TRIM, LTRIM, RTRIM: bytes-functions.ts (STRING and BYTES)
// SUM of INT64 beyond the INT64 range is an error in BigQuery (DuckDB sums into a 128-bit integer)
// and so is a FLOAT64 SUM beyond FLOAT64 (DuckDB: Infinity); bq_sum_checked's second argument is the sum scaled by 2^-100
PASSTHROUGH_FUNCTIONS.def('SUM', (a) => {
  const args = a.all().join(', ');
  // a window SUM checks each row's result: both sums take the OVER clause (the translator puts it at each OVER_AT)
  const over = a.windowed ? OVER_AT : '';
  const [, distinct = '', x = args] = /^(DISTINCT\s+)?([\s\S]*)$/i.exec(args) ?? [];
  return `bq_sum_checked(sum(${args})${over}, sum(${distinct}TRY_CAST(${x} AS DOUBLE) * 7.888609052210118e-31)${over})`;
});
// MIN is NaN when an input is NaN (float-order.ts)
PASSTHROUGH_FUNCTIONS.def('MIN', (a) => minSql(a.all().join(', '), a.windowed));
