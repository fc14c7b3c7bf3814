/**
 * `SELECT *, w AS alias ... QUALIFY cond` where cond holds a subquery or a SQL function (which may
 * hold one), or reads a select-list alias, and no window function of its own: DuckDB cannot
 * decorrelate a subquery that reads a window's result in QUALIFY ("correlated columns in window
 * functions"), nor read there the alias of an expression with side effects (our checking macros). QUALIFY filters the rows
 * after the windows are computed, by names of the select list and the FROM clause; with `SELECT *`
 * every FROM column is in the select list, so the same filter is a WHERE around the query:
 * `SELECT * FROM (SELECT *, w AS alias ...) WHERE cond` (DFE's web_request_without_duplicates:
 * `QUALIFY ... OR NOT request_queries_are_equal(request_query, previous_request_query)`).
 * Rewritten in place before translation; the new tokens take the QUALIFY keyword's position.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { clauseEnd, selectOf } from './clause-scan.js';

const COND_ENDS = ['ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW'];

export function qualifyAsWhere(tokens: Token[], udfs: ReadonlySet<string> | undefined): void {
  for (let q = 0; q < tokens.length; q++) {
    if (!isKeyword(tokens[q], 'QUALIFY')) continue;
    const sel = selectOf(tokens, q);
    if (sel < 0) continue;
    // SELECT [AS STRUCT|VALUE] * [, ...]: every FROM column is an output column (no EXCEPT/REPLACE), so the names of cond mean the same outside
    const as = isKeyword(tokens[sel + 1], 'AS') && isKeyword(tokens[sel + 2], 'STRUCT', 'VALUE') ? 2 : 0;
    if (!isOp(tokens[sel + 1 + as], '*') || isKeyword(tokens[sel + 2 + as], 'EXCEPT', 'REPLACE')) continue;
    const end = clauseEnd(tokens, q + 1, COND_ENDS);
    const cond = tokens.slice(q + 1, end);
    if (cond.some((x) => isKeyword(x, 'OVER'))) continue;
    // DuckDB refuses a subquery reading a window's result in QUALIFY, and an alias of an expression with side effects (our error-raising macros)
    const correlated = cond.some((x, k) => isKeyword(x, 'EXISTS') || (isOp(x, '(') && isKeyword(cond[k + 1], 'SELECT')) || (x.kind === 'ident' && isOp(cond[k + 1], '(') && udfs?.has(x.value.toLowerCase()) === true));
    const aliases = new Set<string>();
    for (let k = sel; k < q; k++) if (isKeyword(tokens[k], 'AS') && tokens[k + 1]?.kind === 'ident') aliases.add(tokens[k + 1]!.value.toLowerCase());
    const readsAlias = cond.some((x, k) => (x.kind === 'ident' || x.kind === 'quoted') && aliases.has(x.value.toLowerCase()) && !isOp(cond[k - 1], '.'));
    if (!correlated && !readsAlias) continue;
    const at = tokens[q]!;
    const word = (value: string): Token => ({ kind: 'ident', value, text: value, start: at.start, end: at.end, spaceBefore: true });
    const op = (value: string): Token => ({ kind: 'op', value, text: value, start: at.start, end: at.end, spaceBefore: true });
    const head = [word('SELECT'), ...tokens.slice(sel + 1, sel + 1 + as), op('*'), word('FROM'), op('(')];
    const inner = [tokens[sel]!, ...tokens.slice(sel + 1 + as, q)];
    tokens.splice(sel, end - sel, ...head, ...inner, op(')'), word('WHERE'), ...cond);
    q = sel + head.length + inner.length + 1 + cond.length;
  }
}
