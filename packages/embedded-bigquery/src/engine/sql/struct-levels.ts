/**
 * Where `SELECT [DISTINCT] AS STRUCT a, b` is read as a table (query-syntax#select_as_struct: a value
 * table whose row type is the struct): the statement's own query (its result is a table, one column
 * per field), a FROM item `FROM (SELECT AS STRUCT ...)` and a CTE's body. There the translator drops
 * `AS STRUCT` and the query's columns are the fields; DuckDB still yields the row as one struct where
 * the table's alias is selected (`SELECT t FROM (...) AS t`). Elsewhere (a scalar or ARRAY subquery,
 * IN) the query is one STRUCT column.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';

/** Whether the query whose tokens start at s is read as a table. */
export function structTableLevel(tokens: Token[], s: number): boolean {
  if (s === 0) return true;
  if (!isOp(tokens[s - 1], '(')) return false;
  if (isKeyword(tokens[s - 2], 'FROM', 'JOIN')) return true;
  // `name AS (` after WITH [RECURSIVE] or a comma: a CTE
  const named = tokens[s - 3]?.kind === 'ident' || tokens[s - 3]?.kind === 'quoted';
  return isKeyword(tokens[s - 2], 'AS') && named && (isKeyword(tokens[s - 4], 'WITH', 'RECURSIVE') || isOp(tokens[s - 4], ','));
}
