/**
 * GoogleSQL puts the WINDOW clause after QUALIFY (query-syntax#sql_syntax: ... HAVING, QUALIFY,
 * WINDOW); DuckDB's grammar wants WINDOW before QUALIFY. The tokens of `QUALIFY cond WINDOW w AS
 * (...)` are put in DuckDB's order, in place, before translation (each token keeps its own position,
 * so error positions still point at the GoogleSQL text).
 */
import { isKeyword, type Token } from './tokenizer.js';
import { clauseEnd } from './clause-scan.js';

const QUALIFY_ENDS = ['ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW'];
const WINDOW_ENDS = ['ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'QUALIFY'];

export function windowBeforeQualify(tokens: Token[]): void {
  for (let q = 0; q < tokens.length; q++) {
    if (!isKeyword(tokens[q], 'QUALIFY')) continue;
    const w = clauseEnd(tokens, q + 1, QUALIFY_ENDS);
    if (!isKeyword(tokens[w], 'WINDOW')) continue;
    const e = clauseEnd(tokens, w + 1, WINDOW_ENDS);
    tokens.splice(q, e - q, ...tokens.slice(w, e), ...tokens.slice(q, w));
    q = e - 1;
  }
}
