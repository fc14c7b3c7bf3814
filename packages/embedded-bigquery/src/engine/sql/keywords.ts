/** Keyword sets the translator uses to tell names, clauses, table positions and typed literals apart. */

/** Functions GoogleSQL also calls without parentheses (`CURRENT_DATETIME` is `CURRENT_DATETIME()`). */
export const BARE_CALLS = /^CURRENT_(DATE|DATETIME|TIME|TIMESTAMP)$/;

export const NOT_FUNCTIONS = new Set([
  'IN', 'EXISTS', 'AS', 'OVER', 'VALUES', 'USING', 'ON', 'AND', 'OR', 'NOT', 'WHEN', 'THEN', 'ELSE', 'FROM', 'JOIN',
  'SELECT', 'WHERE', 'WITH', 'ALL', 'ANY', 'SOME', 'UNION', 'INTERSECT', 'EXCEPT', 'DISTINCT', 'BY', 'WINDOW', 'LIMIT',
  'TABLE', 'INTO', 'IS', 'LIKE', 'BETWEEN', 'CASE', 'END', 'OPTIONS', 'QUALIFY', 'HAVING', 'FILTER', 'SET', 'ROWS',
  'RANGE', 'RECURSIVE', 'LATERAL', 'SETS', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'MATCHED', 'BY', 'GROUP', 'ORDER', 'PARTITION',
]);

export const TABLE_KEYWORDS = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE', 'VIEW', 'MERGE', 'INSERT', 'DELETE', 'TRUNCATE']);
export const CLAUSE_ENDS = new Set(['WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'ON', 'SET', 'WHEN']);
export const TYPED_LITERALS: Record<string, string> = {
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIMESTAMP: 'TIMESTAMPTZ',
  TIME: 'TIME',
  NUMERIC: 'DECIMAL(38,9)',
  DECIMAL: 'DECIMAL(38,9)',
  BIGNUMERIC: 'DECIMAL(38,19)',
  BIGDECIMAL: 'DECIMAL(38,19)',
  JSON: 'JSON',
};
/**
 * Words DuckDB reserves (or reads as a special value, like `user`) that GoogleSQL leaves free for
 * names: quoted when they appear as a name, so a column called `user` stays a column.
 */
export const DUCKDB_ONLY_KEYWORDS = new Set([
  'USER', 'CURRENT_USER', 'CURRENT_ROLE', 'TABLE', 'COLUMN', 'CHECK', 'ANALYZE', 'ANALYSE', 'ONLY', 'PLACING', 'RETURNING', 'VARIADIC',
  'SYMMETRIC', 'BOTH', 'LEADING', 'TRAILING', 'PRIMARY', 'FOREIGN', 'REFERENCES', 'CONSTRAINT', 'INITIALLY', 'DEFERRABLE', 'PIVOT_WIDER',
  'PIVOT_LONGER', 'SHOW', 'SUMMARIZE', 'DESCRIBE',
]);

