/**
 * MAKE_INTERVAL and JUSTIFY_DAYS / JUSTIFY_HOURS / JUSTIFY_INTERVAL (interval_functions). A DuckDB
 * INTERVAL keeps months, days and microseconds apart, as BigQuery's does; the macros read the three
 * parts and build a new interval from them. JUSTIFY_* move whole 30-day months out of the days and
 * whole 24-hour days out of the time part, truncating toward zero (so -65 days is -2 months -5 days).
 */
import { BigQueryApiError } from '../../types.js';
import { isKeyword, isOp } from '../tokenizer.js';
import { FunctionTable } from './function-table.js';

export const INTERVAL_FUNCTIONS = new FunctionTable();

const CANONICAL = '(-?)([0-9]+)-([0-9]+) (-?[0-9]+) (-?)([0-9]+):([0-5]?[0-9]):([0-5]?[0-9])(?:[.]([0-9]{1,6}))?';
const YEAR_MONTH = '(-?)([0-9]+)-([0-9]+)';
// whole seconds only: a fractional ISO second fails loudly
const ISO = 'P(?:(-?[0-9]+)Y)?(?:(-?[0-9]+)M)?(?:(-?[0-9]+)D)?(?:T(?:(-?[0-9]+)H)?(?:(-?[0-9]+)M)?(?:(-?[0-9]+)S)?)?';

export const INTERVAL_MACROS = [
  `CREATE OR REPLACE TEMP MACRO bq_iv_months(i) AS datepart('year', i) * 12 + datepart('month', i)`,
  `CREATE OR REPLACE TEMP MACRO bq_iv_micros(i) AS datepart('hour', i) * 3600000000 + datepart('minute', i) * 60000000 + datepart('microseconds', i)`,
  // an INTERVAL as BigQuery's canonical text (CAST AS STRING): Y-M D H:M:S[.F], one sign on the year-month part and one on the time part
  `CREATE OR REPLACE TEMP MACRO bq_interval_text(i) AS CASE WHEN bq_iv_months(i) < 0 THEN '-' ELSE '' END || abs(bq_iv_months(i)) // 12 || '-' || abs(bq_iv_months(i)) % 12 || ' ' || datepart('day', i) || ' ' || CASE WHEN bq_iv_micros(i) < 0 THEN '-' ELSE '' END || abs(bq_iv_micros(i)) // 3600000000 || ':' || abs(bq_iv_micros(i)) // 60000000 % 60 || ':' || abs(bq_iv_micros(i)) // 1000000 % 60 || CASE WHEN abs(bq_iv_micros(i)) % 1000000 = 0 THEN '' ELSE '.' || rtrim(lpad(CAST(abs(bq_iv_micros(i)) % 1000000 AS VARCHAR), 6, '0'), '0') END`,
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
  `CREATE OR REPLACE TEMP MACRO bq_justify_days(i) AS bq_make_interval(bq_iv_months(i) + sign(datepart('day', i)) * (abs(datepart('day', i)) // 30), datepart('day', i) - sign(datepart('day', i)) * (abs(datepart('day', i)) // 30) * 30, bq_iv_micros(i))`,
  `CREATE OR REPLACE TEMP MACRO bq_justify_hours(i) AS bq_make_interval(bq_iv_months(i), datepart('day', i) + sign(bq_iv_micros(i)) * (abs(bq_iv_micros(i)) // 86400000000), bq_iv_micros(i) - sign(bq_iv_micros(i)) * (abs(bq_iv_micros(i)) // 86400000000) * 86400000000)`,
  // BigQuery's answer where the justified parts keep different signs is not known here: fail loudly
  `CREATE OR REPLACE TEMP MACRO bq_justify_interval(i) AS CASE WHEN (bq_iv_months(bq_justify_days(bq_justify_hours(i))) > 0 OR datepart('day', bq_justify_days(bq_justify_hours(i))) > 0 OR bq_iv_micros(bq_justify_days(bq_justify_hours(i))) > 0) AND (bq_iv_months(bq_justify_days(bq_justify_hours(i))) < 0 OR datepart('day', bq_justify_days(bq_justify_hours(i))) < 0 OR bq_iv_micros(bq_justify_days(bq_justify_hours(i))) < 0) THEN error('JUSTIFY_INTERVAL of an interval whose parts keep different signs is not supported by the embedded BigQuery') ELSE bq_justify_days(bq_justify_hours(i)) END`,
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
