/**
 * Whether a `*` (or `t.*`) can reach a pseudo-column. A wildcard table's `_TABLE_SUFFIX` and an
 * ingestion-time table's `_PARTITIONTIME` / `_PARTITIONDATE` are real columns of the DuckDB tables
 * behind them, but BigQuery's `*` never includes them. Only a `*` of a SELECT that reads such a table
 * itself can reach them: a SELECT whose FROM reads only the statement's CTEs (and UNNEST) cannot,
 * since a CTE's columns are what its own SELECT list made (a `*` there has left the pseudo-columns
 * out already). Such a `*` needs no rewriting, and `* EXCEPT (...)` / `* REPLACE (...)` work as in
 * any query. Everything else stays as the caller handles it (conservative: a subquery in FROM, or
 * any name that is not a CTE, counts as reaching them).
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { unsupported } from '../errors.js';

/** Keywords that end a SELECT's FROM clause at its own level. */
const FROM_ENDS = ['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT'];

/** The statement's CTE names (lowercase): `WITH [RECURSIVE] name AS (` and `, name AS (`. */
function cteNames(tokens: Token[]): Set<string> {
  const out = new Set<string>();
  for (let k = 1; k + 2 < tokens.length; k++) {
    const t = tokens[k]!;
    if ((t.kind !== 'ident' && t.kind !== 'quoted') || !isKeyword(tokens[k + 1], 'AS') || !isOp(tokens[k + 2], '(')) continue;
    const before = tokens[k - 1]!;
    if (isKeyword(before, 'WITH', 'RECURSIVE') || isOp(before, ',')) out.add(t.value.toLowerCase());
  }
  return out;
}

/** GoogleSQL's reserved keywords: an identifier before a name that is none of them makes the name an alias. */
const RESERVED = new Set(('ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS CUBE CURRENT DEFAULT DEFINE DESC '
  + 'DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER '
  + 'INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO '
  + 'QUALIFY RANGE RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN WHERE WINDOW WITH WITHIN').split(' '));

/**
 * In a SELECT without FROM (`(SELECT AS STRUCT time.*, ...)`), `x.*` expands a column's STRUCT
 * fields unless x names a table: true when x is never a table name or alias in the statement
 * (never after FROM / JOIN, after another name, or after `name AS`).
 */
function fieldsOfColumn(tokens: Token[], star: number): boolean {
  const x = tokens[star - 2];
  if (!isOp(tokens[star - 1], '.') || !x || (x.kind !== 'ident' && x.kind !== 'quoted') || isOp(tokens[star - 3], '.')) return false;
  const name = x.value.toLowerCase();
  const names = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'quoted' || (t.kind === 'ident' && (!RESERVED.has(t.value.toUpperCase()) || isKeyword(t, 'FROM', 'JOIN'))));
  for (let k = 1; k < tokens.length; k++) {
    if (k === star - 2 || tokens[k]!.value.toLowerCase() !== name || (tokens[k]!.kind !== 'ident' && tokens[k]!.kind !== 'quoted')) continue;
    const prev = tokens[k - 1];
    if (names(prev) || isOp(prev, '.') || (isKeyword(prev, 'AS') && names(tokens[k - 2]))) return false;
  }
  return true;
}

/**
 * What the `*` at `star` reads: 'ctes' when its SELECT's FROM clause reads only CTEs of the statement
 * and UNNEST(...) (it cannot see a pseudo-column); 'column-fields' for `x.*` in a SELECT without FROM
 * where x is a STRUCT column of an enclosing query; 'other' when unsure.
 */
export function starScope(tokens: Token[], star: number): 'ctes' | 'column-fields' | 'other' {
  const noFrom = fieldsOfColumn(tokens, star) ? 'column-fields' : 'other';
  let depth = 0;
  // `* EXCEPT (...)` / `* REPLACE (...)`: that EXCEPT is no set operation
  let k = isKeyword(tokens[star + 1], 'EXCEPT', 'REPLACE') ? star + 2 : star + 1;
  // the FROM of this SELECT: the first one at the star's own level
  for (; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']')) {
      if (depth === 0) return noFrom;
      depth--;
    } else if (depth === 0 && (isOp(t, ';') || isKeyword(t, ...FROM_ENDS))) return noFrom;
    else if (depth === 0 && isKeyword(t, 'FROM')) break;
  }
  if (k >= tokens.length) return noFrom;
  const ctes = cteNames(tokens);
  let items = 0;
  let expectItem = true;
  for (k++; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isOp(t, ')', ';') || isKeyword(t, ...FROM_ENDS)) break;
    if (isOp(t, '(')) {
      // a subquery or a parenthesized join in FROM: unsure
      if (expectItem) return 'other';
      // UNNEST(...) and ON (...) conditions: skip to the matching parenthesis
      for (let d = 0; k < tokens.length; k++) {
        if (isOp(tokens[k], '(')) d++;
        else if (isOp(tokens[k], ')') && --d === 0) break;
      }
      continue;
    }
    if (isOp(t, ',') || isKeyword(t, 'JOIN')) {
      expectItem = true;
      continue;
    }
    if (!expectItem) continue;
    if (isKeyword(t, 'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'LATERAL')) continue;
    expectItem = false;
    items++;
    // UNNEST of an array: its elements have no pseudo-columns
    if (isKeyword(t, 'UNNEST')) continue;
    if ((t.kind !== 'ident' && t.kind !== 'quoted') || isOp(tokens[k + 1], '.') || t.value.includes('.') || !ctes.has(t.value.toLowerCase())) return 'other';
  }
  return items > 0 ? 'ctes' : 'other';
}

/**
 * For `STRUCT<` / `ARRAY<` at `i` (a type's parameters), the index of its closing `>` (before `end`);
 * else `i`. Nested types may close with one `>>` token.
 */
export function angleTypeEnd(tokens: Token[], i: number, end: number): number {
  if (!isKeyword(tokens[i], 'STRUCT', 'ARRAY') || !isOp(tokens[i + 1], '<')) return i;
  let depth = 0;
  for (let j = i + 1; j < end; j++) {
    const t = tokens[j]!;
    if (isOp(t, '<')) depth++;
    else if (isOp(t, '>')) depth--;
    else if (isOp(t, '>>')) depth -= 2;
    if (depth <= 0) return j;
  }
  return i;
}

/** Where the select list of the `*` at `star` ends when its SELECT has no FROM (the index of the `)`, clause keyword or end), else -1. */
export function endWithoutFrom(tokens: Token[], star: number): number {
  let depth = 0;
  for (let k = isKeyword(tokens[star + 1], 'EXCEPT', 'REPLACE') ? star + 2 : star + 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']')) {
      if (depth === 0) return k;
      depth--;
    } else if (depth === 0 && (isOp(t, ';') || isKeyword(t, ...FROM_ENDS))) return k;
    else if (depth === 0 && isKeyword(t, 'FROM')) return -1;
  }
  return tokens.length;
}

/**
 * `(SELECT AS STRUCT x.* EXCEPT (...))` without FROM, x a STRUCT column of an enclosing query and
 * the only select item: the same query reads `FROM UNNEST([x]) AS x` (one row, the STRUCT as a
 * value table, so `x.*` is its fields and EXCEPT works as over any FROM). Rewrites `tokens` in place.
 * With other items or REPLACE expressions, x's fields would shadow their names: not rewritten (loud).
 */
export function fromForStructStars(tokens: Token[]): void {
  for (let k = 2; k < tokens.length; k++) {
    if (!isOp(tokens[k], '*') || !isOp(tokens[k - 1], '.') || !isKeyword(tokens[k + 1], 'EXCEPT') || !isOp(tokens[k + 2], '(') || !fieldsOfColumn(tokens, k)) continue;
    // the only select item (FROM UNNEST([x]) would let x's fields shadow other items' names)
    const sole = isKeyword(tokens[k - 3], 'SELECT') || (isKeyword(tokens[k - 3], 'STRUCT') && isKeyword(tokens[k - 4], 'AS') && isKeyword(tokens[k - 5], 'SELECT'));
    const end = endWithoutFrom(tokens, k);
    let close = k + 2;
    while (close < tokens.length && !isOp(tokens[close], ')')) close++;
    if (!sole || end < 0 || end !== close + 1) continue;
    const x = tokens[k - 2]!;
    const at = tokens[Math.min(end, tokens.length - 1)]!;
    const tok = (kind: Token['kind'], value: string): Token => ({ kind, value, text: value, start: at.start, end: at.start, spaceBefore: true });
    tokens.splice(end, 0, tok('ident', 'FROM'), tok('ident', 'UNNEST'), tok('op', '('), tok('op', '['), { ...x, start: at.start, end: at.start }, tok('op', ']'), tok('op', ')'), tok('ident', 'AS'), { ...x, start: at.start, end: at.start });
  }
}

/**
 * `expr.*` where expr is an expression (`ARRAY_AGG(STRUCT(t) ORDER BY ...)[SAFE_OFFSET(0)].*`,
 * `(expr).*`) or a path of two or more parts (`agg.t.*`, a STRUCT column of a table alias): the
 * STRUCT's fields as columns, DuckDB's UNNEST of a STRUCT (a value that is no STRUCT fails, as
 * BigQuery's `.*` does). `sql` is the translated expr. Undefined for `alias.*` and anything else;
 * EXCEPT / REPLACE after it stay loud.
 */
export function structFieldsStar(tokens: Token[], star: number, sql: string): string | undefined {
  const before = tokens[star - 2];
  const expression = isOp(before, ')', ']');
  const path = (before?.kind === 'ident' || before?.kind === 'quoted') && isOp(tokens[star - 3], '.');
  if (!expression && !path) return undefined;
  if (isKeyword(tokens[star + 1], 'EXCEPT', 'REPLACE')) throw unsupported('expr.* EXCEPT/REPLACE of a STRUCT expression');
  return `UNNEST(CASE WHEN typeof(${sql}) LIKE 'STRUCT(%' OR (${sql}) IS NULL THEN (${sql}) ELSE error('Dot-star is only supported for STRUCT values') END)`;
}
