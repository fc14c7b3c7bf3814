/**
 * Query parameters where GoogleSQL requires a value that DuckDB takes without one: a NULL LIMIT or
 * OFFSET (DuckDB reads it as no limit), and a window frame offset that is NULL, negative or NaN
 * (DuckDB answers). Each fails with the reference implementation's message when the query runs.
 * Also the RANGE frames DuckDB miscounts: `RANGE BETWEEN 1 PRECEDING AND 2 PRECEDING` (an end before
 * the start) gave COUNT(*) = -1 where the frame is empty (or, for NULL, NaN and ±inf keys, the peers).
 */
import { isKeyword, type Token } from './tokenizer.js';

/** The bound parameter `p` as it is emitted, between the tokens `before` and `after`. */
export function guardedParam(p: string, before: Token | undefined, after: Token | undefined): string {
  if (isKeyword(before, 'LIMIT', 'OFFSET')) return `coalesce(${p}, error('Limit requires non-null count and offset'))`;
  if (!isKeyword(after, 'PRECEDING', 'FOLLOWING')) return p;
  return `CASE WHEN ${p} IS NULL THEN error('The boundary offset value cannot be null') WHEN ${p} < 0 OR isnan(${p}) THEN error('Window frame offset for PRECEDING or FOLLOWING must be non-negative, but was ' || lower(CAST(${p} AS VARCHAR))) ELSE ${p} END`;
}

/** `RANGE BETWEEN a PRECEDING AND b PRECEDING` with a < b, or `a FOLLOWING AND b FOLLOWING` with a > b (literal offsets). */
export function invertedRangeFrame(tokens: Token[], at: number): boolean {
  const t = tokens.slice(at + 1, at + 7);
  if (!isKeyword(t[0], 'BETWEEN') || t[1]?.kind !== 'number' || !isKeyword(t[3], 'AND') || t[4]?.kind !== 'number') return false;
  const [a, b] = [Number(t[1].value), Number(t[4].value)];
  if (isKeyword(t[2], 'PRECEDING') && isKeyword(t[5], 'PRECEDING')) return a < b;
  return isKeyword(t[2], 'FOLLOWING') && isKeyword(t[5], 'FOLLOWING') && a > b;
}
