/**
 * Checks the translator makes on a statement's tokens where DuckDB would answer and GoogleSQL does not.
 * Query parameters where GoogleSQL requires a value: a NULL LIMIT or OFFSET (DuckDB reads it as no
 * limit), and a window frame offset that is NULL, negative or NaN (DuckDB answers); each fails with
 * the reference implementation's message when the query runs. And an operator given a literal NULL
 * (`1 + NULL`, `x = NULL`, `NOT NULL`), which GoogleSQL's analyzer refuses.
 */
import { BigQueryApiError } from '../types.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';

/** The bound parameter `p` as it is emitted, between the tokens `before` and `after`. */
export function guardedParam(p: string, before: Token | undefined, after: Token | undefined): string {
  // (capped at 2^62, DuckDB's largest LIMIT expression: no table holds more rows)
  if (isKeyword(before, 'LIMIT', 'OFFSET')) return `least(coalesce(${p}, error('Limit requires non-null count and offset')), 4611686018427387904)`;
  if (!isKeyword(after, 'PRECEDING', 'FOLLOWING')) return p;
  return `CASE WHEN ${p} IS NULL THEN error('The boundary offset value cannot be null') WHEN ${p} < 0 OR isnan(${p}) THEN error('Window frame offset for PRECEDING or FOLLOWING must be non-negative, but was ' || lower(CAST(${p} AS VARCHAR))) ELSE ${p} END`;
}


const BINARY_OPS = ['+', '-', '*', '/', '||', '=', '!=', '<>', '<', '>', '<=', '>=', '&', '|', '^', '<<', '>>'];
/** Tokens after which a NOT is the unary operator (not NOT LIKE / NOT IN / NOT BETWEEN / IS NOT). */
const BEFORE_UNARY_NOT = ['SELECT', 'WHERE', 'AND', 'OR', 'NOT', 'WHEN', 'THEN', 'ELSE', 'ON', 'HAVING', 'QUALIFY', 'DISTINCT'];

/**
 * A query's tokens, refused when an operator has an un-CAST literal NULL operand (the analyzer's
 * ReturnErrorOnLiteralNullArg: every binary operator but IS and IS DISTINCT FROM, and the unary
 * operators); returns the token count. Statements other than queries are not checked (`SET x = NULL`).
 */
export function literalNullChecked(tokens: Token[]): number {
  if (!(isKeyword(tokens[0], 'SELECT', 'WITH') || isOp(tokens[0], '('))) return tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    if (!isKeyword(tokens[i], 'NULL') || tokens[i]!.kind !== 'ident') continue;
    const [before, after] = [tokens[i - 1], tokens[i + 1]];
    let op: string | undefined;
    if (before?.kind === 'op' && BINARY_OPS.includes(before.value)) op = before.value;
    else if (after?.kind === 'op' && BINARY_OPS.includes(after.value)) op = after.value;
    else if (isKeyword(before, 'LIKE') || isKeyword(after, 'LIKE')) op = 'LIKE';
    else if (isKeyword(before, 'NOT') && (isOp(tokens[i - 2], '(', ',') || isKeyword(tokens[i - 2], ...BEFORE_UNARY_NOT))) op = 'NOT';
    if (op !== undefined) throw new BigQueryApiError('invalidQuery', `Operands of ${op === '<>' ? '!=' : op} cannot be literal NULL`);
  }
  return tokens.length;
}
