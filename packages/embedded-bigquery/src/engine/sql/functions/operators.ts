/**
 * Binary `-` with BigQuery's result types (operators#datetime_subtraction): DATE - DATE and
 * TIMESTAMP - TIMESTAMP are INTERVALs (days; microseconds), where DuckDB gives an integer and a
 * day-normalised interval. `x IN UNNEST(arr)` is rewritten the same way. The translator's output pieces are rewritten after translation, and only
 * where both operands are single pieces whose extent is certain: a neighbouring operator that binds
 * tighter leaves `-` as it is; an operand holding an aggregate or a window function (whose type a typed
 * macro cannot see) takes bq_minus_any, which refuses two date/time values loudly. Binary `*` is
 * rewritten first, the same way, to bq_times (typed-macros.ts): NUMERIC × NUMERIC rounded to 9 digits
 * at each step, as BigQuery computes it, where DuckDB keeps 18.
 */
import { hasAggregate, minusSql, overloadedMacros, timesSql, type MacroOverload } from './typed-macros.js';
import { COERCIBLE, checkCallPiece, checkSimpleCase, checkedCall, listItems } from './signature-checks.js';
import type { ArrayPathTypes } from '../array-paths.js';
import { STRUCT_COMPARE_MACROS, STRUCT_IN_UNSURE, guardStructDistinct, structGuard } from '../struct-compare.js';
import { FLOAT_ORDER_MACROS, floatBetween, floatComparison, floatIn, rewriteOrderBy } from './float-order.js';
import { typedComparison } from './typed-comparison.js';
import { bindOnce } from './bind-once.js';
import { RANGE_ELEMENTS, rangePrintedType } from '../range-type.js';

/** Operators that bind at least as tightly as binary minus, or that make the neighbour unary. */
const TIGHT = new Set(['*', '/', '%', '||', '+', '-', '~', '.', '::', '[', '^', '&', '|', '<<', '>>']);

/** Pieces that are keywords (never operands) or that attach to the neighbouring piece. */
const KEYWORD = /^(select|from|where|and|or|not|case|when|then|else|end|as|on|by|is|in|like|between|exists|over|within|distinct|all|any|some|array|unnest|having|qualify|limit|offset|union|except|intersect|join|using|with|at|collate|ignore|respect|nulls|escape|interval|return|set|values|if|null)$/i;

const OPERAND_END = new Set([',', ')', ']', '=', '<', '>', '<=', '>=', '<>', '!=']);

function isOperand(piece: string | undefined): piece is string {
  return piece !== undefined && piece !== '' && !TIGHT.has(piece) && !OPERAND_END.has(piece) && piece !== '(' && !KEYWORD.test(piece);
}

/**
 * The forms of bq_minus: DATE - DATE and TIMESTAMP - TIMESTAMP as INTERVALs, DATE - INT64, and `other`
 * for any other operands. From one table: the overloaded macro and its single-overload twins, which a
 * `-` over a value of an enclosing query names once its operands' types are learned (typed-macros.ts).
 */
const minusForms = (other: string, checked: boolean): MacroOverload[] =>
  [
    { suffix: 'date', params: 'a DATE, b DATE', body: 'to_days(CAST(a - b AS INTEGER))' },
    { suffix: 'timestamptz', params: 'a TIMESTAMPTZ, b TIMESTAMPTZ', body: 'to_microseconds(epoch_us(a) - epoch_us(b))' },
    { suffix: 'timestamp', params: 'a TIMESTAMP, b TIMESTAMP', body: "CAST(error('Subtraction of DATETIME values is not supported by the embedded BigQuery') AS INTERVAL)" },
    { suffix: 'date_int', params: 'a DATE, b BIGINT', body: 'a - CAST(b AS INTEGER)' },
    { suffix: 'any', params: 'a, b', body: other },
  ].map((o) => (checked ? { ...o, params: `${o.params}, ta, tb`, body: `CASE WHEN NOT bq_bound_as(bq_minus_form(ta, tb) NOT IN ('${o.suffix}', 'null', 'none')) THEN NULL ELSE ${o.body} END` } : o));

/** typeof() of any RANGE, as a LIKE pattern, and each RANGE's name in BigQuery's messages. */
const RANGE_PRINTED = rangePrintedType('DATE').replace(/ DATE/g, ' %');
const RANGE_NAMES = RANGE_ELEMENTS.map((e) => `WHEN t = '${rangePrintedType(e)}' THEN 'RANGE<${e}>'`).join(' ');

export const SUBTRACTION_MACROS = [
  // STRUCT equality BigQuery's way or loud (struct-compare.ts)
  ...STRUCT_COMPARE_MACROS,
  // NaN in ORDER BY keys and comparisons (float-order.ts)
  ...FLOAT_ORDER_MACROS,
  // x IN UNNEST(arr) (operators#in_operators): FALSE for an empty or NULL array, NULL for a NULL x or
  // when only a NULL element could match, else whether an element equals x
  `CREATE OR REPLACE TEMP MACRO bq_in_unnest(v, arr) AS CASE WHEN arr IS NULL OR len(arr) = 0 THEN false WHEN v IS NULL THEN NULL WHEN ${STRUCT_IN_UNSURE} THEN bq_struct_refuse() WHEN list_contains(arr, v) THEN true WHEN list_contains(list_transform(arr, e -> e IS NULL), true) THEN NULL ELSE false END`,
  // the kind of a DuckDB type for BigQuery's comparison signatures: s STRING, n number, b BOOL, d date/time, o other
  `CREATE OR REPLACE TEMP MACRO bq_type_kind(t) AS CASE WHEN t = 'VARCHAR' THEN 's' WHEN t IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT') OR t LIKE 'DECIMAL%' THEN 'n' WHEN t = 'BOOLEAN' THEN 'b' WHEN t IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIME') THEN 'd' ELSE 'o' END`,
  // whether BigQuery compares values of these types (la/lb: that side is a STRING literal or parameter);
  // RANGEs (STRUCT("range.start" T, "range.end" T), range-type.ts) only of the same element type
  `CREATE OR REPLACE TEMP MACRO bq_comparable(ta, tb, la, lb) AS NOT (list_contains(['sn', 'sb', 'ns', 'bs', 'bn', 'nb'], bq_type_kind(ta) || bq_type_kind(tb)) OR (bq_type_kind(ta) = 's' AND bq_type_kind(tb) = 'd' AND NOT la) OR (bq_type_kind(tb) = 's' AND bq_type_kind(ta) = 'd' AND NOT lb) OR (ta LIKE '${RANGE_PRINTED}' AND tb LIKE '${RANGE_PRINTED}' AND ta <> tb))`,
  // a DuckDB type as BigQuery names it in messages
  `CREATE OR REPLACE TEMP MACRO bq_type_name(t) AS CASE WHEN t = 'VARCHAR' THEN 'STRING' WHEN t IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT') THEN 'INT64' WHEN t IN ('DOUBLE', 'FLOAT') THEN 'FLOAT64' WHEN t LIKE 'DECIMAL(%,19)' THEN 'BIGNUMERIC' WHEN t LIKE 'DECIMAL%' THEN 'NUMERIC' WHEN t = 'BOOLEAN' THEN 'BOOL' WHEN t = 'TIMESTAMP' THEN 'DATETIME' WHEN t = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP' ${RANGE_NAMES} ELSE t END`,
  // FLOAT64 + and - (ZetaSQL arithmetics.h): a result that is not finite from finite operands fails with
  // 'double overflow: a + b'. The test folds to false for operands that are not FLOAT64 (typeof is a
  // constant), so INT64 and date arithmetic keep DuckDB's own operator; TRY_CAST binds for any type. The
  // raise sits in a condition (a BOOL), so the CASE keeps the operator's type, whatever it is.
  `CREATE OR REPLACE TEMP MACRO bq_double_overflow(a, b, r) AS (typeof(a) IN ('DOUBLE', 'FLOAT') OR typeof(b) IN ('DOUBLE', 'FLOAT')) AND NOT isfinite(TRY_CAST(r AS DOUBLE)) AND isfinite(TRY_CAST(a AS DOUBLE)) AND isfinite(TRY_CAST(b AS DOUBLE))`,
  `CREATE OR REPLACE TEMP MACRO bq_raise_double_overflow(a, b, op) AS CASE WHEN CAST('double overflow: ' || printf('%g', TRY_CAST(a AS DOUBLE)) || op || printf('%g', TRY_CAST(b AS DOUBLE)) || ' bq_raise' AS INTEGER) = 0 THEN NULL END`,
  `CREATE OR REPLACE TEMP MACRO bq_plus(a, b) AS CASE WHEN bq_double_overflow(a, b, a + b) THEN bq_raise_double_overflow(a, b, ' + ') ELSE a + b END`,
  `CREATE OR REPLACE TEMP MACRO bq_float_minus(a, b) AS CASE WHEN bq_double_overflow(a, b, a - b) THEN bq_raise_double_overflow(a, b, ' - ') ELSE a - b END`,
  // the form of bq_minus operands of types ta and tb take ('none': a date/time against another type); the
  // form DuckDB picked is checked against it while the statement binds (typed-macros.ts bq_bound_as)
  `CREATE OR REPLACE TEMP MACRO bq_minus_form(ta, tb) AS CASE WHEN ta = '"NULL"' OR tb = '"NULL"' THEN 'null'
     WHEN ta = tb AND ta IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') THEN CASE ta WHEN 'DATE' THEN 'date' WHEN 'TIMESTAMP' THEN 'timestamp' ELSE 'timestamptz' END
     WHEN ta = 'DATE' AND tb IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT') THEN 'date_int'
     WHEN ta IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') OR tb IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') THEN 'none' ELSE 'any' END`,
  ...overloadedMacros('bq_minus', minusForms('bq_float_minus(a, b)', true)),
  // the same for a scalar subquery operand, which the FLOAT64 check would repeat: DuckDB's own - otherwise
  ...overloadedMacros('bq_minus_once', minusForms('a - b', false)),
  // the same over aggregates and window functions, whose types a typed macro cannot see: numbers and
  // DATE - INT64 are DuckDB's own, two date/time values fail loudly (DuckDB would give an integer)
  `CREATE OR REPLACE TEMP MACRO bq_minus_any(a, b) AS CASE WHEN typeof(a) IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') AND typeof(b) IN ('DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE') THEN error('Subtraction of two DATE, DATETIME or TIMESTAMP values computed by aggregate or window functions is not supported by the embedded BigQuery') ELSE bq_float_minus(a, b) END`,
];

export function rewriteSubtraction(out: string[], paths?: ArrayPathTypes): string[] {
  const pieces = groupCase(out, paths);
  // `f(...) OVER (...)` / `f(...) OVER w` is one operand
  for (let k = 1; k + 1 < pieces.length; k++) {
    if (/^over$/i.test(pieces[k]!) && /\)$/.test(pieces[k - 1]!)) {
      pieces.splice(k - 1, 3, `${pieces[k - 1]} ${pieces[k]} ${pieces[k + 1]}`);
      k--;
    }
  }
  rewriteMultiplication(pieces, paths);
  rewriteAddition(pieces, paths);
  for (let k = 0; k < pieces.length; k++) pieces[k] = checkCallPiece(pieces[k]!);
  rewriteBetween(pieces);
  rewriteComparison(pieces);
  guardStructDistinct(pieces);
  rewriteOrderBy(pieces);
  return pieces;
}

/** `x [NOT] BETWEEN a AND b` of single pieces: x, a and b need a common type (BigQuery's "No matching signature for operator BETWEEN"). */
function rewriteBetween(pieces: string[]): void {
  for (let i = 1; i + 3 < pieces.length; i++) {
    if (!/^between$/i.test(pieces[i]!) || !/^and$/i.test(pieces[i + 2]!)) continue;
    const negate = /^not$/i.test(pieces[i - 1]!);
    const at = negate ? i - 2 : i - 1;
    const [prev, x, a, b, next] = [pieces[at - 1], pieces[at], pieces[i + 1], pieces[i + 3], pieces[i + 4]];
    // a NULL literal is an operand here (NaN BETWEEN 1 AND NULL is FALSE: float-order.ts)
    const operand = (p: string | undefined): p is string => isOperand(p) || /^null$/i.test(p ?? '');
    if (!operand(x) || !operand(a) || !operand(b)) continue;
    if (prev !== undefined && (TIGHT.has(prev) || COMPARISON.has(prev) || /^(is|like|between|in|not|over)$/i.test(prev))) continue;
    if (next !== undefined && (TIGHT.has(next) || COMPARISON.has(next) || /^(over|at|collate|is|like|between|in)$/i.test(next))) continue;
    // operands holding a subquery once for the signature check and the NaN rule together (bind-once.ts)
    const between = bindOnce([x, a, b], ([bx, ba, bb]) => checkedCall(floatBetween(bx!, ba!, bb!, negate), [bx!, ba!, bb!], 'operator BETWEEN', '(ANY) BETWEEN (ANY) AND (ANY)'));
    pieces.splice(at, i + 4 - at, between);
    i = at;
  }
}

/** Operators that bind less tightly than binary `+`/`-` (so an operand next to them is whole). */
const LOOSER = new Set(['<<', '>>', '&', '^', '|']);
const SUBQUERY = /^[-+]?\(\s*(select|with)\b/i;

/**
 * Binary `a + b` → bq_plus(a, b) and `a - b` → bq_minus(a, b) (bq_minus_any over aggregates), left to
 * right (`a + b - c` is (a + b) - c, as in BigQuery), where each operand is one piece with at most a
 * unary sign; a neighbour binding more tightly (`*`, `||`, `.`, ...) leaves the operator as it is. A
 * scalar subquery operand of `+` is bound once (bind-once.ts) for bq_plus's FLOAT64 overflow test.
 */
function rewriteAddition(pieces: string[], paths?: ArrayPathTypes): void {
  for (let i = 1; i + 1 < pieces.length; i++) {
    const op = pieces[i]!;
    if (op !== '-' && op !== '+') continue;
    if (!isOperand(pieces[i - 1])) continue;
    let start = i - 1;
    // a unary sign on the left operand: `-a + b` is (-a) + b
    if (SIGN.has(pieces[start - 1] ?? '') && !isOperand(pieces[start - 2]) && !/^[)\]]$/.test(pieces[start - 2] ?? '')) start--;
    let end = i + 1;
    if (SIGN.has(pieces[end]!) && isOperand(pieces[end + 1])) end++;
    if (!isOperand(pieces[end])) continue;
    const prev = pieces[start - 1];
    if (prev !== undefined && ((TIGHT.has(prev) && !LOOSER.has(prev)) || /^(over|exists|in|any|some|all|array|unnest|interval)$/i.test(prev))) continue;
    // `a - b + c` and `a - b - c` group as (a - b) first, so the same-precedence neighbour on the right is no obstacle
    const next = pieces[end + 1];
    if (next !== undefined && ((TIGHT.has(next) && next !== '+' && next !== '-' && !LOOSER.has(next)) || /^(over|at|collate|ignore|respect)$/i.test(next))) continue;
    const left = pieces.slice(start, i).join('');
    const right = pieces.slice(i + 1, end + 1).join('');
    const subquery = SUBQUERY.test(left) || SUBQUERY.test(right);
    // a scalar subquery operand is evaluated once for bq_plus's overflow test and the sum (bind-once.ts)
    if (op === '+') pieces.splice(start, end - start + 1, subquery ? bindOnce([left, right], ([l, r]) => `bq_plus(${l}, ${r})`) : `bq_plus(${left}, ${right})`);
    else if (op === '-' && (hasAggregate(left) || hasAggregate(right))) pieces.splice(start, end - start + 1, `bq_minus_any(${left}, ${right})`);
    else if (op === '-') pieces.splice(start, end - start + 1, minusSql(subquery ? 'bq_minus_once' : 'bq_minus', left, right, paths));
    else continue;
    i = start;
  }
}

const SIGN = new Set(['-', '+']);
const UNARY = new Set(['-', '+', '~']);

const COMPARISON = new Set(['=', '<>', '<', '>', '<=', '>=']);

/**
 * `a = b` (and the other comparisons) of single pieces → `CASE WHEN bq_comparable(...) THEN a = b WHEN
 * <failing CAST> THEN NULL END` (the CAST folds at planning, so a refused query fails over no rows too): BigQuery's "No matching signature for operator" for STRING against INT64, FLOAT64,
 * NUMERIC or BOOL, BOOL against a number, and a STRING that is neither a literal nor a parameter against
 * a date/time, where DuckDB casts one side. The types come from typeof(), which DuckDB folds to constants
 * (so the CASE folds away and joins keep their equality conditions). The assignments of a SET list (UPDATE,
 * MERGE's UPDATE SET) are left alone, and so is an operand next to a tighter operator.
 */
function rewriteComparison(pieces: string[]): void {
  rewriteInList(pieces);
  for (let i = 1; i + 1 < pieces.length; i++) {
    const op = pieces[i]!;
    if (!COMPARISON.has(op) || (op === '=' && isAssignment(pieces, i))) continue;
    const [prev2, prev, left, right, next] = [pieces[i - 3], pieces[i - 2], pieces[i - 1], pieces[i + 1], pieces[i + 2]];
    if (!isOperand(left) || !isOperand(right)) continue;
    if (prev !== undefined && (TIGHT.has(prev) || COMPARISON.has(prev) || /^(is|like|between|in|over|exists|any|some|all|array|unnest|escape)$/i.test(prev))) continue;
    if (prev2 !== undefined && /^between$/i.test(prev2)) continue;
    if (next !== undefined && (TIGHT.has(next) || COMPARISON.has(next) || /^(is|like|between|in|not|over|at|collate|escape)$/i.test(next))) continue;
    const name = op === '<>' ? '!=' : op;
    // an operand whose type its text tells: decided here, without DuckDB binding the checks (typed-comparison.ts)
    const typed = typedComparison(left, op, right, name);
    if (typed) {
      pieces.splice(i - 1, 3, typed);
      i--;
      continue;
    }
    // the checked form names each operand six times: one holding a subquery is evaluated once (bind-once.ts)
    const [coerceLeft, coerceRight] = [COERCIBLE.test(left), COERCIBLE.test(right)];
    pieces.splice(i - 1, 3, bindOnce([left, right], ([l, r]) => `CASE WHEN bq_comparable(typeof(${l}), typeof(${r}), ${coerceLeft}, ${coerceRight}) THEN ${structGuard(l!, op, r!, floatComparison(l!, op, r!))} WHEN CAST('No matching signature for operator ${name} for argument types: ' || bq_type_name(typeof(${l})) || ', ' || bq_type_name(typeof(${r})) || '. Supported signature: ANY ${name} ANY bq_raise' AS INTEGER) = 0 THEN NULL END`));
    i--;
  }
}

/** Whether the `=` at i assigns: the nearest clause keyword before it is SET (`SET a = 1, b = 2`). */
function isAssignment(pieces: string[], i: number): boolean {
  for (let k = i - 1; k >= 0; k--) {
    if (/^set$/i.test(pieces[k]!)) return true;
    if (/^(where|when|from|on|then|and|or|select|using|returning)$/i.test(pieces[k]!)) return false;
  }
  return false;
}

/** `x [NOT] IN (a, b, ...)` of a single piece x: the same signature check against each item. */
function rewriteInList(pieces: string[]): void {
  for (let i = 1; i + 1 < pieces.length; i++) {
    if (!/^in$/i.test(pieces[i]!)) continue;
    const negate = /^not$/i.test(pieces[i - 1]!);
    const at = negate ? i - 2 : i - 1;
    const [prev, left, next] = [pieces[at - 1], pieces[at], pieces[i + 2]];
    const items = listItems(pieces[i + 1] ?? '');
    if (!items || !isOperand(left)) continue;
    if (prev !== undefined && (TIGHT.has(prev) || COMPARISON.has(prev) || /^(is|like|between|in|not|over)$/i.test(prev))) continue;
    if (next !== undefined && (TIGHT.has(next) || /^(over|at|collate)$/i.test(next))) continue;
    const coercible = COERCIBLE.test(left);
    const checks = (x: string): string => items.map((item) => `bq_comparable(typeof(${x}), typeof(${item}), ${coercible}, ${COERCIBLE.test(item)})`).join(' AND ');
    const names = items.map((x) => ` || ', ' || bq_type_name(typeof(${x}))`).join('');
    // x holding a subquery once for the checks and the NaN rule together (bind-once.ts)
    const inList = bindOnce([left], ([x]) => `CASE WHEN ${checks(x!)} THEN ${floatIn(x!, items, pieces[i + 1]!, negate)} WHEN CAST('No matching signature for operator IN for argument types: ' || bq_type_name(typeof(${x}))${names} || ' bq_raise' AS INTEGER) = 0 THEN NULL END`);
    pieces.splice(at, i + 2 - at, inList);
    i = at;
  }
}

/** `CASE ... END` as one piece (an operand), its inside rewritten first; an unmatched CASE leaves the pieces as they are. */
function groupCase(out: string[], paths?: ArrayPathTypes): string[] {
  const pieces = [...out];
  for (let k = 0; k < pieces.length; k++) {
    if (!/^case$/i.test(pieces[k]!)) continue;
    let depth = 0;
    let m = k;
    for (; m < pieces.length; m++) {
      if (/^case$/i.test(pieces[m]!)) depth++;
      else if (/^end$/i.test(pieces[m]!) && --depth === 0) break;
    }
    if (m >= pieces.length) return out;
    const inside = rewriteSubtraction(pieces.slice(k + 1, m), paths);
    pieces.splice(k, m - k + 1, checkSimpleCase(`${pieces[k]} ${inside.join(' ')} ${pieces[m]}`, inside));
  }
  return pieces;
}

/**
 * `a * b` → timesSql(a, b), left to right (so `a * b * c` is (a * b) * c, as in BigQuery), where both
 * operands are single pieces, either one with a unary sign; a neighbour binding at least as tightly on
 * the left (`||`, `/`, `.`, a unary operator) or tighter on the right leaves `*` as it is.
 */
function rewriteMultiplication(pieces: string[], paths?: ArrayPathTypes): void {
  for (let i = 1; i + 1 < pieces.length; i++) {
    if (pieces[i] !== '*') continue;
    let start = i - 1;
    let end = i + 1;
    // a unary sign or ~ on the left operand: `-a * b` is (-a) * b
    if (UNARY.has(pieces[start - 1] ?? '') && !isOperand(pieces[start - 2]) && pieces[start - 2] !== ')' && pieces[start - 2] !== ']') start--;
    if (UNARY.has(pieces[end]!) && isOperand(pieces[end + 1])) end++;
    const core = pieces[i - 1];
    const right = pieces[end];
    if (!isOperand(core) || !isOperand(right)) continue;
    // `||` binds as tightly as `*` and groups to the left: `x || a * b` is (x || a) * b
    let concat = false;
    while (pieces[start - 1] === '||' && isOperand(pieces[start - 2])) {
      start -= 2;
      concat = true;
    }
    const prev = pieces[start - 1];
    // a binary + or - on the left binds less tightly than *
    if (prev !== undefined && ((TIGHT.has(prev) && !(SIGN.has(prev) && isOperand(pieces[start - 2]))) || /^(over|exists|in|any|some|all|array|unnest)$/i.test(prev))) continue;
    const next = pieces[end + 1];
    if (next !== undefined && (['.', '::', '['].includes(next) || /^(over|at|collate|ignore|respect)$/i.test(next))) continue;
    const left = concat ? `(${pieces.slice(start, i).join(' ')})` : pieces.slice(start, i).join('');
    pieces.splice(start, end - start + 1, timesSql(left, pieces.slice(i + 1, end + 1).join(''), paths));
    i = start;
  }
}

/**
 * The left operand of a `/` about to be emitted: the trailing product of `out` (`a * b`, `a * -b`, as
 * `*` and `/` group to the left) removed from `out`, its `*` rewritten to bq_times, so a NUMERIC product
 * is rounded to 9 digits before the division as BigQuery computes it (`n * n * 1000 / 1`).
 */
export function divisionLeft(out: string[], paths?: ArrayPathTypes): string {
  let k = out.length - 1;
  for (;;) {
    if (k >= 2 && out[k - 1] === '*') k -= 2;
    else if (k >= 3 && UNARY.has(out[k - 1]!) && out[k - 2] === '*') k -= 3;
    else break;
  }
  const product = out.splice(k);
  rewriteMultiplication(product, paths);
  return product.join(' ');
}

/**
 * `x [NOT] IN UNNEST(arr)` when the pieces already emitted end with a single operand x (and NOT):
 * replaces them with a list test and returns true; false leaves the translator's subquery form.
 */
export function inUnnest(out: string[], arr: string): boolean {
  let k = out.length - 1;
  const negate = /^not$/i.test(out[k] ?? '');
  if (negate) k--;
  const [prev, left] = [out[k - 1], out[k]];
  if (!isOperand(left)) return false;
  if (prev !== undefined && (TIGHT.has(prev) || /^(over|exists|in|any|some|all|array|unnest|is|collate)$/i.test(prev))) return false;
  out.splice(k, out.length - k, `${negate ? 'NOT ' : ''}bq_in_unnest(${left}, ${arr})`);
  return true;
}
