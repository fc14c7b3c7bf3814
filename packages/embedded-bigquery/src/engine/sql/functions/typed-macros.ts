/**
 * Macros whose result type is BigQuery's for each argument type. DuckDB picks a typed overload by
 * the arguments' static types, so the result column's type (and the schema the REST API reports)
 * follows BigQuery's signature table: NUMERIC / NUMERIC is NUMERIC, SIGN(FLOAT64) is FLOAT64.
 * An argument type without an overload fails at bind time, which errors.ts reports as BigQuery's
 * "No matching signature". A DECIMAL overload also receives BIGNUMERIC (DuckDB cannot tell the two
 * apart by overload), so callers that care pass typeof(x) and the overload refuses scale 19 loudly.
 */
import { probeSql, type ArrayPathTypes } from '../array-paths.js';
import { quoteString } from '../../type-mapping.js';
import { bindOnce, holdsTypedCall } from './bind-once.js';
import type { Token } from '../tokenizer.js';
import type { TranslationContext } from '../translation-context.js';

/**
 * DuckDB resolves a typed overload before it binds aggregates and window functions: an argument
 * holding one is taken as the first overload's type and cast to it (AVG(x) silently made INT64).
 * Typed macros are used only on arguments without them; the others take the untyped forms.
 */
export function hasAggregate(sql: string): boolean {
  return /\b(sum|avg|bq_avg|count|min|max|any_value|arg_max|arg_min|string_agg|list|array_agg|bool_and|bool_or|bit_and|bit_or|bit_xor|count_if|stddev\w*|var_\w*|variance|corr|covar_\w*|quantile_\w*|approx_\w*|first|last|mode|median|product|flatten)\s*\(|\bOVER\b/i.test(sql);
}

/** One overload of a typed macro: the suffix of its single-overload twin, its parameters and its body. */
export interface MacroOverload {
  suffix: string;
  params: string;
  body: string;
}

/**
 * The overloaded macro `name` and, from the same table, one single-overload macro `name__suffix` per
 * overload. DuckDB binds a macro with several typed overloads without the type of a column of an
 * enclosing query (a correlated subquery, a lateral UNNEST) and refuses it ("has multiple overloads
 * that match"); the query layer then learns the arguments' types by probes (query/overload-probe.ts)
 * and typedCall names the twin, which binds there (one overload casts its argument).
 */
export function overloadedMacros(name: string, overloads: MacroOverload[]): string[] {
  const forms = overloads.map((o) => `(${o.params}) AS ${o.body}`).join(', ');
  return [`CREATE OR REPLACE TEMP MACRO ${name}${forms}`, ...overloads.map((o) => `CREATE OR REPLACE TEMP MACRO ${name}__${o.suffix}(${o.params}) AS ${o.body}`)];
}

/** What the query layer learned about a statement's typed-macro calls (by call-site key). */
export interface OverloadSites {
  /** The DuckDB types of each site's typed arguments, as DuckDB prints them. */
  readonly types: Map<string, string[]>;
  /** Each site's probe number, while the statement is probed. */
  readonly ids: Map<string, number>;
  /** Unlearned sites are written as probes (overload-probe.ts sets this around a bind). */
  probing: boolean;
  /** Sites whose types were learned beside another's probe (overload-groups.ts): checked where they run. */
  readonly grouped: Set<string>;
}

const SITES = new WeakMap<ArrayPathTypes, OverloadSites>();

/** The overload sites of the session whose path types are `paths` (one per session, kept beside them). */
export function overloadSites(paths: ArrayPathTypes): OverloadSites {
  let o = SITES.get(paths);
  if (!o) {
    o = { types: new Map(), ids: new Map(), probing: false, grouped: new Set() };
    SITES.set(paths, o);
  }
  return o;
}

/** Probe numbers of overload sites, apart from the source offsets array-path probes use. */
export const OVERLOAD_PROBE_BASE = 900000000;

/** The overload (its suffix) DuckDB would pick for these argument types, or undefined: no single one. */
export type OverloadChoice = (types: string[]) => string | undefined;

const NULL_TYPE = '"NULL"';
const NUMBER_KINDS: Record<string, string> = { TINYINT: 'int', SMALLINT: 'int', INTEGER: 'int', BIGINT: 'int', HUGEINT: 'huge', FLOAT: 'double', DOUBLE: 'double' };

/** INT64, HUGEINT, FLOAT64 or NUMERIC/BIGNUMERIC forms, as DuckDB ranks them: FLOAT64 wins, then NUMERIC; other types: none. */
export function numericChoice(forms: readonly string[]): OverloadChoice {
  return (types) => {
    const kinds = types.map((t) => (t === NULL_TYPE ? 'null' : t.startsWith('DECIMAL(') ? 'decimal' : NUMBER_KINDS[t]));
    if (kinds.some((k) => k === undefined)) return forms.includes('any') ? 'any' : undefined;
    const kind = kinds.includes('double') ? 'double' : kinds.includes('decimal') ? 'decimal' : kinds.includes('huge') ? 'huge' : 'int';
    return forms.includes(kind) ? kind : undefined;
  };
}

/** One form per DuckDB type (VARCHAR/BLOB, JSON/VARCHAR): every typed argument of that type (or NULL). */
export function sameTypeChoice(byType: Record<string, string>): OverloadChoice {
  return (types) => {
    const typed = types.filter((t) => t !== NULL_TYPE);
    const first = typed[0] ?? Object.keys(byType)[0]!;
    return typed.every((t) => t === first) ? byType[first] : undefined;
  };
}

/**
 * The call `name(args)` of an overloaded macro at the call site `key` (`typed`: the indexes of the
 * arguments whose type picks the overload). As written unless the query layer learned the site's
 * types; then the single-overload twin of the overload `choose` picks. While probing, an unlearned
 * site is a probe naming its typed arguments' types. `check`: each typed argument is checked
 * against its learned type when the call runs (a key that two sites of other types might share).
 */
export function typedCall(paths: ArrayPathTypes | undefined, key: string, name: string, args: string[], typed: number[], choose: OverloadChoice, check = false): string {
  const plain = `${name}(${args.join(', ')})`;
  if (!paths) return plain;
  const sites = overloadSites(paths);
  const types = sites.types.get(key);
  if (!types) {
    if (!sites.probing) return plain;
    let id = sites.ids.get(key);
    if (id === undefined) {
      id = OVERLOAD_PROBE_BASE + sites.ids.size;
      sites.ids.set(key, id);
    }
    // row(...), not a struct literal: DuckDB loses the names of a struct_pack holding a macro call in a lateral subquery
    return probeSql(id, `row(${typed.map((k) => args[k]).join(', ')})`);
  }
  const suffix = types.length === typed.length ? choose(types) : undefined;
  if (suffix === undefined) return plain;
  const checked = args.map((x, k) => {
    const type = types[typed.indexOf(k)];
    if (!(check || sites.grouped.has(key)) || type === undefined || type === NULL_TYPE) return x;
    const refusal = quoteString(`An expression of types ${types.join(', ')} elsewhere in the statement has other types here; not supported by the embedded BigQuery bq_raise`);
    return `CASE WHEN typeof(${x}) = ${quoteString(type)} THEN ${x} ELSE CAST(${refusal} AS ${type}) END`;
  });
  return `${name}__${suffix}(${checked.join(', ')})`;
}

/** The key of a function's call site: its first argument's source offset, the macro and the arguments' SQL. */
export const callKey = (raw: Token[], macro: string, args: string[]): string => `${raw[0]?.start ?? -1}:${macro}:${args.join('\u0000')}`;

/** The key of an operator's call site: its operands' SQL (operators carry no source offset). */
const operatorKey = (op: string, left: string, right: string): string => `op:${op}:${left}\u0000${right}`;

const ARITHMETIC = numericChoice(['int', 'huge', 'double', 'decimal']);

/** `left / right` with BigQuery's result type and division-by-zero error. */
export function divideSql(left: string, right: string, paths?: ArrayPathTypes): string {
  if (hasAggregate(left) || hasAggregate(right)) return `bq_divide_any(${left}, ${right})`;
  return bindOnce([left, right], ([l, r]) => typedCall(paths, operatorKey('/', left, right), 'bq_divide', [l!, r!, `typeof(${l}) || typeof(${r})`], [0, 1], ARITHMETIC, true), holdsTypedCall);
}

/** `left * right` with BigQuery's result for NUMERIC operands (rounded to 9 digits at each step). */
export function timesSql(left: string, right: string, paths?: ArrayPathTypes): string {
  if (hasAggregate(left) || hasAggregate(right)) return `bq_times_any(${left}, ${right})`;
  return bindOnce([left, right], ([l, r]) => typedCall(paths, operatorKey('*', left, right), 'bq_times', [l!, r!, `typeof(${l}) || typeof(${r})`], [0, 1], numericChoice(['int', 'huge', 'double', 'decimal', 'any']), true), holdsTypedCall);
}

/** SIGN(x) (the call whose argument tokens are `raw`): INT64, FLOAT64 or NUMERIC as x is. */
export function signSql(t: TranslationContext, raw: Token[], x: string): string {
  return bindOnce([x], ([v]) => typedCall(t.env?.arrayPaths, callKey(raw, 'bq_sign', [x]), 'bq_sign', [v!, `typeof(${v})`], [0], numericChoice(['int', 'double', 'decimal'])), holdsTypedCall);
}

/** bq_json_query or bq_json_query_array of j at path p: JSON for a JSON j, STRING for a STRING. */
export function jsonQuerySql(t: TranslationContext, raw: Token[], macro: string, j: string, p: string): string {
  return typedCall(t.env?.arrayPaths, callKey(raw, macro, [j, p]), macro, [j, p], [0], sameTypeChoice({ JSON: 'json', VARCHAR: 'varchar' }));
}

const DATE_TIMES: Record<string, string> = { DATE: 'date', 'TIMESTAMP WITH TIME ZONE': 'timestamptz', TIMESTAMP: 'timestamp' };
const INTEGERS = new Set(['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT']);

/** The form of bq_minus (operators.ts) DuckDB takes for operands of these types; none for a date/time against another type (or NULL). */
const minusChoice: OverloadChoice = ([a, b]) => {
  const [da, db] = [DATE_TIMES[a!], DATE_TIMES[b!]];
  if (da && a === b) return da;
  if (a === 'DATE' && INTEGERS.has(b!)) return 'date_int';
  return da || db ? undefined : 'any';
};

/** Binary `left - right` as `macro` (bq_minus or bq_minus_once): BigQuery's INTERVAL for two dates or timestamps. */
export function minusSql(macro: string, left: string, right: string, paths?: ArrayPathTypes): string {
  // bq_minus checks the form DuckDB picked against the operands' types (bq_minus_once, for a scalar subquery operand, does not repeat it)
  return bindOnce([left, right], ([l, r]) => {
    const args = macro === 'bq_minus' ? [l!, r!, `typeof(${l})`, `typeof(${r})`] : [l!, r!];
    return typedCall(paths, operatorKey('-', left, right), macro, args, [0, 1], minusChoice, true);
  }, holdsTypedCall);
}

/** GENERATE_ARRAY(a, b, s) (the call whose argument tokens are `raw`): INT64, FLOAT64 or NUMERIC elements, the arguments' supertype. */
export function generateArraySql(t: TranslationContext, raw: Token[], a: string, b: string, s: string): string {
  const args = [a, b, s, `typeof(${a}) || typeof(${b}) || typeof(${s})`];
  return typedCall(t.env?.arrayPaths, callKey(raw, 'bq_generate_array', args), 'bq_generate_array', args, [0, 1, 2], numericChoice(['int', 'double', 'decimal']));
}

/** The text of the bind error of an overload DuckDB picked for other argument types (bq_bound_as). */
export const WRONG_OVERLOAD = 'bq_wrong_overload';

/** NUMERIC scale: values are exact decimals with 9 fractional digits. */
const SCALE = '1000000000';

export const BIGNUMERIC_TYPE = "LIKE 'DECIMAL(%,19)'";

export const TYPED_MACROS = [
  // %g prints a double as absl::StrCat does (six significant digits); a FLOAT64 result that is not finite
  // from finite operands raises ZetaSQL's 'double overflow' (through a failing CAST, see bq_sum_checked)
  `CREATE OR REPLACE TEMP MACRO bq_g(x) AS printf('%g', CAST(x AS DOUBLE))`,
  `CREATE OR REPLACE TEMP MACRO bq_float_overflow(a, b, r, op) AS CASE WHEN isfinite(a) AND isfinite(b) AND NOT isfinite(r) THEN CAST('double overflow: ' || bq_g(a) || op || bq_g(b) || ' bq_raise' AS INTEGER) ELSE r END`,
  // The overload DuckDB chose, checked against the operands' real types (t): over a column of an
  // enclosing query (a correlated subquery, a lateral UNNEST) DuckDB binds typed macros without the
  // column's type and may pick the INT64 form for a FLOAT64 (2.5 / 2 gave 1). That fails loudly; t folds
  // to a constant elsewhere, so the check costs nothing there. A NULL operand makes any form's result NULL.
  `CREATE OR REPLACE TEMP MACRO bq_wrong_form(t, family) AS t NOT LIKE '%"NULL"%' AND (
     (family = 'int' AND (t LIKE '%DOUBLE%' OR t LIKE '%FLOAT%' OR t LIKE '%DECIMAL%' OR t LIKE '%HUGEINT%'))
     OR (family = 'huge' AND (t LIKE '%DOUBLE%' OR t LIKE '%FLOAT%' OR t LIKE '%DECIMAL%'))
     OR (family = 'double' AND t NOT LIKE '%DOUBLE%' AND t NOT LIKE '%FLOAT%')
     OR (family = 'decimal' AND (t LIKE '%DOUBLE%' OR t LIKE '%FLOAT%' OR t NOT LIKE '%DECIMAL%')))`,
  // A wrong overload fails while the statement binds, before it runs: a JSON path DuckDB parses there
  // when it folds to a constant (the types are constants) and refuses with a binder error, which leaves
  // the transaction open; the query layer then learns the operands' types by probes (overload-probe.ts)
  // and names the right form's twin. A right one folds to TRUE: no cost
  `CREATE OR REPLACE TEMP MACRO bq_bound_as(wrong) AS json_exists('{}', CASE WHEN wrong THEN '$[${WRONG_OVERLOAD}' ELSE '$' END)`,
  `CREATE OR REPLACE TEMP MACRO bq_chosen(t, family, r) AS CASE WHEN NOT bq_bound_as(bq_wrong_form(t, family)) THEN NULL WHEN bq_wrong_form(t, family)
   THEN CAST('Arithmetic on a value of an enclosing query (a correlated subquery or UNNEST) of these types: ' || t || ' is not supported by the embedded BigQuery bq_raise' AS INTEGER) ELSE r END`,
  // a NUMERIC as BigQuery prints it in messages (no trailing zeros)
  `CREATE OR REPLACE TEMP MACRO bq_numeric_text(x) AS regexp_replace(regexp_replace(CAST(x AS VARCHAR), '(\\.\\d*?)0+$', '\\1'), '\\.$', '')`,
  // the unscaled integer of a NUMERIC (value × 10^9), split so no step exceeds DECIMAL(38,9)
  `CREATE OR REPLACE TEMP MACRO bq_unscaled(x DECIMAL(38,9)) AS CAST(trunc(x) AS HUGEINT) * ${SCALE} + CAST((x - trunc(x)) * ${SCALE} AS HUGEINT)`,
  // ua / ub of two unscaled NUMERICs, rounded half away from zero to 9 digits as BigQuery rounds:
  // whole part, then the remainder's 9 digits rounded by (2r·10^9 + b) // 2b. Callers check ub = 0
  // first (no error() here: SAFE. wraps calls in TRY, which refuses volatile functions).
  `CREATE OR REPLACE TEMP MACRO bq_numeric_quotient(ua, ub) AS CAST(CAST(sign(ua) * sign(ub) AS HUGEINT) * ((abs(ua) // abs(ub)) * ${SCALE} + (2 * (abs(ua) % abs(ub)) * ${SCALE} + abs(ub)) // (2 * abs(ub))) AS DECIMAL(38,0)) * CAST(0.000000001 AS DECIMAL(38,9))`,
  // the `/` operator (t: the operands' DuckDB types): FLOAT64 if either side is FLOAT64 or both are
  // INT64, else NUMERIC. Division by zero fails as in BigQuery (DuckDB gives NULL or Infinity), and so
  // does a FLOAT64 quotient or product of finite operands that is not finite (ZetaSQL's arithmetics.h).
  ...overloadedMacros('bq_divide', [
    { suffix: 'int', params: 'a BIGINT, b BIGINT, t', body: `bq_chosen(t, 'int', CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE CAST(a AS DOUBLE) / b END)` },
    { suffix: 'huge', params: 'a HUGEINT, b HUGEINT, t', body: `bq_chosen(t, 'huge', CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE CAST(a AS DOUBLE) / b END)` },
    { suffix: 'double', params: 'a DOUBLE, b DOUBLE, t', body: `bq_chosen(t, 'double', CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE bq_float_overflow(a, b, a / b, ' / ') END)` },
    { suffix: 'decimal', params: 'a DECIMAL(38,9), b DECIMAL(38,9), t', body: `bq_chosen(t, 'decimal', CASE WHEN b = 0 THEN error('division by zero: ' || bq_numeric_text(a) || ' / ' || bq_numeric_text(b)) WHEN t ${BIGNUMERIC_TYPE} THEN error('Division of BIGNUMERIC values is not supported by the embedded BigQuery') ELSE bq_numeric_quotient(bq_unscaled(a), bq_unscaled(b)) END)` },
  ]),
  // `/` over aggregates, whose types the typed form cannot see: FLOAT64 arithmetic, NUMERIC refused loudly
  `CREATE OR REPLACE TEMP MACRO bq_divide_any(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) WHEN typeof(a) LIKE 'DECIMAL%' OR typeof(b) LIKE 'DECIMAL%' THEN error('Division of NUMERIC aggregate values is not supported by the embedded BigQuery') ELSE a / b END`,
  // NUMERIC × NUMERIC (operators#arithmetic_operators): the exact product rounded half away from zero
  // to 9 digits, at every step. With a = ta + fa and b = tb + fb (whole and fractional parts, each of its
  // number's sign), a·b = ta·tb + ta·fb + fa·tb + fa·fb, every term of the product's sign, so rounding
  // the only term finer than 9 digits (fa·fb, below 1) rounds the sum; no term leaves DECIMAL(38,9) once
  // the product is known to be below 10^29 in FLOAT64, and the exact whole part decides the overflow
  `CREATE OR REPLACE TEMP MACRO bq_numeric_rest(a, b) AS CAST(trunc(a) AS DECIMAL(38,0)) * (b - trunc(b)) + (a - trunc(a)) * CAST(trunc(b) AS DECIMAL(38,0)) + CAST((a - trunc(a)) * (b - trunc(b)) AS DECIMAL(38,9))`,
  `CREATE OR REPLACE TEMP MACRO bq_numeric_times(a, b) AS CASE WHEN abs(CAST(trunc(a) AS HUGEINT) * CAST(trunc(b) AS HUGEINT) + CAST(trunc(bq_numeric_rest(a, b)) AS HUGEINT)) >= CAST('${'1' + '0'.repeat(29)}' AS HUGEINT) THEN error('numeric overflow: ' || bq_numeric_text(a) || ' * ' || bq_numeric_text(b)) ELSE CAST(CAST(trunc(a) AS DECIMAL(38,0)) * CAST(trunc(b) AS DECIMAL(38,0)) AS DECIMAL(38,9)) + bq_numeric_rest(a, b) END`,
  // the `*` operator (t: the operands' DuckDB types): NUMERIC × NUMERIC as above, BIGNUMERIC refused
  // loudly (the engine keeps 19 of its 38 digits), any other pair DuckDB's own product (INT64 overflow
  // fails; NUMERIC × INT64 is exact at scale 9; FLOAT64 wins)
  ...overloadedMacros('bq_times', [
    { suffix: 'int', params: 'a BIGINT, b BIGINT, t', body: `bq_chosen(t, 'int', a * b)` },
    { suffix: 'huge', params: 'a HUGEINT, b HUGEINT, t', body: `bq_chosen(t, 'huge', a * b)` },
    { suffix: 'double', params: 'a DOUBLE, b DOUBLE, t', body: `bq_chosen(t, 'double', bq_float_overflow(a, b, a * b, ' * '))` },
    {
      suffix: 'decimal', params: 'a DECIMAL(38,9), b DECIMAL(38,9), t',
      body: `bq_chosen(t, 'decimal', CASE WHEN t LIKE '%,19)%' THEN error('Multiplication of BIGNUMERIC values is not supported by the embedded BigQuery') WHEN abs(CAST(a AS DOUBLE) * CAST(b AS DOUBLE)) >= 1.0000001e29 THEN error('numeric overflow: ' || bq_numeric_text(a) || ' * ' || bq_numeric_text(b)) ELSE bq_numeric_times(a, b) END)`,
    },
    { suffix: 'any', params: 'a, b, t', body: 'a * b' },
  ]),
  // `*` over aggregates and window functions, whose types a typed macro cannot see: NUMERIC × NUMERIC refused loudly
  `CREATE OR REPLACE TEMP MACRO bq_times_any(a, b) AS CASE WHEN typeof(a) LIKE 'DECIMAL%' AND typeof(b) LIKE 'DECIMAL%' THEN error('Multiplication of two NUMERIC values computed by aggregate or window functions is not supported by the embedded BigQuery') ELSE a * b END`,
  // AVG: INT64 and FLOAT64 average as FLOAT64, NUMERIC exactly as NUMERIC (the caller refuses BIGNUMERIC)
  `CREATE OR REPLACE TEMP MACRO bq_avg(x DOUBLE) AS avg(x), (x DECIMAL(38,9)) AS CASE WHEN count(x) = 0 THEN NULL ELSE bq_numeric_quotient(bq_unscaled(sum(x)), CAST(count(x) AS HUGEINT) * ${SCALE}) END`,
  // the argument of AVG(DISTINCT x) and AVG(x) OVER (...), which stay DuckDB's avg: right for INT64/FLOAT64 only
  `CREATE OR REPLACE TEMP MACRO bq_avg_arg(x DOUBLE) AS x, (x DECIMAL(38,9)) AS CAST(error('AVG of NUMERIC values with DISTINCT or OVER is not supported by the embedded BigQuery') AS DOUBLE)`,
  `CREATE OR REPLACE TEMP MACRO bq_avg_arg_any(x) AS CASE WHEN typeof(x) LIKE 'DECIMAL%' THEN error('AVG of NUMERIC aggregate values is not supported by the embedded BigQuery') ELSE x END`,
  // SIGN keeps its argument's type; SIGN(NaN) is NaN
  ...overloadedMacros('bq_sign', [
    { suffix: 'int', params: 'x BIGINT, t', body: 'CAST(sign(x) AS BIGINT)' },
    { suffix: 'double', params: 'x DOUBLE, t', body: 'CASE WHEN isnan(x) THEN x ELSE CAST(sign(x) AS DOUBLE) END' },
    { suffix: 'decimal', params: 'x DECIMAL(38,9), t', body: `CASE WHEN t ${BIGNUMERIC_TYPE} THEN error('SIGN of BIGNUMERIC values is not supported by the embedded BigQuery') ELSE CAST(sign(x) AS DECIMAL(38,9)) END` },
  ]),
  // GENERATE_ARRAY (ZetaSQL's generate_array.h): the common supertype of the three arguments; NULL for a NULL
  // argument; errors for a zero step, NaN (FLOAT64) and an infinite step (an infinite bound fails loudly); an empty
  // array when the step leads away from the end. FLOAT64 elements are start + k * step (never accumulated),
  // NUMERIC ones exact; the elements past the end are filtered out of a count estimated one too many. The
  // overload DuckDB chose is checked on the step (bq_chosen's refusal is an INTEGER, no list).
  ...overloadedMacros('bq_generate_array', [
    {
      suffix: 'int', params: 'a BIGINT, b BIGINT, s BIGINT, t',
      body: `CASE WHEN a IS NULL OR b IS NULL OR bq_chosen(t, 'int', s) IS NULL THEN NULL WHEN s = 0 THEN error('Sequence step cannot be 0.') ELSE generate_series(a, b, s) END`,
    },
    {
      suffix: 'double', params: 'a DOUBLE, b DOUBLE, s DOUBLE, t',
      body: `CASE WHEN a IS NULL OR b IS NULL OR bq_chosen(t, 'double', s) IS NULL THEN NULL WHEN s = 0 THEN error('Sequence step cannot be 0.')
        WHEN isnan(a) OR isnan(b) OR isnan(s) THEN error('Sequence start, end, and step cannot be NaN.') WHEN isinf(s) THEN error('Sequence step cannot be +/-inf.')
        WHEN (a < b AND s < 0) OR (a > b AND s > 0) THEN CAST([] AS DOUBLE[]) WHEN a = b THEN [a]
        ELSE list_filter(list_transform(range(0, CAST(floor((b - a) / s) + 2 AS BIGINT)), k -> a + k * s), v -> CASE WHEN a < b THEN v <= b ELSE v >= b END) END`,
    },
    {
      suffix: 'decimal', params: 'a DECIMAL(38,9), b DECIMAL(38,9), s DECIMAL(38,9), t',
      body: `CASE WHEN a IS NULL OR b IS NULL OR bq_chosen(t, 'decimal', s) IS NULL THEN NULL WHEN t LIKE '%,19)%' THEN error('GENERATE_ARRAY of BIGNUMERIC values is not supported by the embedded BigQuery')
        WHEN s = 0 THEN error('Sequence step cannot be 0.') WHEN (a < b AND s < 0) OR (a > b AND s > 0) THEN CAST([] AS DECIMAL(38,9)[]) WHEN a = b THEN [a]
        ELSE list_filter(list_transform(range(0, CAST(floor(CAST(abs(b - a) AS DOUBLE) / CAST(abs(s) AS DOUBLE)) AS BIGINT) + 2), k -> a + k * s), v -> CASE WHEN a < b THEN v <= b ELSE v >= b END) END`,
    },
  ]),
  // JSON_QUERY/JSON_EXTRACT: a JSON input gives JSON, a STRING input gives STRING (JSON null → SQL NULL)
  ...overloadedMacros('bq_json_query_array', [
    { suffix: 'json', params: 'j JSON, p VARCHAR', body: 'json_extract(j, p)' },
    { suffix: 'varchar', params: 'j VARCHAR, p VARCHAR', body: 'CAST(json_extract(j, p) AS VARCHAR[])' },
  ]),
  ...overloadedMacros('bq_json_query', [
    { suffix: 'json', params: 'j JSON, p VARCHAR', body: 'json_extract(j, p)' },
    { suffix: 'varchar', params: 'j VARCHAR, p VARCHAR', body: "nullif(CAST(json_extract(j, p) AS VARCHAR), 'null')" },
  ]),
];
