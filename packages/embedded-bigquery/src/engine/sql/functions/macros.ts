/** DuckDB macros the translated SQL calls (bq_*), and the SAFE. rewriting of raising ones. */
import { RANGE_MACROS } from '../../limits.js';
import { TYPED_MACROS } from './typed-macros.js';
import { SUBTRACTION_MACROS } from './operators.js';
import { INTERVAL_MACROS } from './interval-functions.js';
import { BYTES_MACROS } from './bytes-functions.js';
import { RANGE_TYPE_MACROS } from './range.js';
import { TIME_ZONE_MACROS } from './time-zones.js';
import { BYTES_FORMAT_MACROS } from '../cast-format-bytes.js';

/** Replace error(...) calls by NULL, our raising macros by their _safe twins, strptime by try_strptime. */
export function withoutErrors(sql: string): string {
  let out = sql.replace(/\b(bq_[a-z0-9_]+)\(/g, (m, name: string) => (RAISING_MACROS.has(name) ? `${name}_safe(` : m));
  // DuckDB's TRY() misses strptime's parse error once a macro's CASE holds the call: try_strptime gives the NULL itself
  out = out
    .split(/('(?:[^']|'')*'|"(?:[^"]|"")*")/)
    .map((piece, k) => (k % 2 === 1 ? piece : piece.replace(/(?<![\w.])strptime\(/g, 'try_strptime(')))
    .join('');
  for (;;) {
    const at = out.search(/\berror\(/);
    if (at < 0) return out;
    let depth = 0;
    let end = at + 5;
    for (; end < out.length; end++) {
      if (out[end] === "'") {
        end = out.indexOf("'", end + 1);
        while (out[end + 1] === "'") end = out.indexOf("'", end + 2);
        continue;
      }
      if (out[end] === '(') depth++;
      if (out[end] === ')' && --depth === 0) break;
    }
    out = `${out.slice(0, at)}NULL${out.slice(end + 1)}`;
  }
}

/** Macros installed on every connection (temporary: nothing is written to the database file). */
const BASE_MACROS = [
  ...RANGE_MACROS,
  ...BYTES_MACROS,
  ...TYPED_MACROS,
  ...SUBTRACTION_MACROS,
  ...INTERVAL_MACROS,
  ...TIME_ZONE_MACROS,
  ...BYTES_FORMAT_MACROS,
  // arrays are 1-based in DuckDB and fail out of bounds in BigQuery; a JSON array subscript is 0-based and gives NULL
  // (the JSON/list choice is made on the index only, so the element keeps its own type)
  // a NULL array is NULL at any position, even one that would be out of bounds (ZetaSQL's array_functions)
  `CREATE OR REPLACE TEMP MACRO bq_offset(arr, i) AS CASE WHEN arr IS NOT NULL AND typeof(arr) <> 'JSON' AND (i < 0 OR i >= len(arr)) THEN error('Array index ' || i || ' is out of bounds (overflow)') ELSE arr[i + CASE WHEN typeof(arr) = 'JSON' THEN 0 ELSE 1 END] END`,
  `CREATE OR REPLACE TEMP MACRO bq_json_strict(j, types, name, v) AS CASE WHEN j IS NULL THEN NULL WHEN list_contains(types, json_type(j)) THEN v ELSE error('The provided JSON input is not ' || CASE name WHEN 'INT64' THEN 'an integer' WHEN 'FLOAT64' THEN 'a number' WHEN 'BOOL' THEN 'a boolean' ELSE 'a string' END) END`,
  // INT64(JSON): an integer as it is, a FLOAT64 only when it is a whole number within INT64 (ZetaSQL's LosslessConvert)
  // (DuckDB types a non-negative integer UBIGINT; beyond INT64 it is not an integer to ZetaSQL either)
  `CREATE OR REPLACE TEMP MACRO bq_json_int64(j) AS CASE WHEN j IS NULL THEN NULL WHEN json_type(j) IN ('BIGINT', 'UBIGINT') AND TRY_CAST(json_extract_string(j, '$') AS BIGINT) IS NOT NULL THEN CAST(json_extract_string(j, '$') AS BIGINT)
     WHEN json_type(j) = 'DOUBLE' THEN list_transform([CAST(json_extract_string(j, '$') AS DOUBLE)], d -> CASE WHEN d = trunc(d) AND d >= -9223372036854775808.0 AND d < 9223372036854775808.0 THEN CAST(d AS BIGINT) ELSE error('The provided JSON number: ' || printf('%g', d) || ' cannot be converted to an int64') END)[1]
     ELSE error('The provided JSON input is not an integer') END`,
  `CREATE OR REPLACE TEMP MACRO bq_json_float64(j, mode) AS CASE WHEN j IS NULL OR mode IS NULL THEN NULL WHEN mode NOT IN ('exact', 'round') THEN error('Invalid \`wide_number_mode\` specified: ' || mode)
     WHEN json_type(j) = 'DOUBLE' THEN CAST(json_extract_string(j, '$') AS DOUBLE)
     WHEN json_type(j) IN ('BIGINT', 'UBIGINT') THEN CASE WHEN mode = 'exact' AND abs(CAST(json_extract_string(j, '$') AS HUGEINT)) > 9007199254740992 THEN error('JSON number: ' || json_extract_string(j, '$') || ' cannot be converted to FLOAT64 without loss of precision') ELSE CAST(json_extract_string(j, '$') AS DOUBLE) END
     ELSE error('The provided JSON input is not a number') END`,
  // a FLOAT64 or STRING cast to BIGNUMERIC whose exact value has more than 19 fractional digits: BigQuery keeps
  // 38 (a FLOAT64 rounded away from zero at 38), DECIMAL(38,19) would round at 19; d × 2^19 is whole exactly
  // when d has at most 19 fractional binary (so decimal) digits
  `CREATE OR REPLACE TEMP MACRO bq_bignumeric_operand(x) AS CASE
     WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND isfinite(TRY_CAST(x AS DOUBLE)) AND TRY_CAST(x AS DOUBLE) * 524288 <> trunc(TRY_CAST(x AS DOUBLE) * 524288) THEN error('A FLOAT64 value with more than 19 fractional digits converted to BIGNUMERIC is not supported by the embedded BigQuery (its BIGNUMERIC is DECIMAL(38,19))')
     WHEN typeof(x) = 'VARCHAR' AND (length(rtrim(regexp_extract(CAST(x AS VARCHAR), '\\.([0-9]+)', 1), '0')) > 19 OR regexp_matches(CAST(x AS VARCHAR), '[0-9][eE]')) THEN error('A STRING with more than 19 fractional digits or an exponent converted to BIGNUMERIC is not supported by the embedded BigQuery (its BIGNUMERIC is DECIMAL(38,19))')
     ELSE x END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_bool(j) AS CASE json_type(j) WHEN 'BOOLEAN' THEN CAST(json_extract_string(j, '$') AS BOOLEAN) WHEN 'VARCHAR' THEN CASE lower(json_extract_string(j, '$')) WHEN 'true' THEN true WHEN 'false' THEN false END WHEN 'BIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) <> 0 WHEN 'UBIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) <> 0 WHEN 'DOUBLE' THEN CAST(json_extract_string(j, '$') AS DOUBLE) <> 0 END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_int64(j) AS CASE json_type(j) WHEN 'BOOLEAN' THEN CASE WHEN CAST(json_extract_string(j, '$') AS BOOLEAN) THEN 1 ELSE 0 END WHEN 'VARCHAR' THEN TRY_CAST(round(TRY_CAST(json_extract_string(j, '$') AS DOUBLE)) AS BIGINT) WHEN 'BIGINT' THEN TRY_CAST(json_extract_string(j, '$') AS BIGINT) WHEN 'UBIGINT' THEN TRY_CAST(json_extract_string(j, '$') AS BIGINT) WHEN 'DOUBLE' THEN TRY_CAST(round(CAST(json_extract_string(j, '$') AS DOUBLE)) AS BIGINT) END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_float64(j) AS CASE json_type(j) WHEN 'VARCHAR' THEN TRY_CAST(json_extract_string(j, '$') AS DOUBLE) WHEN 'BIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) WHEN 'UBIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) WHEN 'DOUBLE' THEN CAST(json_extract_string(j, '$') AS DOUBLE) END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_string(j) AS CASE json_type(j) WHEN 'NULL' THEN NULL WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string(j, '$') END`,
  // raises through a failing CAST, not error(): error() is volatile, and DuckDB refuses HAVING/ORDER BY on an alias of a volatile expression (errors.ts maps the text)
  // ss: the same SUM of the values × 2^-100 (exact, and never beyond FLOAT64): a FLOAT64 SUM that is not finite
  // while ss is came from finite values, which fails as in ZetaSQL ('double overflow') when the whole sum is beyond
  // FLOAT64, and loudly when only DuckDB's running total was (ZetaSQL sums in a wider type and answers)
  `CREATE OR REPLACE TEMP MACRO bq_sum_checked(s, ss) AS CASE WHEN typeof(s) = 'HUGEINT' AND (s > 9223372036854775807 OR s < -9223372036854775808) THEN CAST(CAST(s AS VARCHAR) || ' bq_int64_overflow' AS INTEGER)
     WHEN typeof(s) = 'DECIMAL(38,9)' AND abs(TRY_CAST(s AS DOUBLE)) >= 1e29 AND (s > 99999999999999999999999999999.999999999 OR s < -99999999999999999999999999999.999999999) THEN CAST('numeric overflow: SUM bq_raise' AS INTEGER)
     WHEN typeof(s) = 'DECIMAL(38,19)' AND abs(TRY_CAST(s AS DOUBLE)) >= 1e19 AND (s > 9999999999999999999.9999999999999999999 OR s < -9999999999999999999.9999999999999999999) THEN CAST('A SUM of BIGNUMERIC values beyond the embedded BigQuery''s BIGNUMERIC range (DECIMAL(38,19)) is not supported by the embedded BigQuery bq_raise' AS INTEGER)
     WHEN typeof(s) IN ('DOUBLE', 'FLOAT') AND NOT isfinite(TRY_CAST(s AS DOUBLE)) AND isfinite(ss) THEN CAST(CASE WHEN abs(ss) > 1.7976931348623157e308 * 7.888609052210118e-31 THEN 'double overflow' ELSE 'A SUM of FLOAT64 values whose running total leaves the FLOAT64 range is not supported by the embedded BigQuery' END || ' bq_raise' AS INTEGER) ELSE s END`,
  // CORR/COVAR/VAR/STDDEV of NUMERIC or BIGNUMERIC pairs (l: a list of {y, x}, NULL-free), stable as BigQuery's:
  // each side shifted by its median exactly (a shift changes no moment; |mean - median| <= stddev keeps the
  // FLOAT64 differences free of cancellation), then two-pass sums of products about the means
  `CREATE OR REPLACE TEMP MACRO bq_moments(l) AS list_transform([{'y': list_sort(list_transform(l, p -> p.y))[(len(l) + 1) // 2], 'x': list_sort(list_transform(l, p -> p.x))[(len(l) + 1) // 2]}], c ->
     list_transform([list_transform(l, p -> {'y': CAST(p.y - c.y AS DOUBLE), 'x': CAST(p.x - c.x AS DOUBLE)})], d ->
     list_transform([{'y': list_avg(list_transform(d, q -> q.y)), 'x': list_avg(list_transform(d, q -> q.x))}], m ->
     {'n': len(d), 'c': list_sum(list_transform(d, q -> (q.y - m.y) * (q.x - m.x))), 'vy': list_sum(list_transform(d, q -> (q.y - m.y) * (q.y - m.y))), 'vx': list_sum(list_transform(d, q -> (q.x - m.x) * (q.x - m.x)))})[1])[1])[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_mod(a, b) AS CASE WHEN b = 0 THEN error('division by zero: MOD(' || a || ', ' || b || ')') ELSE a % b END`,
  `CREATE OR REPLACE TEMP MACRO bq_div(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE CAST(trunc(a / b) AS BIGINT) END`,
  // FLOAT64 errors as ZetaSQL raises them (arithmetics.h, math.h): a result that is not finite from finite
  // inputs. They raise through a failing CAST, not error() (see bq_sum_checked); errors.ts maps ' bq_raise'.
  // (bq_g and bq_float_overflow: typed-macros.ts, which the `*` and `/` macros need first)
  `CREATE OR REPLACE TEMP MACRO bq_fp1(kind, name, x, r) AS CASE WHEN isfinite(x) AND NOT isfinite(r) THEN CAST('Floating point ' || kind || ' in function: ' || name || '(' || bq_g(x) || ') bq_raise' AS INTEGER) ELSE r END`,
  `CREATE OR REPLACE TEMP MACRO bq_fp2(name, x, y, r) AS CASE WHEN isfinite(x) AND isfinite(y) AND NOT isfinite(r) THEN CAST('Floating point error in function: ' || name || '(' || bq_g(x) || ', ' || bq_g(y) || ') bq_raise' AS INTEGER) ELSE r END`,
  // SAFE_ADD/SUBTRACT/MULTIPLY: NULL where the operator fails, a FLOAT64 overflow included
  `CREATE OR REPLACE TEMP MACRO bq_safe_arith(a, b, op) AS TRY(CASE op WHEN '*' THEN bq_float_overflow(a, b, a * b, ' * ') WHEN '+' THEN bq_float_overflow(a, b, a + b, ' + ') ELSE bq_float_overflow(a, b, a - b, ' - ') END)`,
  `CREATE OR REPLACE TEMP MACRO bq_check_no_nulls(l) AS CASE WHEN list_contains(list_transform(l, x -> x IS NULL), true) THEN error('Array cannot have a null element; error in writing field') ELSE l END`,
  // json_value gives NULL for objects/arrays and the JSON text of a scalar; unquote that small text
  `CREATE OR REPLACE TEMP MACRO bq_json_value(j, p) AS json_extract_string(json_value(j, p), '$')`,
  // UTC civil time of a TIMESTAMP without DuckDB's ICU calendar (the session time zone is always UTC);
  // other types take the plain cast.
  `CREATE OR REPLACE TEMP MACRO bq_date(x) AS CASE WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN CAST(make_timestamp(epoch_us(TRY_CAST(x AS TIMESTAMPTZ))) AS DATE) ELSE CAST(x AS DATE) END`,
  `CREATE OR REPLACE TEMP MACRO bq_int64(s) AS CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(s, '\\s*[+-]?[0-9]+\\s*') THEN CAST(trim(s) AS BIGINT) WHEN regexp_full_match(s, '\\s*[+-]?0[xX][0-9a-fA-F]+\\s*') THEN CASE WHEN starts_with(trim(s), '-') THEN -CAST(substring(trim(s), 2) AS BIGINT) ELSE CAST(ltrim(trim(s), '+') AS BIGINT) END ELSE error('Bad int64 value: ' || s) END`,
  `CREATE OR REPLACE TEMP MACRO bq_instr(s, sub, pos, occ) AS CASE WHEN s IS NULL OR sub IS NULL OR pos IS NULL OR occ IS NULL THEN NULL WHEN pos = 0 OR occ <= 0 THEN error('INSTR: position must not be 0 and occurrence must be positive') ELSE coalesce((CASE WHEN pos > 0 THEN list_filter(range(1, length(s) + 1), i -> i >= pos AND substring(s, i, length(sub)) = sub) ELSE list_reverse(list_filter(range(1, length(s) + 1), i -> i <= length(s) + pos + 1 AND substring(s, i, length(sub)) = sub)) END)[occ], 0) END`,
  // TIMESTAMP, DATETIME and TIME: 0, 3 or 6 fractional digits, whole groups of three zeros dropped
  // (conversion_functions#cast_as_string: "the CAST function will truncate zero, three, or six digits")
  `CREATE OR REPLACE TEMP MACRO bq_fraction_text(s) AS regexp_replace(regexp_replace(s, '\\.000000$', ''), '(\\.\\d\\d\\d)000$', '\\1')`,
  // STRING(timestamp, zone): the civil time there and the zone's offset at that instant, '+01' or '+05:30'
  `CREATE OR REPLACE TEMP MACRO bq_timestamp_text_in(ts, tz) AS list_transform([bq_civil(CAST(ts AS TIMESTAMPTZ), tz)], l -> list_transform([CAST((epoch_us(l) - epoch_us(CAST(ts AS TIMESTAMPTZ))) // 60000000 AS BIGINT)], m ->
     bq_fraction_text(strftime(l, '%Y-%m-%d %H:%M:%S.%f')) || CASE WHEN m < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0') || CASE WHEN abs(m) % 60 = 0 THEN '' ELSE ':' || lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0') END)[1])[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_to_string(x) AS CASE
     WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN bq_fraction_text(strftime(CAST(x AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%f')) || '+00'
     WHEN typeof(x) = 'TIMESTAMP' THEN bq_fraction_text(strftime(CAST(x AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f'))
     WHEN typeof(x) = 'TIME' THEN bq_fraction_text(strftime(DATE '2000-01-01' + TRY_CAST(x AS TIME), '%H:%M:%S.%f'))
     WHEN typeof(x) = 'DOUBLE' AND CAST(x AS DOUBLE) = trunc(CAST(x AS DOUBLE)) AND abs(CAST(x AS DOUBLE)) < 1e15 THEN CAST(CAST(x AS BIGINT) AS VARCHAR)
     WHEN typeof(x) = 'BLOB' THEN decode(TRY_CAST(x AS BLOB))
     WHEN typeof(x) LIKE 'DECIMAL%' THEN regexp_replace(regexp_replace(CAST(x AS VARCHAR), '(\\.\\d*?)0+$', '\\1'), '\\.$', '')
     ELSE CAST(x AS VARCHAR) END`,
  ...RANGE_TYPE_MACROS,
];

const RAISING_MACROS = new Set(BASE_MACROS.filter((m) => /\berror\(/.test(m)).map((m) => /MACRO (bq_[a-z0-9_]+)/.exec(m)![1]!));

/** Every macro, plus a `_safe` twin of each one that raises (NULL instead of the error) for SAFE. calls. */
export const MACROS = [
  ...BASE_MACROS,
  ...BASE_MACROS.filter((m) => /\berror\(/.test(m)).map((m) => withoutErrors(m.replace(/MACRO (bq_[a-z0-9_]+)/, 'MACRO $1_safe'))),
];
