/** Bracket matching over a statement's tokens. */
import { BigQueryApiError } from '../types.js';
import { isOp, type Token } from './tokenizer.js';

/** For each bracket token, the index of its partner (-1 for other tokens). */
export function matchBrackets(tokens: Token[]): number[] {
  const match: number[] = new Array<number>(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (isOp(t, '(', '[')) stack.push(i);
    else if (isOp(t, ')', ']')) {
      const open = stack.pop();
      if (open === undefined) throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected "${t.text}" at position ${t.start}`);
      match[open] = i;
      match[i] = open;
    }
  });
  if (stack.length > 0) throw new BigQueryApiError('invalidQuery', `Syntax error: unclosed "${tokens[stack[0]!]!.text}" at position ${tokens[stack[0]!]!.start}`);
  return match;
}
