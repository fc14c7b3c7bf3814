/**
 * What may stand where GoogleSQL expects a table (after FROM, JOIN, a FROM-list comma, MERGE
 * ... USING): a table path, a subquery or UNNEST. DuckDB would also take a file path string
 * (a replacement scan reads the file), a parameter, or a table function call such as
 * `read_text`(...) or `glob`(...); those never reach it.
 */
import { BigQueryApiError } from '../types.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';

const LITERAL_KINDS: Record<string, string> = {
  string: 'string literal',
  bytes: 'bytes literal',
  number: 'integer literal',
  param: 'query parameter',
  positional: 'query parameter',
  sysvar: 'system variable',
};

/** Throws unless the token at i can start a table operand. `callAt` is where a path starting at i ends, when it is one. */
export function checkTableOperand(tokens: Token[], i: number, callAt?: number): void {
  const t = tokens[i]!;
  const kind = LITERAL_KINDS[t.kind];
  if (kind) {
    throw new BigQueryApiError('invalidQuery', `Syntax error: Unexpected ${kind} ${JSON.stringify(t.text)} where a table name, a subquery or UNNEST was expected`);
  }
  if (t.kind === 'op' && !isOp(t, '(')) {
    throw new BigQueryApiError('invalidQuery', `Syntax error: Unexpected "${t.text}" where a table name, a subquery or UNNEST was expected`);
  }
  if (callAt !== undefined && isOp(tokens[callAt], '(') && !isKeyword(t, 'UNNEST')) {
    const name = tokens.slice(i, callAt).map((x) => x.value).join('');
    throw new BigQueryApiError('invalidQuery', `Table-valued function not found: ${name} (or it is not supported by the embedded BigQuery)`);
  }
}

/** GoogleSQL operators (and punctuation) the translator passes through; any other character is a syntax error. */
export const PASS_THROUGH_OPS = new Set([
  '(', ')', '[', ']', ',', '.', '+', '-', '*', '/', '%', '=', '<', '>', '<=', '>=', '<>', '!=', '||', '<<', '>>', '&', '|', '^', '~', '=>', '->',
]);
