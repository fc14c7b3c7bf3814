/**
 * Token scans the clause rewrites share (clause-order.ts, qualify-subquery.ts, having-aliases.ts):
 * where a clause ends and which SELECT a clause belongs to, at bracket depth 0.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';

/** The index of the first token at depth 0 from `from` that is one of `words`, a closing bracket, `;` or the end token (else the length). */
export function clauseEnd(tokens: Token[], from: number, words: string[]): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) {
      if (depth === 0) return k;
      depth--;
    } else if (x.kind === 'eof' || (depth === 0 && (isOp(x, ';') || (x.kind === 'ident' && words.includes(x.value.toUpperCase()))))) return k;
  }
  return tokens.length;
}

/** The SELECT of the query the token at q belongs to (same depth), or -1 (q is inside a call's brackets: `ANY_VALUE(x HAVING MAX y)`). */
export function selectOf(tokens: Token[], q: number): number {
  let depth = 0;
  for (let k = q - 1; k >= 0; k--) {
    const x = tokens[k]!;
    if (isOp(x, ')', ']')) depth++;
    else if (isOp(x, '(', '[')) {
      if (depth === 0) return -1;
      depth--;
    } else if (depth === 0 && isKeyword(x, 'SELECT')) return k;
  }
  return -1;
}
