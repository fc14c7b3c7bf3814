/**
 * Range functions (range-functions): RANGE, RANGE_START/END, RANGE_CONTAINS (a range or a value),
 * RANGE_OVERLAPS, RANGE_INTERSECT, GENERATE_RANGE_ARRAY, and CAST between RANGE and STRING. A RANGE is
 * the struct of sql/range-type.ts, its unbounded ends infinite, so these are plain comparisons of its
 * fields. Where a form depends on an argument's type that the translator cannot see (RANGE_CONTAINS's
 * second argument, CAST AS STRING), each type's form reads the value through its text, which binds
 * whatever the type and is exact for dates and times; typeof() picks the form when the query is bound.
 * Errors have ZetaSQL's reference implementation's texts (functions/range.cc). RANGE_SESSIONIZE and
 * STRING literals where BigQuery would coerce them fail loudly.
 */
import { unsupported } from '../../errors.js';
import { rangeChecked } from '../../limits.js';
import { argCount, FunctionTable } from './function-table.js';
import { callKey, overloadedMacros, typedCall, type OverloadChoice } from './typed-macros.js';
import { ELEMENT_DUCK, endOf, RANGE_ELEMENTS, RANGE_START, rangeDuckType, rangePack, rangePrintedType, startOf, type RangeElement } from '../range-type.js';

export const RANGE_FUNCTIONS = new FunctionTable();
const def = RANGE_FUNCTIONS.def;

const NULL_TYPE = `'"NULL"'`;

/** BigQuery's name of a DuckDB type (typeof's text), for signature errors. */
const typeNameSql = (x: string): string =>
  `CASE typeof(${x}) ${RANGE_ELEMENTS.map((e) => `WHEN '${rangePrintedType(e)}' THEN 'RANGE<${e}>' WHEN '${ELEMENT_DUCK[e].printed}' THEN '${e}'`).join(' ')} WHEN 'VARCHAR' THEN 'STRING' WHEN 'BIGINT' THEN 'INT64' WHEN 'INTEGER' THEN 'INT64' WHEN 'DOUBLE' THEN 'FLOAT64' WHEN 'BOOLEAN' THEN 'BOOL' WHEN '"NULL"' THEN 'NULL' ELSE typeof(${x}) END`;

const signatureError = (fn: string, args: string[]): string =>
  `error('No matching signature for function ${fn} for argument types: ' || ${args.map(typeNameSql).join(` || ', ' || `)})`;

const isRange = (x: string): string => `typeof(${x}) IN (${RANGE_ELEMENTS.map((e) => `'${rangePrintedType(e)}'`).join(', ')})`;
const sameRanges = (a: string, b: string): string => `(${isRange(a)} AND (typeof(${a}) = typeof(${b}) OR typeof(${b}) = ${NULL_TYPE}))`;

/** x as a value of `type` through its text (binds for any x; exact for the date and time types). */
const viaText = (x: string, type: string): string => `TRY_CAST(CAST(${x} AS VARCHAR) AS ${type})`;

export const RANGE_TYPE_MACROS = [
  `CREATE OR REPLACE TEMP MACRO bq_range_of(s, e, p) AS CASE WHEN s >= e THEN error(p || 'Range start element must be smaller than range end element') ELSE ${rangePack(`coalesce(s, '-infinity')`, `coalesce(e, 'infinity')`)} END`,
  `CREATE OR REPLACE TEMP MACRO bq_range_bound(x) AS CASE WHEN isinf(x) THEN NULL ELSE x END`,
  `CREATE OR REPLACE TEMP MACRO bq_range_bound_text(x) AS CASE WHEN isinf(x) THEN 'UNBOUNDED' ELSE bq_to_string(x) END`,
  `CREATE OR REPLACE TEMP MACRO bq_range_text(r) AS '[' || bq_range_bound_text(${startOf('r')}) || ', ' || bq_range_bound_text(${endOf('r')}) || ')'`,
  `CREATE OR REPLACE TEMP MACRO bq_range_overlaps(a, b) AS ${startOf('a')} < ${endOf('b')} AND ${startOf('b')} < ${endOf('a')}`,
  `CREATE OR REPLACE TEMP MACRO bq_range_intersect(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL
     WHEN NOT bq_range_overlaps(a, b) THEN error('Provided RANGE inputs: ' || bq_range_text(a) || ' and ' || bq_range_text(b) || ' do not overlap. Please check RANGE_OVERLAPS before calling RANGE_INTERSECT')
     ELSE ${rangePack(`greatest(${startOf('a')}, ${startOf('b')})`, `least(${endOf('a')}, ${endOf('b')})`)} END`,
  ...overloadedMacros('bq_generate_range_array', RANGE_ELEMENTS.map((e) => ({ suffix: e.toLowerCase(), params: `r ${rangeDuckType(e)}, step, last, t`, body: generateBody(e) }))),
];

/** The k-th step from the range's start, of the element type. */
function stepFrom(e: RangeElement, k: string): string {
  if (e === 'DATE') return `CAST(${startOf('r')} + (${k}) * step AS DATE)`;
  if (e === 'DATETIME') return `(${startOf('r')} + (${k}) * step)`;
  return `make_timestamptz(epoch_us(${startOf('r')}) + (${k}) * (datepart('day', step) * 86400000000 + bq_iv_micros(step)))`;
}

/** GENERATE_RANGE_ARRAY over RANGE<e> (ZetaSQL's range.h generators: the k-th subrange starts k steps from the start). */
function generateBody(e: RangeElement): string {
  const [months, days, micros] = ['bq_iv_months(step)', "datepart('day', step)", 'bq_iv_micros(step)'];
  const fail = (m: string): string => `error('${m}')`;
  const checks: [string, string][] =
    e === 'DATE'
      ? [[`${micros} <> 0`, 'step with non-zero (H:M:S[.F]) part is not supported'], [`${months} <> 0 AND ${days} <> 0`, 'step should either have the Y-M part or the DAY part']]
      : e === 'DATETIME'
        ? [[`${months} <> 0 AND (${days} <> 0 OR ${micros} <> 0)`, 'step should either have the Y-M part or the D (H:M:S[.F]) part']]
        : [[`${months} <> 0`, 'step with non-zero MONTH or YEAR part is not supported']];
  checks.push([`${months} < 0 OR ${days} < 0 OR ${micros} < 0`, 'step cannot be negative'], [`${months} = 0 AND ${days} = 0 AND ${micros} = 0`, 'step cannot be 0']);
  // BigQuery takes a step of one date or time part only (range-functions#generate_range_array)
  if (e !== 'DATE') checks.push([`${days} <> 0 AND ${micros} <> 0`, 'A GENERATE_RANGE_ARRAY step with both a DAY and a time part is not supported by the embedded BigQuery']);
  // the page lists the parts down to SECOND; a sub-second step may be refused there
  if (e !== 'DATE') checks.push([`${micros} % 1000000 <> 0`, 'A GENERATE_RANGE_ARRAY step of a fraction of a second is not supported by the embedded BigQuery']);
  const [s, end] = [startOf('r'), endOf('r')];
  const span = e === 'DATE' ? `(${end} - ${s}) // ${days}` : `(epoch_us(${end}) - epoch_us(${s})) // (${days} * 86400000000 + ${micros})`;
  const n = `(CASE WHEN ${months} > 0 THEN datediff('month', ${s}, ${end}) // ${months} ELSE ${span} END + 2)`;
  const subranges = `list_transform(list_filter(range(0, ${n}), k -> ${stepFrom(e, 'k')} < ${end} AND (${stepFrom(e, 'k + 1')} <= ${end} OR last)), k -> ${rangePack(stepFrom(e, 'k'), `least(${stepFrom(e, 'k + 1')}, ${end})`)})`;
  return `CASE WHEN t <> '${rangePrintedType(e)}' THEN error('GENERATE_RANGE_ARRAY of a RANGE whose type the engine cannot see here is not supported by the embedded BigQuery')
    WHEN r IS NULL OR step IS NULL OR last IS NULL THEN NULL
    WHEN isinf(${s}) OR isinf(${end}) THEN error('input RANGE cannot have UNBOUNDED endpoints')
    ${checks.map(([c, m]) => `WHEN ${c} THEN ${fail(m)}`).join(' ')}
    WHEN ${n} > 1000000 THEN error('GENERATE_RANGE_ARRAY of more than 1000000 subranges is not supported by the embedded BigQuery')
    ELSE ${subranges} END`;
}

def('RANGE', (a) => {
  argCount(a, 'RANGE', 2);
  const [lo, hi] = a.all() as [string, string];
  const both = `[${lo}, ${hi}]`;
  const types = `typeof(${both}[1]) IN (${RANGE_ELEMENTS.map((e) => `'${ELEMENT_DUCK[e].printed}'`).join(', ')}) AND (typeof(${lo}) = typeof(${hi}) OR typeof(${lo}) = ${NULL_TYPE} OR typeof(${hi}) = ${NULL_TYPE})`;
  // a STRING literal BigQuery may coerce to the other bound's type
  const text = `typeof(${lo}) = 'VARCHAR' OR typeof(${hi}) = 'VARCHAR'`;
  return `CASE WHEN ${text} THEN error('RANGE of a STRING is not supported by the embedded BigQuery') WHEN NOT (${types}) THEN ${signatureError('RANGE', [lo, hi])} ELSE bq_range_of(${both}[1], ${both}[2], '') END`;
});

for (const [name, side] of [['RANGE_START', startOf], ['RANGE_END', endOf]] as const) {
  def(name, (a) => {
    argCount(a, name, 1);
    const r = a.sql(0);
    return `CASE WHEN NOT ${isRange(r)} THEN ${signatureError(name, [r])} ELSE bq_range_bound(${side(r)}) END`;
  });
}

def('RANGE_OVERLAPS', (a) => {
  argCount(a, 'RANGE_OVERLAPS', 2);
  const [x, y] = a.all() as [string, string];
  return `CASE WHEN NOT ${sameRanges(x, y)} THEN ${signatureError('RANGE_OVERLAPS', [x, y])} ELSE bq_range_overlaps(${x}, ${y}) END`;
});

def('RANGE_INTERSECT', (a) => {
  argCount(a, 'RANGE_INTERSECT', 2);
  const [x, y] = a.all() as [string, string];
  return `CASE WHEN NOT ${sameRanges(x, y)} THEN ${signatureError('RANGE_INTERSECT', [x, y])} ELSE bq_range_intersect(${x}, ${y}) END`;
});

def('RANGE_CONTAINS', (a) => {
  argCount(a, 'RANGE_CONTAINS', 2);
  const [r, v] = a.all() as [string, string];
  const forms = RANGE_ELEMENTS.map((e) => {
    const [range, point] = [rangePrintedType(e), ELEMENT_DUCK[e].printed];
    const inner = viaText(v, rangeDuckType(e));
    const value = viaText(v, ELEMENT_DUCK[e].ddl);
    return `WHEN typeof(${r}) = '${range}' AND typeof(${v}) = '${range}' THEN ${startOf(r)} <= ${startOf(inner)} AND ${endOf(inner)} <= ${endOf(r)}
      WHEN typeof(${r}) = '${range}' AND typeof(${v}) IN ('${point}', ${NULL_TYPE}) THEN ${startOf(r)} <= ${value} AND ${value} < ${endOf(r)}`;
  });
  return `CASE ${forms.join(' ')} WHEN typeof(${v}) = 'VARCHAR' THEN error('RANGE_CONTAINS of a STRING is not supported by the embedded BigQuery') ELSE ${signatureError('RANGE_CONTAINS', [r, v])} END`;
});

/** The form of bq_generate_range_array for the range's type as DuckDB prints it (a correlated subquery binds the twin: typed-macros.ts typedCall). */
const rangeForm: OverloadChoice = ([r]) => RANGE_ELEMENTS.find((e) => rangePrintedType(e) === r)?.toLowerCase();

def('GENERATE_RANGE_ARRAY', (a, t, raw) => {
  argCount(a, 'GENERATE_RANGE_ARRAY', 2, 3);
  const [r, step, last = 'true'] = a.all() as [string, string, string?];
  const args = [r, `CAST(${step} AS INTERVAL)`, `CAST(${last} AS BOOLEAN)`, `typeof(${r})`];
  return typedCall(t.env?.arrayPaths, callKey(raw, 'bq_generate_range_array', args), 'bq_generate_range_array', args, [0], rangeForm);
});

def('RANGE_SESSIONIZE', () => {
  throw unsupported('RANGE_SESSIONIZE');
});

/**
 * x unchanged, but an error where it is or holds a RANGE: for the functions that take any type and would
 * otherwise print the engine's struct (JSON_OBJECT, JSON_ARRAY, STRING, CONCAT), whose answers for a RANGE
 * the embedded BigQuery does not know.
 */
export function noRangeSql(x: string, fn: string): string {
  return `CASE WHEN typeof(${x}) LIKE '%"${RANGE_START}"%' THEN error('${fn} of a RANGE value is not supported by the embedded BigQuery') ELSE ${x} END`;
}

/** x (as SQL) cast to STRING when it is a RANGE: `[start, end)`, UNBOUNDED for a missing bound; undefined type forms bind through x's text. */
export function rangeToStringSql(x: string, otherwise: string): string {
  const forms = RANGE_ELEMENTS.map((e) => `WHEN '${rangePrintedType(e)}' THEN bq_range_text(${viaText(x, rangeDuckType(e))})`);
  return `CASE typeof(${x}) ${forms.join(' ')} ELSE ${otherwise} END`;
}

/** A bound's text read as the element type, as CAST(STRING AS T) reads it (`safe`: NULL where it fails); NULL when unbounded. */
function boundFromText(e: RangeElement, text: string, safe: boolean): string {
  const value = e === 'DATE' ? (safe ? `TRY_CAST(${text} AS DATE)` : `bq_date(${text})`) : `${safe ? 'TRY_CAST' : 'CAST'}(${text} AS ${ELEMENT_DUCK[e].ddl})`;
  return `CASE WHEN upper(${text}) IN ('UNBOUNDED', 'NULL') THEN NULL ELSE ${rangeChecked(e, value, safe)} END`;
}

/**
 * CAST(s AS RANGE<e>) of a STRING s (public/cast.cc: ParseRangeBoundaries, strict); `safe`: SAFE_CAST,
 * NULL for a malformed text, a bound that does not parse or a start not before the end.
 */
export function rangeFromStringSql(s: string, e: RangeElement, safe: boolean): string {
  const pattern = `'^\\[([^,]*), ([^,]*)\\)$'`;
  const part = (k: number): string => `regexp_extract(${s}, ${pattern}, ${k})`;
  const trimmed = (k: number): string => `regexp_full_match(${part(k)}, '\\S(.*\\S)?')`;
  const [start, end] = [boundFromText(e, part(1), safe), boundFromText(e, part(2), safe)];
  const malformed = `NOT (regexp_full_match(${s}, ${pattern}) AND ${trimmed(1)} AND ${trimmed(2)})`;
  const fail = safe ? 'NULL' : `error('Failed to parse range: range must be formatted exactly as [START, END) (found ' || ${s} || ')')`;
  // a bound SAFE_CAST could not read is NULL, which must not become an unbounded end
  const unread = (k: number, b: string): string => `(upper(${part(k)}) NOT IN ('UNBOUNDED', 'NULL') AND (${b}) IS NULL)`;
  const unreadable = safe ? `WHEN ${unread(1, start)} OR ${unread(2, end)} THEN NULL ` : '';
  return `CASE WHEN ${s} IS NULL THEN NULL WHEN ${malformed} THEN ${fail} ${unreadable}ELSE bq_range_of${safe ? '_safe' : ''}(${start}, ${end}, '') END`;
}
