/**
 * MAKE_INTERVAL and JUSTIFY_DAYS / JUSTIFY_HOURS / JUSTIFY_INTERVAL (interval_functions). A DuckDB
 * INTERVAL keeps months, days and microseconds apart, as BigQuery's does; the macros read the three
 * parts and build a new interval from them. JUSTIFY_* move whole 30-day months out of the days and
 * whole 24-hour days out of the time part, truncating toward zero, then make the parts' signs agree as ZetaSQL does.
 */
import { BigQueryApiError } from '../../types.js';
import { isKeyword, isOp } from '../tokenizer.js';
import { FunctionTable } from './function-table.js';

export const INTERVAL_FUNCTIONS = new FunctionTable();

const CANONICAL = '(-?)([0-9]+)-([0-9]+) (-?[0-9]+) (-?)([0-9]+):([0-5]?[0-9]):([0-5]?[0-9])(?:[.]([0-9]{1,6}))?';
const YEAR_MONTH = '(-?)([0-9]+)-([0-9]+)';
// whole seconds only: a fractional ISO second fails loudly
const ISO = 'P(?:(-?[0-9]+)Y)?(?:(-?[0-9]+)M)?(?:(-?[0-9]+)D)?(?:T(?:(-?[0-9]+)H)?(?:(-?[0-9]+)M)?(?:(-?[0-9]+)S)?)?';

const DAY = '86400000000';

export const INTERVAL_MACROS = [
  `CREATE OR REPLACE TEMP MACRO bq_iv_months(i) AS datepart('year', i) * 12 + datepart('month', i)`,
  `CREATE OR REPLACE TEMP MACRO bq_iv_micros(i) AS datepart('hour', i) * 3600000000 + datepart('minute', i) * 60000000 + datepart('microseconds', i)`,
  // an INTERVAL as BigQuery's canonical text (CAST AS STRING): Y-M D H:M:S[.F], one sign on the year-month part and one on the time part
  `CREATE OR REPLACE TEMP MACRO bq_interval_text(i) AS list_transform([struct_pack(m := bq_iv_months(i), d := datepart('day', i), u := bq_iv_micros(i))], p -> CASE WHEN p.m < 0 THEN '-' ELSE '' END || abs(p.m) // 12 || '-' || abs(p.m) % 12 || ' ' || p.d || ' ' || CASE WHEN p.u < 0 THEN '-' ELSE '' END || abs(p.u) // 3600000000 || ':' || abs(p.u) // 60000000 % 60 || ':' || abs(p.u) // 1000000 % 60 || CASE WHEN abs(p.u) % 1000000 = 0 THEN '' ELSE '.' || rtrim(lpad(CAST(abs(p.u) % 1000000 AS VARCHAR), 6, '0'), '0') END)[1]`,
  // STRING → INTERVAL: the canonical 'Y-M D H:M:S[.F]', its 'Y-M' prefix and ISO 8601 'P1Y2M3DT4H5M6.5S'; DuckDB read
  // '1' as one second. Other forms BigQuery may take fail loudly.
  `CREATE OR REPLACE TEMP MACRO bq_parse_interval(s) AS CASE WHEN s IS NULL THEN NULL
     WHEN regexp_full_match(s, '${CANONICAL}') THEN bq_make_interval(
       CASE WHEN regexp_extract(s, '${CANONICAL}', 1) = '-' THEN -1 ELSE 1 END * (CAST(regexp_extract(s, '${CANONICAL}', 2) AS BIGINT) * 12 + CAST(regexp_extract(s, '${CANONICAL}', 3) AS BIGINT)),
       CAST(regexp_extract(s, '${CANONICAL}', 4) AS BIGINT),
       CASE WHEN regexp_extract(s, '${CANONICAL}', 5) = '-' THEN -1 ELSE 1 END * (CAST(regexp_extract(s, '${CANONICAL}', 6) AS BIGINT) * 3600000000 + CAST(regexp_extract(s, '${CANONICAL}', 7) AS BIGINT) * 60000000
         + CAST(regexp_extract(s, '${CANONICAL}', 8) AS BIGINT) * 1000000 + CAST(rpad(regexp_extract(s, '${CANONICAL}', 9), 6, '0') AS BIGINT)))
     WHEN regexp_full_match(s, '${YEAR_MONTH}') THEN bq_make_interval(CASE WHEN regexp_extract(s, '${YEAR_MONTH}', 1) = '-' THEN -1 ELSE 1 END * (CAST(regexp_extract(s, '${YEAR_MONTH}', 2) AS BIGINT) * 12 + CAST(regexp_extract(s, '${YEAR_MONTH}', 3) AS BIGINT)), 0, 0)
     WHEN regexp_full_match(s, '${ISO}') AND s NOT IN ('P', 'PT') AND NOT ends_with(s, 'T') THEN bq_make_interval(
       coalesce(TRY_CAST(regexp_extract(s, '${ISO}', 1) AS BIGINT), 0) * 12 + coalesce(TRY_CAST(regexp_extract(s, '${ISO}', 2) AS BIGINT), 0),
       coalesce(TRY_CAST(regexp_extract(s, '${ISO}', 3) AS BIGINT), 0),
       coalesce(TRY_CAST(regexp_extract(s, '${ISO}', 4) AS BIGINT), 0) * 3600000000 + coalesce(TRY_CAST(regexp_extract(s, '${ISO}', 5) AS BIGINT), 0) * 60000000
         + coalesce(TRY_CAST(regexp_extract(s, '${ISO}', 6) AS BIGINT), 0) * 1000000)
     ELSE error('CAST of the STRING ''' || s || ''' to INTERVAL is not supported by the embedded BigQuery') END`,
  // BigQuery's interval range (ZetaSQL interval_value.h): 10000 years of months, 10000 × 366 days, as many days of microseconds
  `CREATE OR REPLACE TEMP MACRO bq_make_interval(m, d, u) AS CASE ${[['m', 'months', '120000'], ['d', 'days', '3660000'], ['u', 'microseconds', '316224000000000000']]
    .map(([x, field, max]) => `WHEN ${x} NOT BETWEEN -${max} AND ${max} THEN error('Interval field ${field} ''' || ${x} || ''' is out of range -${max} to ${max}') `)
    .join('')}ELSE to_months(CAST(m AS INTEGER)) + to_days(CAST(d AS INTEGER)) + to_microseconds(CAST(u AS BIGINT)) END`,
  // JUSTIFY_*: ZetaSQL's JustifyDays/JustifyHours/JustifyInterval (interval_value.cc): whole 30-day months and 24-hour
  // days moved out (division truncating toward zero), then one unit moved back where the parts would keep different signs
  `CREATE OR REPLACE TEMP MACRO bq_justify_hours_parts(m, d, u) AS CASE WHEN d > 0 AND u < 0 THEN bq_make_interval(m, d - 1, u + ${DAY}) WHEN d < 0 AND u > 0 THEN bq_make_interval(m, d + 1, u - ${DAY}) ELSE bq_make_interval(m, d, u) END`,
  `CREATE OR REPLACE TEMP MACRO bq_justify_hours(i) AS list_transform([struct_pack(m := bq_iv_months(i), d := datepart('day', i), u := bq_iv_micros(i))], p -> bq_justify_hours_parts(p.m, p.d + p.u // ${DAY}, p.u % ${DAY}))[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_justify_days_parts(m, d, u) AS CASE WHEN m > 0 AND d < 0 THEN bq_make_interval(m - 1, d + 30, u) WHEN m < 0 AND d > 0 THEN bq_make_interval(m + 1, d - 30, u) ELSE bq_make_interval(m, d, u) END`,
  `CREATE OR REPLACE TEMP MACRO bq_justify_days(i) AS list_transform([struct_pack(m := bq_iv_months(i), d := datepart('day', i), u := bq_iv_micros(i))], p -> bq_justify_days_parts(p.m + p.d // 30, p.d % 30, p.u))[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_justify_interval_parts(m, d, u) AS CASE WHEN m > 0 AND (d < 0 OR (d = 0 AND u < 0)) THEN bq_justify_hours_parts(m - 1, d + 30, u)
     WHEN m < 0 AND (d > 0 OR (d = 0 AND u > 0)) THEN bq_justify_hours_parts(m + 1, d - 30, u) ELSE bq_justify_hours_parts(m, d, u) END`,
  `CREATE OR REPLACE TEMP MACRO bq_justify_interval(i) AS list_transform([struct_pack(m := bq_iv_months(i), d := datepart('day', i) + bq_iv_micros(i) // ${DAY}, u := bq_iv_micros(i) % ${DAY})], p -> bq_justify_interval_parts(p.m + p.d // 30, p.d % 30, p.u))[1]`,
];

const PARTS = ['year', 'month', 'day', 'hour', 'minute', 'second'];

INTERVAL_FUNCTIONS.def('MAKE_INTERVAL', (a, t, _r, n) => {
  const v: Record<string, string> = {};
  let named = false;
  a.tokens.forEach((arg, k) => {
    if (isOp(arg[1], '=>')) {
      named = true;
      const part = arg[0]!.value.toLowerCase();
      if (!PARTS.includes(part)) throw new BigQueryApiError('invalidQuery', `${n} has no argument named ${arg[0]!.value}`);
      v[part] = t.sub(arg.slice(2));
    } else if (k < PARTS.length && !named) v[PARTS[k]!] = a.sql(k);
    else throw new BigQueryApiError('invalidQuery', `No matching signature for function ${n}`);
  });
  const p = (name: string): string => `CAST(${v[name] ?? '0'} AS BIGINT)`;
  return `bq_make_interval(${p('year')} * 12 + ${p('month')}, ${p('day')}, ${p('hour')} * 3600000000 + ${p('minute')} * 60000000 + ${p('second')} * 1000000)`;
});
for (const [name, macro] of [['JUSTIFY_DAYS', 'bq_justify_days'], ['JUSTIFY_HOURS', 'bq_justify_hours'], ['JUSTIFY_INTERVAL', 'bq_justify_interval']] as const) {
  INTERVAL_FUNCTIONS.def(name, (a) => {
    if (a.tokens.length !== 1 || isKeyword(a.tokens[0]![0], 'DISTINCT')) throw new BigQueryApiError('invalidQuery', `No matching signature for function ${name}`);
    return `${macro}(CAST(${a.sql(0)} AS INTERVAL))`;
  });
}
