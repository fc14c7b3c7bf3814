/**
 * `SELECT ..., expr AS alias ... HAVING cond` where cond reads the alias (HTTP Archive's timeseries
 * reports: `ROUND(APPROX_QUANTILES(x, 1001)[OFFSET(501)] / 1024, 2) AS p50 ... HAVING p50 IS NOT NULL`).
 * GoogleSQL's HAVING reads the select list's aliases; DuckDB does too, by binding a copy of the
 * alias's expression in HAVING (an alias before a FROM column of the same name), but it refuses an
 * expression with side effects, which every checking macro of the engine has (division, OFFSET,
 * NUMERIC products raise BigQuery's errors): "Alias referenced - but the expression has side effects".
 * So the alias in cond is replaced by its expression, in parentheses, before translation: what
 * DuckDB binds, without the refusal. Copied tokens keep their source positions.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { NOT_FUNCTIONS } from './keywords.js';

const HAVING_ENDS = ['ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'QUALIFY'];

/** The first token at depth 0 from `from` that is one of `words`, a closing bracket or `;` (or the end). */
function clauseEnd(tokens: Token[], from: number, words: string[]): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) {
      if (depth === 0) return k;
      depth--;
    } else if (depth === 0 && (isOp(x, ';') || (x.kind === 'ident' && words.includes(x.value.toUpperCase())))) return k;
  }
  return tokens.length;
}

/** The SELECT of the query the token at q belongs to (same depth), or -1 (q is inside a call's brackets: `ANY_VALUE(x HAVING MAX y)`). */
function selectOf(tokens: Token[], q: number): number {
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

/** The select list's items between `from` and `to` (depth-0 commas). */
function items(tokens: Token[], from: number, to: number): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let k = from; k < to; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    if (depth === 0 && isOp(x, ',')) {
      out.push(cur);
      cur = [];
      continue;
    }
    cur.push(x);
  }
  out.push(cur);
  return out;
}

const isName = (x: Token | undefined): boolean => x !== undefined && (x.kind === 'quoted' || (x.kind === 'ident' && !NOT_FUNCTIONS.has(x.value.toUpperCase())));

/** Each alias of the list (lower case) and its expression's tokens: `expr AS alias`, or `expr alias` after a bracket, a name or a literal. */
export function selectAliases(list: Token[][]): Map<string, Token[]> {
  const out = new Map<string, Token[]>();
  for (const item of list) {
    const last = item[item.length - 1];
    if (item.length < 2 || !isName(last)) continue;
    const before = item[item.length - 2]!;
    const explicit = isKeyword(before, 'AS');
    const implicit = !explicit && (isOp(before, ')', ']') || isName(before) || before.kind === 'number' || before.kind === 'string') && !item.some((x) => isKeyword(x, 'INTERVAL'));
    if (!explicit && !implicit) continue;
    const expr = item.slice(0, explicit ? -2 : -1);
    // an alias of a window function has no place in HAVING; one its own expression names (`MAX(x) AS x`)
    // is left to DuckDB, so that inlining twice (a statement translated again) changes nothing
    const name = last!.value.toLowerCase();
    if (expr.length === 0 || expr.some((x) => isKeyword(x, 'OVER') || ((x.kind === 'ident' || x.kind === 'quoted') && x.value.toLowerCase() === name))) continue;
    out.set(name, expr);
  }
  return out;
}

export function inlineHavingAliases(tokens: Token[]): void {
  for (let h = tokens.length - 1; h >= 0; h--) {
    if (!isKeyword(tokens[h], 'HAVING')) continue;
    const sel = selectOf(tokens, h);
    if (sel < 0) continue;
    let from = sel + 1;
    while (isKeyword(tokens[from], 'DISTINCT', 'ALL')) from++;
    if (isKeyword(tokens[from], 'AS') && isKeyword(tokens[from + 1], 'STRUCT', 'VALUE')) from += 2;
    const listEnd = clauseEnd(tokens, from, ['FROM', 'WHERE', 'GROUP', 'HAVING']);
    const aliases = selectAliases(items(tokens, from, listEnd));
    if (aliases.size === 0) continue;
    const end = clauseEnd(tokens, h + 1, HAVING_ENDS);
    const cond: Token[] = [];
    for (let k = h + 1; k < end; k++) {
      const x = tokens[k]!;
      // a subquery in cond reads names of its own scope first: left as written
      if (isOp(x, '(') && isKeyword(tokens[k + 1], 'SELECT', 'WITH')) {
        const close = clauseEnd(tokens, k + 1, []);
        cond.push(...tokens.slice(k, close + 1));
        k = close;
        continue;
      }
      const expr = (x.kind === 'ident' || x.kind === 'quoted') && !isOp(tokens[k - 1], '.') && !isOp(tokens[k + 1], '.', '(') ? aliases.get(x.value.toLowerCase()) : undefined;
      if (!expr) {
        cond.push(x);
        continue;
      }
      const op = (value: string): Token => ({ kind: 'op', value, text: value, start: x.start, end: x.end, spaceBefore: x.spaceBefore });
      cond.push(op('('), ...expr.map((e) => ({ ...e })), op(')'));
    }
    tokens.splice(h + 1, end - h - 1, ...cond);
  }
}
