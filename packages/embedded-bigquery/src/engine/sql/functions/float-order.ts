/**
 * FLOAT64 order and comparisons as BigQuery gives them (data-types#floating_point_semantics): NaN
 * sorts after NULL and before -inf (ASC; DESC the reverse), and NaN compared with =, <, >, <=, >= is
 * FALSE (!= TRUE). DuckDB sorts NaN above +inf and treats NaN = NaN as true. An ORDER BY key gets a
 * leading `bq_nan_key(k)` key with the same direction and NULL order: FALSE for a NaN, TRUE for any other
 * number, NULL for NULL, and a constant NULL for keys that are not FLOAT64 (typeof folds). A RANGE frame
 * with an offset takes one key only (see rewriteOrderBy).
 */
import { OVER_AT } from './exact-percentile.js';
import { holdsSubquery, onceMinSql } from './bind-once.js';

export const FLOAT_ORDER_MACROS = [
  `CREATE OR REPLACE TEMP MACRO bq_nan_key(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') THEN NOT isnan(TRY_CAST(x AS DOUBLE)) END`,
  // a RANGE frame's key with an offset, widened so key ± offset never overflows: INT64 (and smaller) as
  // HUGEINT, where int64_min - int64_max lies below every key as ZetaSQL's bound beyond the range does
  // (DuckDB failed with INT64 overflow); FLOAT64 and NUMERIC keep their type (x + 0)
  `CREATE OR REPLACE TEMP MACRO bq_range_wide(x) AS x + CAST(0 AS HUGEINT)`,
  `CREATE OR REPLACE TEMP MACRO bq_range_key(x) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND isnan(TRY_CAST(x AS DOUBLE)) THEN error('A RANGE window frame with an offset over a FLOAT64 NaN ordering key is not supported by the embedded BigQuery') ELSE bq_range_wide(x) END`,
  `CREATE OR REPLACE TEMP MACRO bq_frame_bound(x, offsets) AS CASE WHEN typeof(x) IN ('DOUBLE', 'FLOAT') AND isfinite(TRY_CAST(x AS DOUBLE)) AND len(list_filter(offsets, o -> isfinite(o) AND (NOT isfinite(TRY_CAST(x AS DOUBLE) + o) OR NOT isfinite(TRY_CAST(x AS DOUBLE) - o)))) > 0 THEN error('A RANGE window frame whose bound (a FLOAT64 key plus or minus its offset) leaves the FLOAT64 range is not supported by the embedded BigQuery') ELSE x END`,
  // whether a comparison of a and b meets a NaN (both non-NULL, one FLOAT64): folds to false for other types
  `CREATE OR REPLACE TEMP MACRO bq_nan_pair(a, b) AS (typeof(a) IN ('DOUBLE', 'FLOAT') OR typeof(b) IN ('DOUBLE', 'FLOAT')) AND a IS NOT NULL AND b IS NOT NULL AND (isnan(TRY_CAST(a AS DOUBLE)) OR isnan(TRY_CAST(b AS DOUBLE)))`,
];

/** `a op b` with BigQuery's NaN result (op as DuckDB writes it: =, <>, <, >, <=, >=). */
export function floatComparison(left: string, op: string, right: string): string {
  return `CASE WHEN bq_nan_pair(${left}, ${right}) THEN ${op === '<>' ? 'true' : 'false'} ELSE ${left} ${op} ${right} END`;
}

/**
 * `x [NOT] IN (items)` is x = a OR x = b ...: for a NaN x, NULL when an item is NULL, else FALSE (DuckDB
 * finds NaN in a list holding NaN). Other types fold to DuckDB's IN.
 */
export function floatIn(x: string, items: string[], list: string, negate: boolean): string {
  const nan = `(typeof(${x}) IN ('DOUBLE', 'FLOAT') AND isnan(TRY_CAST(${x} AS DOUBLE)))`;
  const nulls = items.map((a) => `(${a}) IS NULL`).join(' OR ');
  return `CASE WHEN ${nan} THEN CASE WHEN ${nulls} THEN NULL ELSE ${negate ? 'true' : 'false'} END ELSE ${x} ${negate ? 'NOT IN' : 'IN'} ${list} END`;
}

/** `x BETWEEN a AND b` (its caller binds an operand holding a subquery once: bind-once.ts) is x >= a AND x <= b, each FALSE when it meets a NaN (DuckDB's BETWEEN where no operand is FLOAT64). */
export function floatBetween(x: string, a: string, b: string, negate: boolean): string {
  const float = `(typeof(${x}) IN ('DOUBLE', 'FLOAT') OR typeof(${a}) IN ('DOUBLE', 'FLOAT') OR typeof(${b}) IN ('DOUBLE', 'FLOAT'))`;
  const ieee = `(${floatComparison(x, '>=', a)} AND ${floatComparison(x, '<=', b)})`;
  return `CASE WHEN ${float} THEN ${negate ? 'NOT ' : ''}${ieee} ELSE ${x} ${negate ? 'NOT BETWEEN' : 'BETWEEN'} ${a} AND ${b} END`;
}

/**
 * MIN(x) (aggregate_functions#min): NaN when an input is NaN, where DuckDB gives the least other value;
 * DuckDB's MAX is NaN then, so it gives the answer. A window MIN takes the OVER clause at each OVER_AT.
 * An x holding a subquery takes the form with one copy of it (bind-once.ts).
 */
export function minSql(args: string, windowed: boolean): string {
  const over = windowed ? OVER_AT : '';
  const [, , x = args] = /^(DISTINCT\s+)?([\s\S]*)$/i.exec(args) ?? [];
  if (holdsSubquery(x)) return onceMinSql(x, over);
  return `CASE WHEN typeof(min(${args})${over}) IN ('DOUBLE', 'FLOAT') AND bool_or(isnan(TRY_CAST(${x} AS DOUBLE)))${over} THEN max(${args})${over} ELSE min(${args})${over} END`;
}

const ORDER_ENDS = /^(limit|offset|rows|range|groups|union|except|intersect|fetch|window|qualify|\))$/i;
const DIRECTION = /^(asc|desc|nulls|first|last)$/i;

const bare = (piece: string): string => piece.replace(/^"(.*)"$/, '$1').replace(/^`(.*)`$/, '$1').toLowerCase();

/**
 * Each key of every `ORDER BY` in the pieces of one query level gets a leading bq_nan_key key (see
 * above). Left alone: ordinals (`ORDER BY 1`), COLLATE keys, the ORDER BY of a set operation (DuckDB
 * orders a UNION by its columns only), of GROUP BY ALL and of a DISTINCT aggregate. A key naming a
 * select-list alias `e AS k` is keyed on e, where a column k could shadow the alias in an expression.
 */
export function rewriteOrderBy(pieces: string[]): void {
  for (let i = 0; i + 2 < pieces.length; i++) {
    if (!/^order$/i.test(pieces[i]!) || !/^by$/i.test(pieces[i + 1]!)) continue;
    let end = i + 2;
    while (end < pieces.length && !ORDER_ENDS.test(pieces[end]!)) end++;
    const select = lastIndex(pieces, i, /^select$/i);
    if (pieces.slice(0, i).some((p) => /^(union|except|intersect)$/i.test(p))) continue;
    // GROUP BY ALL: DuckDB finds the ORDER BY's bq_nan_key(k) neither grouped nor aggregated
    if (pieces.slice(0, i).some((p, k) => /^group$/i.test(p) && /^by$/i.test(pieces[k + 1] ?? '') && /^all$/i.test(pieces[k + 2] ?? ''))) continue;
    // a DISTINCT aggregate's ORDER BY (`ARRAY_AGG(DISTINCT x ORDER BY x)`): DuckDB answers wrong with a second key
    if (select < 0 && /^distinct$/i.test(pieces[0] ?? '')) continue;
    const frame = pieces.slice(end);
    // RANGE with an offset: one key only. Between two offsets (or CURRENT ROW) a NaN row's frame is its NaN
    // peers and no other frame reaches a NaN, in DuckDB as in BigQuery: the key is left alone. An UNBOUNDED
    // bound beside an offset reaches the NaNs at the end DuckDB sorts them to: a NaN fails loudly.
    const range = /^range$/i.test(pieces[end] ?? '');
    const offset = range && frame.some((p, k) => /^(preceding|following)$/i.test(p) && !/^unbounded$/i.test(frame[k - 1] ?? ''));
    // A FLOAT64 key whose bound x ± offset overflows to ±inf: BigQuery's frame stops short of the infinite
    // keys (17 + max FOLLOWING holds no +inf), DuckDB's reaches them: that fails loudly (bq_frame_bound)
    // (a literal offset under 1e292 cannot overflow: x + o rounds to x at the FLOAT64 maximum; an infinite offset
    // reaches the infinite keys in both)
    const offsets = frame.filter((p, k) => /^(preceding|following)$/i.test(frame[k + 1] ?? '') && !/^(unbounded|current)$/i.test(p) && !(Math.abs(Number(p)) < 1e292));
    if (offset && !frame.some((p) => /^unbounded$/i.test(p))) {
      const list = splitTop(pieces.slice(i + 2, end));
      if (list.length !== 1) continue;
      const key = list[0]!;
      let cut = key.length;
      while (cut > 0 && DIRECTION.test(key[cut - 1]!)) cut--;
      if (cut === 0 || /^\d+$/.test(key[0] ?? '')) continue;
      const wide = `bq_range_wide(${key.slice(0, cut).join(' ')})`;
      pieces.splice(i + 2, end - i - 2, `${offsets.length > 0 ? `bq_frame_bound(${wide}, [${offsets.join(', ')}])` : wide}${cut < key.length ? ` ${key.slice(cut).join(' ')}` : ''}`);
      i += 2;
      continue;
    }
    const rangeOffset = offset;
    const keys: string[] = [];
    const list = splitTop(pieces.slice(i + 2, end));
    // an ordinal (`ORDER BY 1 DESC`) is keyed on its select item's expression and kept as the second key;
    // one whose item cannot be read here (a *, a window function, SELECT DISTINCT) leaves the ORDER BY alone
    const ordinals = list.map((key) => (/^\d+$/.test(key[0] ?? '') ? ordinalExpr(pieces, select, i, Number(key[0])) ?? null : undefined));
    if (ordinals.includes(null) || (rangeOffset && ordinals.some((o) => o !== undefined))) continue;
    for (const [k, key] of list.entries()) {
      let cut = key.length;
      while (cut > 0 && DIRECTION.test(key[cut - 1]!)) cut--;
      const expr = key.slice(0, cut).join(' ');
      const dir = key.slice(cut).join(' ');
      const suffix = dir === '' ? '' : ` ${dir}`;
      const ordinal = ordinals[k];
      if (typeof ordinal === 'string') keys.push(`bq_nan_key(${ordinal})${suffix}, ${expr}${suffix}`);
      else if (expr === '' || key.some((p) => /^collate$/i.test(p))) keys.push(key.join(' '));
      else if (rangeOffset) keys.push(`${offsets.length > 0 ? `bq_frame_bound(bq_range_key(${expr}), [${offsets.join(', ')}])` : `bq_range_key(${expr})`}${suffix}`);
      else {
        // marked, so a named window whose user adds a RANGE frame can take the leading key back out
        const n = ++marks;
        const named = select >= 0 && cut === 1 ? aliasExpr(pieces, select, i, key[0]!) : { expr, implicit: false };
        // an implicit alias is no alias to DuckDB, which would read a FROM column of that name: both keys name the path
        keys.push(`/*nan-key:${n}*/bq_nan_key(${named.expr})${suffix}, /*key:${n}*/${named.implicit ? named.expr : expr}${suffix}`);
      }
    }
    pieces.splice(i + 2, end - i - 2, keys.join(', '));
    i += 2;
  }
  namedWindowRanges(pieces);
}

let marks = 0;

/**
 * `WINDOW w AS (ORDER BY k)` used as `OVER (w RANGE ...)`: the frame is out of sight where w's keys
 * were rewritten, and a RANGE frame takes one key, so w keeps its own keys only (DuckDB's NaN order).
 */
function namedWindowRanges(pieces: string[]): void {
  const w = pieces.findIndex((p) => /^window$/i.test(p));
  if (w < 0) return;
  const text = pieces.join(' ');
  for (let k = w + 1; k + 2 < pieces.length; k++) {
    if (!/^as$/i.test(pieces[k + 1]!) || !pieces[k + 2]!.startsWith('(')) continue;
    const name = bare(pieces[k]!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!new RegExp(`OVER\\s*\\(\\s*["\`]?${name}["\`]?\\s+RANGE\\b`, 'i').test(text)) continue;
    pieces[k + 2] = pieces[k + 2]!.replace(/\/\*nan-key:(\d+)\*\/[\s\S]*?\/\*key:\1\*\//g, '');
  }
}

function lastIndex(pieces: string[], before: number, re: RegExp): number {
  for (let k = before - 1; k >= 0; k--) if (re.test(pieces[k]!)) return k;
  return -1;
}

function splitTop(pieces: string[]): string[][] {
  const out: string[][] = [[]];
  for (const p of pieces) {
    if (p === ',') out.push([]);
    else out[out.length - 1]!.push(p);
  }
  return out;
}

/** The expression of select item n (1-based) at this level, without its alias; undefined where it is not read here. */
function ordinalExpr(pieces: string[], select: number, order: number, n: number): string | undefined {
  if (select < 0) return undefined;
  let from = select + 1;
  while (from < order && !/^from$/i.test(pieces[from]!)) from++;
  const list = pieces.slice(select + 1, from);
  if (/^as$/i.test(list[0] ?? '')) return undefined;
  // SELECT DISTINCT orders by select-list expressions only: keyed on the item's name
  const distinct = /^distinct$/i.test(list[0] ?? '');
  if (distinct || /^all$/i.test(list[0] ?? '')) list.shift();
  const item = splitTop(list)[n - 1];
  if (!item || item.length === 0 || item.some((p) => p === '*' || p.endsWith('.*') || /^(over|\.)$/i.test(p))) return undefined;
  if (item.length === 1) return item[0];
  if (/^as$/i.test(item[item.length - 2]!)) return distinct ? item[item.length - 1] : item.slice(0, -2).join(' ');
  return undefined;
}

/** The last part of a path piece (`p.client`, `"p"."client"`), unquoted, or undefined for a piece that is no path of two or more parts. */
function pathTail(piece: string): string | undefined {
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*")(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*"))*\.([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*")$/.exec(piece);
  return m ? bare(m[1]!) : undefined;
}

/**
 * The expression of the select item aliased `name` at this level: `e AS name` or `e name`, else the one
 * path `x.name` whose implicit alias it is (query-syntax#implicit_aliases: ORDER BY reads the SELECT
 * list's aliases first, so `SELECT p.client ... JOIN t ... ORDER BY client` orders by p.client where
 * t.client would make a bare `client` ambiguous); else name itself.
 */
function aliasExpr(pieces: string[], select: number, order: number, name: string): { expr: string; implicit: boolean } {
  let from = select + 1;
  while (from < order && !/^from$/i.test(pieces[from]!)) from++;
  const list = pieces.slice(select + 1, from);
  // SELECT DISTINCT orders by select-list expressions only: keyed on the alias itself
  if (/^distinct$/i.test(list[0] ?? '')) return { expr: name, implicit: false };
  const named: { expr: string; implicit: boolean }[] = [];
  for (const item of splitTop(list)) {
    if (/^all$/i.test(item[0] ?? '')) item.shift();
    if (item.length === 1 && pathTail(item[0]!) === bare(name)) named.push({ expr: item[0]!, implicit: true });
    if (item.length < 2 || bare(item[item.length - 1]!) !== bare(name)) continue;
    const head = /^as$/i.test(item[item.length - 2]!) ? item.slice(0, -2) : item.slice(0, -1);
    const last = head[head.length - 1] ?? '';
    if (last !== '' && !/^[-+*/<>=|&^~.:[]+$/.test(last) && !/^(not|and|or|is|in|like|between|case|when|then|else|interval|exists|distinct)$/i.test(last)) named.push({ expr: head.join(' '), implicit: false });
  }
  // two items of that alias (query-syntax#ambiguous_aliases): the name stays as written
  return named.length === 1 ? named[0]! : { expr: name, implicit: false };
}
