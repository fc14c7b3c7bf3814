/**
 * FORMAT: printf-style formatting as GoogleSQL defines it (string_functions#format_string). DuckDB's
 * printf differs in the apostrophe flag (it groups with ' and only decimals) and in %t of NULL (it
 * gives NULL, GoogleSQL 'NULL'); those specifiers are rewritten, the rest go to printf unchanged.
 */
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';
import type { CallArgs } from '../translation-context.js';
import { FunctionTable } from './function-table.js';
import { rangeToStringSql } from './range.js';
import { defaultZone, noZonedTimestampRange, stringOf } from './time-zones.js';
import { rangePrintedType } from '../range-type.js';

export const FORMAT_FUNCTIONS = new FunctionTable();

const SPEC = /%([-+ #0']*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])/g;

/** Digits grouped from the right: every `size` digits get `sep` (a leading sign stays in front). */
function grouped(text: string, size: number, sep: string): string {
  return `regexp_replace(reverse(regexp_replace(reverse(${text}), '([0-9a-fA-F]{${size}})', '\\1${sep}', 'g')), '^(-?)\\${sep}', '\\1')`;
}

FORMAT_FUNCTIONS.def('FORMAT', (a, t) => {
  const f = a.tokens[0];
  if (!f || f.length !== 1 || f[0]!.kind !== 'string') return checkedPrintf(a);
  const format = f[0]!.value;
  // more arguments than the pattern uses is an error in BigQuery (DuckDB's printf ignores them)
  const used = [...format.matchAll(SPEC)].reduce((k, [, , width, precision, conv]) => (conv === '%' ? k : k + 1 + Number(width === '*') + Number(precision === '*')), 1);
  if (a.tokens.length > used) {
    return `CAST(error(${quoteString(`Too many arguments to FORMAT for pattern "${format}"; Expected ${used}; Got ${a.tokens.length}`)}) AS VARCHAR)`;
  }
  if (!/%[-+ #0]*'|%t|%T/.test(format)) return `printf(${a.all().join(', ')})`;
  // one piece per literal run and per specifier, each specifier consuming its argument
  const pieces: string[] = [];
  let arg = 1;
  let last = 0;
  for (const m of format.matchAll(SPEC)) {
    const [whole, flags = '', width, precision, conv = ''] = m;
    if (m.index > last) pieces.push(quoteString(format.slice(last, m.index)));
    last = m.index + whole.length;
    if (conv === '%') {
      pieces.push("'%'");
      continue;
    }
    if (width === '*' || precision === '*') throw unsupported("FORMAT with '*' widths together with %t or the ' flag");
    const value = argAt(a, arg++);
    if (conv === 't' && flags === '' && !width && !precision) {
      // a TIMESTAMP prints as CAST to STRING does, in the default zone (@@time_zone)
      pieces.push(`coalesce(${noZonedTimestampRange(value, defaultZone(t), rangePrintedType('TIMESTAMP'), rangeToStringSql(value, stringOf(value, defaultZone(t))))}, 'NULL')`);
    } else if (conv === 'T' && flags === '' && !width && !precision) {
      pieces.push(sqlLiteral(value));
    } else if (flags === "'" && !width && !precision && 'diuxXo'.includes(conv)) {
      const text = `printf('%${conv === 'i' || conv === 'u' ? 'd' : conv}', ${value})`;
      pieces.push(conv === 'x' || conv === 'X' ? grouped(text, 4, ':') : conv === 'o' ? grouped(text, 4, ',') : grouped(text, 3, ','));
    } else if (flags.includes("'") || conv === 't' || conv === 'T') {
      throw unsupported(`FORMAT specifier ${whole}`);
    } else {
      pieces.push(`printf(${quoteString(whole)}, ${value})`);
    }
  }
  if (last < format.length) pieces.push(quoteString(format.slice(last)));
  // FORMAT is NULL when an argument is NULL, except where %t prints it
  return `(${pieces.join(' || ')})`;
});

/**
 * %T: the value as a GoogleSQL literal (ZetaSQL's Value::GetSQLLiteral): strings and bytes quoted
 * and escaped as ToStringLiteral/ToBytesLiteral do, FLOAT64 with a '.0' when whole, DATE and NUMERIC
 * typed. Other types (and FLOAT64 values whose shortest form has an exponent) fail loudly.
 */
function sqlLiteral(x: string): string {
  const d = `TRY_CAST(${x} AS DOUBLE)`;
  const float = `CASE WHEN isnan(${d}) THEN 'CAST("nan" AS FLOAT64)' WHEN isinf(${d}) AND ${d} > 0 THEN 'CAST("inf" AS FLOAT64)' WHEN isinf(${d}) THEN 'CAST("-inf" AS FLOAT64)' WHEN ${d} = trunc(${d}) AND abs(${d}) < 1e15 THEN CAST(CAST(${d} AS BIGINT) AS VARCHAR) || '.0' WHEN regexp_matches(CAST(${d} AS VARCHAR), '[eE]') THEN error('FORMAT %T of this FLOAT64 value is not supported by the embedded BigQuery') ELSE CAST(${d} AS VARCHAR) END`;
  return `(CASE WHEN (${x}) IS NULL THEN 'NULL'
    WHEN typeof(${x}) = 'VARCHAR' THEN bq_js_string_literal(TRY_CAST(${x} AS VARCHAR))
    WHEN typeof(${x}) = 'BLOB' THEN bq_js_bytes_literal(TRY_CAST(${x} AS BLOB))
    WHEN typeof(${x}) IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT', 'BOOLEAN') THEN lower(CAST(${x} AS VARCHAR))
    WHEN typeof(${x}) = 'DOUBLE' THEN ${float}
    WHEN typeof(${x}) = 'DATE' THEN 'DATE "' || CAST(${x} AS VARCHAR) || '"'
    WHEN typeof(${x}) = 'DECIMAL(38,9)' THEN 'NUMERIC "' || bq_numeric_text(${x}) || '"'
    ELSE error('FORMAT %T of a ' || typeof(${x}) || ' value is not supported by the embedded BigQuery') END)`;
}

/**
 * FORMAT with a pattern known only at run time: printf, with BigQuery's error for unused arguments
 * (the specifiers counted in the pattern, a * width or precision taking one more) and a loud failure
 * for a * precision, which DuckDB's printf ignores ('%0.*d' of 4, 12 gave '12', not '0012').
 */
function checkedPrintf(a: CallArgs): string {
  const [fmt, ...rest] = a.all();
  const specs = `regexp_extract_all(replace(${fmt}, '%%', ''), '%[-+ #0'']*(?:[*]|[0-9]+)?(?:[.](?:[*]|[0-9]+))?[a-zA-Z]')`;
  const stars = `(length(array_to_string(${specs}, '')) - length(replace(array_to_string(${specs}, ''), '*', '')))`;
  const used = `(1 + len(${specs}) + ${stars})`;
  const got = rest.length + 1;
  return `CASE WHEN ${fmt} IS NOT NULL AND ${used} < ${got} THEN error('Too many arguments to FORMAT for pattern "' || ${fmt} || '"; Expected ' || ${used} || '; Got ${got}')
    WHEN regexp_matches(${fmt}, '%[-+ #0'']*(?:[*]|[0-9]+)?[.][*]') THEN error('FORMAT with a * precision is not supported by the embedded BigQuery')
    ELSE printf(${a.all().join(', ')}) END`;
}

function argAt(a: CallArgs, k: number): string {
  if (k >= a.tokens.length) throw unsupported('FORMAT with fewer arguments than specifiers');
  return a.sql(k);
}
