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

/**
 * True when the `*` at `star` belongs to a SELECT whose FROM clause reads only CTEs of the statement
 * and UNNEST(...): it cannot see a pseudo-column. False when unsure.
 */
export function starReadsOnlyCtes(tokens: Token[], star: number): boolean {
  let depth = 0;
  // `* EXCEPT (...)` / `* REPLACE (...)`: that EXCEPT is no set operation
  let k = isKeyword(tokens[star + 1], 'EXCEPT', 'REPLACE') ? star + 2 : star + 1;
  // the FROM of this SELECT: the first one at the star's own level
  for (; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']')) {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && (isOp(t, ';') || isKeyword(t, ...FROM_ENDS))) return false;
    else if (depth === 0 && isKeyword(t, 'FROM')) break;
  }
  if (k >= tokens.length) return false;
  const ctes = cteNames(tokens);
  let items = 0;
  let expectItem = true;
  for (k++; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isOp(t, ')', ';') || isKeyword(t, ...FROM_ENDS)) break;
    if (isOp(t, '(')) {
      // a subquery or a parenthesized join in FROM: unsure
      if (expectItem) return false;
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
    if ((t.kind !== 'ident' && t.kind !== 'quoted') || isOp(tokens[k + 1], '.') || t.value.includes('.') || !ctes.has(t.value.toLowerCase())) return false;
  }
  return items > 0;
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
