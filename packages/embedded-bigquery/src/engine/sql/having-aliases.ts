/**
 * `SELECT ..., expr AS alias ... HAVING cond` where cond reads the alias (HTTP Archive's timeseries
 * reports: `ROUND(APPROX_QUANTILES(x, 1001)[OFFSET(501)] / 1024, 2) AS p50 ... HAVING p50 IS NOT NULL`).
 * GoogleSQL's HAVING reads the select list's aliases; DuckDB does too, by binding a copy of the
 * alias's expression in HAVING (an alias before a FROM column of the same name), but it refuses an
 * expression with side effects, which every checking macro of the engine has (division, OFFSET,
 * NUMERIC products raise BigQuery's errors): "Alias referenced - but the expression has side effects".
 * So the alias in cond is replaced by its expression, in parentheses, before translation: what
 * DuckDB binds, without the refusal. Copied tokens keep their source positions.
 *
 * GROUP BY reads select-list aliases before FROM names in GoogleSQL ("aliases in the SELECT clause
 * override names in the corresponding FROM clause"), DuckDB after them: `SELECT feature.feature ...
 * FROM ..., UNNEST(features) AS feature GROUP BY feature` (HTTP Archive's blink_features.usage)
 * grouped by the whole element; the cruxInp histogram's `IF(form_factor.name = ...) AS client ...
 * GROUP BY client` grouped by a joined subquery's column client. A GROUP BY item that is the name of
 * a select item that is a path (explicitly aliased or named by its last field) becomes that path, of
 * another aliased item its position.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { clauseEnd, selectOf } from './clause-scan.js';
import { NOT_FUNCTIONS } from './keywords.js';

const HAVING_ENDS = ['ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'QUALIFY'];

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

/** The select list's items that are paths (`a.b.c`, no call), by their name: the alias, else the last field. */
function pathItems(list: Token[][]): Map<string, Token[]> {
  const out = new Map<string, Token[]>();
  for (const item of list) {
    const explicit = item.length >= 3 && isKeyword(item[item.length - 2], 'AS') && isName(item[item.length - 1]);
    const path = explicit ? item.slice(0, -2) : item;
    const isPath = path.length >= 3 && path.every((x, k) => (k % 2 === 0 ? isName(x) : isOp(x, '.'))) && path.length % 2 === 1;
    if (!isPath) continue;
    out.set((explicit ? item[item.length - 1]! : path[path.length - 1]!).value.toLowerCase(), path);
  }
  return out;
}

/**
 * The select items with an alias that are not paths, by alias: their 1-based position, which DuckDB's
 * GROUP BY reads as that item (the item's own expression, so one with side effects still matches).
 * None after a `*` item, whose columns shift the positions.
 */
function aliasOrdinals(list: Token[][]): Map<string, number> {
  const out = new Map<string, number>();
  for (let k = 0; k < list.length; k++) {
    const item = list[k]!;
    if (item.some((x, j) => isOp(x, '*') && (j === 0 || isOp(item[j - 1], '.')))) break;
    for (const [alias, expr] of selectAliases([item])) {
      const isPath = expr.length % 2 === 1 && expr.every((x, j) => (j % 2 === 0 ? isName(x) : isOp(x, '.')));
      if (!isPath && !hasAggregateOrWindow(expr)) out.set(alias, k + 1);
    }
  }
  return out;
}

/** A call of a function that aggregates or a window (an alias of one is no GROUP BY key; left to DuckDB's error). */
function hasAggregateOrWindow(expr: Token[]): boolean {
  return expr.some((x, j) => isKeyword(x, 'OVER') || (x.kind === 'ident' && isOp(expr[j + 1], '(') && /^(COUNT|COUNTIF|SUM|AVG|MIN|MAX|ARRAY_AGG|STRING_AGG|ANY_VALUE|APPROX_\w+|LOGICAL_AND|LOGICAL_OR|BIT_\w+|STDDEV\w*|VAR\w*|CORR|COVAR_\w+|PERCENTILE_\w+|HLL_COUNT\.\w+|ARRAY_CONCAT_AGG|MAX_BY|MIN_BY)$/i.test(x.value)));
}

const GROUP_ENDS = ['HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT'];

export function groupByPathAliases(tokens: Token[]): void {
  for (let g = tokens.length - 1; g >= 0; g--) {
    if (!isKeyword(tokens[g], 'GROUP') || !isKeyword(tokens[g + 1], 'BY')) continue;
    const sel = selectOf(tokens, g);
    if (sel < 0) continue;
    let from = sel + 1;
    while (isKeyword(tokens[from], 'DISTINCT', 'ALL')) from++;
    if (isKeyword(tokens[from], 'AS') && isKeyword(tokens[from + 1], 'STRUCT', 'VALUE')) from += 2;
    const list = items(tokens, from, clauseEnd(tokens, from, ['FROM']));
    const paths = pathItems(list);
    const ordinals = aliasOrdinals(list);
    if (paths.size === 0 && ordinals.size === 0) continue;
    const end = clauseEnd(tokens, g + 2, GROUP_ENDS);
    const groups = items(tokens, g + 2, end);
    let changed = false;
    const out = groups.map((item) => {
      const name = item.length === 1 && isName(item[0]) ? item[0]!.value.toLowerCase() : undefined;
      const path = name === undefined ? undefined : paths.get(name);
      if (path) {
        changed = true;
        return path.map((x) => ({ ...x }));
      }
      const ordinal = name === undefined ? undefined : ordinals.get(name);
      if (ordinal === undefined) return item;
      changed = true;
      return [{ ...item[0]!, kind: 'number' as const, value: String(ordinal), text: String(ordinal) }];
    });
    if (!changed) continue;
    const comma = (at: Token): Token => ({ kind: 'op', value: ',', text: ',', start: at.start, end: at.end, spaceBefore: false });
    tokens.splice(g + 2, end - g - 2, ...out.flatMap((item, k) => (k === 0 ? item : [comma(item[0]!), ...item])));
  }
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
