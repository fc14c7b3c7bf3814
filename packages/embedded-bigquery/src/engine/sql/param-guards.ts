/**
 * Query parameters where GoogleSQL requires a value that DuckDB takes without one: a NULL LIMIT or
 * OFFSET (DuckDB reads it as no limit), and a window frame offset that is NULL, negative or NaN
 * (DuckDB answers). Each fails with the reference implementation's message when the query runs.
 */
import { isKeyword, type Token } from './tokenizer.js';

/** The bound parameter `p` as it is emitted, between the tokens `before` and `after`. */
export function guardedParam(p: string, before: Token | undefined, after: Token | undefined): string {
  if (isKeyword(before, 'LIMIT', 'OFFSET')) return `coalesce(${p}, error('Limit requires non-null count and offset'))`;
  if (!isKeyword(after, 'PRECEDING', 'FOLLOWING')) return p;
  return `CASE WHEN ${p} IS NULL THEN error('The boundary offset value cannot be null') WHEN ${p} < 0 OR isnan(${p}) THEN error('Window frame offset for PRECEDING or FOLLOWING must be non-negative, but was ' || lower(CAST(${p} AS VARCHAR))) ELSE ${p} END`;
}
