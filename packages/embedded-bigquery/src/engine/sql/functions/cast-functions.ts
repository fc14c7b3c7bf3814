/** CAST and SAFE_CAST with BigQuery's conversion rules where DuckDB's differ. */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';
import { isKeyword, isOp, type Token } from '../tokenizer.js';
import { parseTypeAt } from '../type-names.js';
import { FunctionTable } from './function-table.js';
import { rangeChecked, rangedType } from '../../limits.js';
import { exactDecimalLiteral } from '../literals.js';
import { rangeFromStringSql, rangeToStringSql } from './range.js';
import { rangeElement, rangePrintedType } from '../range-type.js';
import { civilOf, defaultZone, isUtc, noZonedTimestampRange, stringOf, toTimestamp, type Zone } from './time-zones.js';
import { quoteString } from '../../type-mapping.js';
import { castFormatTo } from '../cast-format.js';

export const CAST_FUNCTIONS = new FunctionTable();
const def = CAST_FUNCTIONS.def;

def(['CAST', 'SAFE_CAST'], (_a, t, raw, n) => {
  const asAt = lastTopLevelAs(raw);
  if (asAt < 1) throw new BigQueryApiError('invalidQuery', `Syntax error: ${n}(expression AS type)`);
  const [type, end] = parseTypeAt(raw, asAt + 1);
  if (end < raw.length) {
    // STRING to TIMESTAMP with a format reads the civil time in UTC (cast-format.ts): not its answer under another @@time_zone
    if (isKeyword(raw[end], 'FORMAT') && type.field.type === 'TIMESTAMP' && !isUtc(defaultZone(t))) throw unsupported('CAST(... AS TIMESTAMP FORMAT ...) under a @@time_zone other than UTC');
    if (isKeyword(raw[end], 'FORMAT')) return castFormatTo(raw, asAt, end, type.field.type, n === 'SAFE_CAST', (x) => t.sub(x));
    throw new BigQueryApiError('invalidQuery', `Syntax error near "${raw[end]!.text}" in ${n}`);
  }
  const target = type.field.type;
  const fn = n === 'SAFE_CAST' ? 'TRY_CAST' : 'CAST';
  const inner = raw.slice(0, asAt);
  if (['FLOAT', 'INTEGER', 'NUMERIC', 'BIGNUMERIC'].includes(target) && type.field.mode !== 'REPEATED' && isJsonValueCall(inner)) {
    // CAST(JSON_VALUE(j, p) AS FLOAT64): one JSON pass. A scalar converts exactly as JSON_VALUE's text
    // would; an object or array (where JSON_VALUE gives NULL) makes CAST fail loudly, SAFE_CAST give NULL.
    const args = t.splitArgs(t.tokens.indexOf(inner[2]!), t.tokens.indexOf(inner[inner.length - 1]!));
    const path = args[1] ? t.sub(args[1]) : "'$'";
    const extracted = `json_extract_string(${t.sub(args[0]!)}, ${path})`;
    if (target === 'INTEGER') return `bq_int64${fn === 'TRY_CAST' ? '_safe' : ''}(${extracted})`;
    return `${fn}(${extracted} AS ${type.duck})`;
  }
  if ((target === 'NUMERIC' || target === 'BIGNUMERIC') && type.field.mode !== 'REPEATED') {
    // a number literal converts from its text, exactly (through FLOAT64 it lost digits)
    const num = inner.length === 1 ? inner[0] : inner.length === 2 && isOp(inner[0], '-', '+') ? inner[1] : undefined;
    if (num?.kind === 'number') {
      const text = `${inner.length === 2 ? inner[0]!.text : ''}${num.text}`;
      try {
        const exact = exactDecimalLiteral(text, target);
        if (exact) return exact;
      } catch (e) {
        // SAFE_CAST of a literal out of NUMERIC's range is NULL; the engine's own limits stay loud
        if (fn !== 'TRY_CAST' || !(e instanceof BigQueryApiError) || e.message.startsWith('BIGNUMERIC value')) throw e;
        return `CAST(NULL AS ${type.duck})`;
      }
    }
  }
  // a STRING literal is read by the cast itself (in the default zone for TIMESTAMP), never as a literal of unknown use
  const value = inner.length === 1 && inner[0]!.kind === 'string' ? quoteString(inner[0]!.value) : t.sub(inner);
  const checked = civilStringChecked(value, target, type.field.mode === 'REPEATED', fn === 'TRY_CAST');
  // under a @@time_zone other than UTC, TIMESTAMP conversions read and print civil times there (time-zones.ts)
  const civil = zonedCast(checked, type.field.type, type.field.mode === 'REPEATED', type.duck, fn, defaultZone(t));
  // BigQuery's BIGNUMERIC keeps 38 fractional digits, the engine's DECIMAL(38,19) 19: more fails loudly
  const expr = target === 'BIGNUMERIC' && type.field.mode !== 'REPEATED' ? `bq_bignumeric_operand(${civil})` : civil;
  const ranged = type.field.mode !== 'REPEATED' ? rangedType(target) : undefined;
  // DuckDB's DATE/TIMESTAMP range is far wider than BigQuery's: a cast outside 0001..9999 fails (SAFE_CAST: NULL)
  if (ranged) return rangeChecked(ranged, target === 'DATE' && fn === 'CAST' ? `bq_date(${expr})` : `${fn}(${expr} AS ${type.duck})`, fn === 'TRY_CAST');
  if (target === 'BOOLEAN' && type.field.mode !== 'REPEATED') {
    // BigQuery accepts only 'true'/'false' (any case) for STRING → BOOL
    return `${fn}(CASE WHEN typeof(${expr}) = 'VARCHAR' AND lower(CAST(${expr} AS VARCHAR)) NOT IN ('true', 'false') THEN ${fn === 'CAST' ? `error('Bad bool value: ' || CAST(${expr} AS VARCHAR))` : "'invalid'"} ELSE ${expr} END AS BOOLEAN)`;
  }
  if (target === 'INTEGER' && type.field.mode !== 'REPEATED') {
    // FLOAT64 → INT64 rounds half away from zero (DuckDB: half to even); a STRING must spell an
    // integer (decimal or 0x hex), where DuckDB would round '1.5'
    const safe = fn === 'TRY_CAST' ? '_safe' : '';
    return `CASE WHEN typeof(${expr}) IN ('DOUBLE', 'FLOAT') THEN ${fn}(round(TRY_CAST(${expr} AS DOUBLE)) AS BIGINT) WHEN typeof(${expr}) = 'VARCHAR' THEN bq_int64${safe}(TRY_CAST(${expr} AS VARCHAR)) ELSE ${fn}(${expr} AS BIGINT) END`;
  }
  if (target === 'INTERVAL' && type.field.mode !== 'REPEATED') {
    return `CASE WHEN typeof(${expr}) = 'VARCHAR' THEN bq_parse_interval(TRY_CAST(${expr} AS VARCHAR)) ELSE ${fn}(${expr} AS INTERVAL) END`;
  }
  if (target === 'STRING' && type.field.mode !== 'REPEATED') {
    // an INTERVAL prints as BigQuery's canonical text (DuckDB's CAST gave '29 days 24:00:00'), a RANGE as [start, end)
    const text = rangeToStringSql(expr, `CASE WHEN typeof(${expr}) = 'INTERVAL' THEN bq_interval_text(TRY_CAST(${expr} AS INTERVAL)) ELSE ${stringOf(expr, defaultZone(t))} END`);
    return noZonedTimestampRange(expr, defaultZone(t), rangePrintedType('TIMESTAMP'), text);
  }
  if (target === 'RANGE' && type.field.mode !== 'REPEATED') {
    // a STRING's TIMESTAMP bounds would be read in UTC (range.ts): under another @@time_zone that fails loudly
    const zoned = rangeElement(type.field.rangeElementType?.type) === 'TIMESTAMP' && !isUtc(defaultZone(t));
    const parsed = zoned
      ? "error('CAST of a STRING to RANGE<TIMESTAMP> under a @@time_zone other than UTC is not supported by the embedded BigQuery')"
      : rangeFromStringSql(`TRY_CAST(${expr} AS VARCHAR)`, rangeElement(type.field.rangeElementType?.type), fn === 'TRY_CAST');
    const element = rangeElement(type.field.rangeElementType?.type);
    // a RANGE of another element type: whether BigQuery casts it is not known here
    const other = `error('CAST of a ' || typeof(${expr}) || ' to RANGE<${element}> is not supported by the embedded BigQuery')`;
    return `CASE WHEN typeof(${expr}) = 'VARCHAR' THEN ${parsed} WHEN typeof(${expr}) IN ('${rangePrintedType(element)}', '"NULL"') THEN ${fn}(${expr} AS ${type.duck}) ELSE ${other} END`;
  }
  if (target === 'BYTES' && type.field.mode !== 'REPEATED') {
    // STRING → BYTES is the UTF-8 encoding (DuckDB's VARCHAR → BLOB cast only takes escaped ASCII)
    return `CASE WHEN typeof(${expr}) = 'VARCHAR' THEN encode(TRY_CAST(${expr} AS VARCHAR)) ELSE ${fn}(${expr} AS BLOB) END`;
  }
  return `${fn}(${expr} AS ${type.duck})`;
});

/**
 * x cast to a date/time type in a default zone other than UTC: a TIMESTAMP's civil time
 * (or text) there, and a STRING, DATE or DATETIME read there as a TIMESTAMP. Other inputs and UTC
 * pass through unchanged; an ARRAY or STRUCT target fails loudly (its elements are not seen here).
 */
function zonedCast(x: string, target: string, repeated: boolean, duck: string, fn: string, z: Zone): string {
  if (isUtc(z)) return x;
  if (repeated || target === 'RECORD') {
    // elements or fields converted between TIMESTAMP and another type would go through UTC: loud when either side holds a TIMESTAMP
    const to = `typeof(CAST(NULL AS ${duck}))`;
    const mixed = `typeof(${x}) <> ${to} AND typeof(${x}) <> '"NULL"' AND (typeof(${x}) LIKE '%TIME ZONE%' OR ${to} LIKE '%TIME ZONE%')`;
    return `CASE WHEN ${mixed} THEN error('${fn === 'TRY_CAST' ? 'SAFE_CAST' : 'CAST'} of ' || typeof(${x}) || ' to ' || ${to} || ' under a @@time_zone other than UTC is not supported by the embedded BigQuery') ELSE ${x} END`;
  }
  const isTs = `typeof(${x}) = 'TIMESTAMP WITH TIME ZONE'`;
  const instant = `TRY_CAST(${x} AS TIMESTAMPTZ)`;
  if (target === 'DATE' || target === 'DATETIME' || target === 'TIME') return `CASE WHEN ${isTs} THEN CAST(${civilOf(instant, z)} AS ${duck}) ELSE ${fn}(${x} AS ${duck}) END`;
  if (target === 'TIMESTAMP') return toTimestamp(x, z, fn === 'TRY_CAST');
  return x;
}

/**
 * A STRING cast to TIME or DATETIME: DuckDB reads '24:00:00' as a TIME and drops a zone ('... UTC',
 * '+05') from a DATETIME; BigQuery's formats allow neither (hours 0-23; a DATETIME has no zone), so
 * those fail as BigQuery does (SAFE_CAST: NULL). Other inputs pass through unchanged.
 */
function civilStringChecked(expr: string, target: string, repeated: boolean, safe: boolean): string {
  if (repeated || (target !== 'TIME' && target !== 'DATETIME' && target !== 'DATE')) return expr;
  const text = `CAST(${expr} AS VARCHAR)`;
  // a DATE string has no time of day and a TIME string no date (DuckDB dropped them: '2019-08-01 03:00:00' as DATE)
  const bad =
    target === 'DATE' ? `regexp_matches(${text}, '[0-9]:[0-9]')`
    : target === 'TIME' ? `(TRY_CAST(${text} AS TIME) > TIME '23:59:59.999999' OR regexp_matches(${text}, '[0-9]-[0-9]'))`
    : `regexp_matches(${text}, '[0-9]:[0-9]{1,2}([.][0-9]*)? *[A-Za-z+-]')`;
  const fail = safe ? 'NULL' : `error('Invalid ${target.toLowerCase()} string "' || ${text} || '"')`;
  return `CASE WHEN typeof(${expr}) = 'VARCHAR' AND ${bad} THEN ${fail} ELSE ${expr} END`;
}

/** The tokens are exactly JSON_VALUE(...) / JSON_EXTRACT_SCALAR(...) with a literal path (or none). */
function isJsonValueCall(toks: Token[]): boolean {
  if (toks.length < 4 || !isKeyword(toks[0], 'JSON_VALUE', 'JSON_EXTRACT_SCALAR') || !isOp(toks[1], '(') || !isOp(toks[toks.length - 1], ')')) return false;
  let depth = 0;
  for (let i = 1; i < toks.length; i++) {
    if (isOp(toks[i], '(', '[')) depth++;
    if (isOp(toks[i], ')', ']')) depth--;
    if (depth === 0 && i < toks.length - 1) return false;
  }
  const comma = toks.findIndex((x, i) => i > 1 && isOp(x, ','));
  if (comma < 0) return true;
  // only a plain '$.a.b' path: bracketed keys need jsonPath's rewriting
  const path = toks.slice(comma + 1, -1);
  return path.length === 1 && path[0]!.kind === 'string' && !path[0]!.value.includes('[');
}

function lastTopLevelAs(raw: Token[]): number {
  let depth = 0;
  let found = -1;
  raw.forEach((x, i) => {
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    else if (depth === 0 && isKeyword(x, 'AS')) found = i;
  });
  return found;
}
