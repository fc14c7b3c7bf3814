/**
 * GROUP BY ROLLUP / CUBE / GROUPING SETS as GoogleSQL resolves them (ZetaSQL's grouping_sets_queries):
 *
 * - An ordinal or a select-list alias among the grouping items stands for that select item's
 *   expression, the same grouping key as the expression written out: `ROLLUP(a1, 1, b, 2)` over
 *   `SELECT a + 1 AS a1, b` groups by two keys. DuckDB makes an ordinal or an alias a key of its own
 *   (the select item then shows NULL in a set that groups by it). So each is replaced by the item's
 *   expression, in parentheses. An ordinal naming a constant select item (`SELECT key, 1 ... GROUPING
 *   SETS(key, 2)`) is refused loudly: DuckDB does not null a constant in the sets that leave it out.
 * - A select expression over a column that is itself a grouping key is computed from that key (unless
 *   an ordinal or alias names that select item as a key):
 *   `SELECT a, a + 1 ... GROUP BY ROLLUP(a, a + 1)` gives a + 1 = 11 in the set (a), where DuckDB
 *   matches the whole expression to the key `a + 1` and gives NULL. So such a key is written
 *   `COALESCE(a + 1)` (the same values, grouped the same), which no select expression matches, and
 *   DuckDB computes `a + 1` from the key a, as GoogleSQL does. GROUPING() of such a key is refused
 *   loudly.
 * - `GROUP BY ALL` with no key to infer groups by () (groupByAllAggregates).
 * - `GROUPING(alias)` in HAVING, QUALIFY or ORDER BY reads the alias's expression, as GoogleSQL does.
 */
import { BigQueryApiError } from '../types.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { clauseEnd, selectOf } from './clause-scan.js';
import { selectAliases } from './having-aliases.js';
import { NOT_FUNCTIONS } from './keywords.js';

const GROUP_ENDS = ['HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT'];

const isName = (x: Token | undefined): boolean => x !== undefined && (x.kind === 'quoted' || (x.kind === 'ident' && !NOT_FUNCTIONS.has(x.value.toUpperCase())));

/** The depth-0 comma-separated ranges [from, to) between from and to. */
function split(tokens: Token[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    else if (depth === 0 && isOp(x, ',')) {
      out.push([start, k]);
      start = k + 1;
    }
  }
  if (to > start) out.push([start, to]);
  return out;
}

/** The index of the bracket closing the one at open. */
function closing(tokens: Token[], open: number): number {
  return clauseEnd(tokens, open + 1, []);
}

/**
 * The grouping items (leaf expressions) of a GROUP BY list between from and to, and whether a ROLLUP,
 * CUBE or GROUPING SETS is among them. Tuples `(a, b)` are opened; `()` has no item.
 */
function leaves(tokens: Token[], from: number, to: number, inSets: boolean): { items: [number, number][]; sets: boolean } {
  const items: [number, number][] = [];
  let sets = false;
  for (const [s, e] of split(tokens, from, to)) {
    const head = tokens[s];
    const call = isKeyword(head, 'ROLLUP', 'CUBE') && isOp(tokens[s + 1], '(') ? s + 1 : isKeyword(head, 'GROUPING') && isKeyword(tokens[s + 1], 'SETS') && isOp(tokens[s + 2], '(') ? s + 2 : -1;
    if (call >= 0 && closing(tokens, call) === e - 1) {
      sets = true;
      const inner = leaves(tokens, call + 1, e - 1, true);
      items.push(...inner.items);
      continue;
    }
    // a tuple inside ROLLUP/CUBE/GROUPING SETS: `(a, b)`, `()`
    if (inSets && isOp(head, '(') && closing(tokens, s) === e - 1) {
      const parts = split(tokens, s + 1, e - 1);
      if (parts.length !== 1) {
        for (const p of parts) items.push(...leaves(tokens, p[0], p[1], true).items);
        continue;
      }
    }
    if (e > s) items.push([s, e]);
  }
  return { items, sets };
}

const text = (tokens: Token[]): string => tokens.map((x) => (x.kind === 'ident' ? x.value.toLowerCase() : x.kind === 'quoted' ? x.value.toLowerCase() : x.text)).join(' ');

/** Whether the tokens are a name path `a`, `t.a`. */
const isPath = (ts: Token[]): boolean => ts.length % 2 === 1 && ts.every((x, k) => (k % 2 === 0 ? isName(x) : isOp(x, '.')));

/** The name paths read in tokens (not called, not after a dot), as their texts with every prefix. */
function pathPrefixes(ts: Token[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < ts.length; k++) {
    if (!isName(ts[k]) || isOp(ts[k - 1], '.') || isOp(ts[k + 1], '(')) continue;
    let m = k;
    out.push(text([ts[k]!]));
    while (isOp(ts[m + 1], '.') && isName(ts[m + 2])) {
      m += 2;
      out.push(text(ts.slice(k, m + 1)));
    }
    k = m;
  }
  return out;
}

const op = (value: string, at: Token): Token => ({ kind: 'op', value, text: value, start: at.start, end: at.end, spaceBefore: at.spaceBefore });

export function groupingSetKeys(tokens: Token[]): void {
  for (let g = tokens.length - 1; g >= 0; g--) {
    if (!isKeyword(tokens[g], 'GROUP') || !isKeyword(tokens[g + 1], 'BY')) continue;
    if (isKeyword(tokens[g + 2], 'ALL')) {
      groupByAllAggregates(tokens, g + 2);
      continue;
    }
    const end = clauseEnd(tokens, g + 2, GROUP_ENDS);
    const found = leaves(tokens, g + 2, end, false);
    if (!found.sets) continue;
    const sel = selectOf(tokens, g);
    if (sel < 0) continue;
    let from = sel + 1;
    while (isKeyword(tokens[from], 'DISTINCT', 'ALL')) from++;
    if (isKeyword(tokens[from], 'AS') && isKeyword(tokens[from + 1], 'STRUCT', 'VALUE')) from += 2;
    const list = split(tokens, from, clauseEnd(tokens, from, ['FROM'])).map(([s, e]) => tokens.slice(s, e));
    const star = list.some((item) => item.some((x, j) => isOp(x, '*') && (j === 0 || isOp(item[j - 1], '.'))));
    const aliases = selectAliases(list);
    // each item's replacement: an ordinal's or alias's expression, in parentheses
    const originals = found.items.map(([s, e]) => tokens.slice(s, e));
    const keys = originals.map((item): Token[] => {
      const one = item.length === 1 ? item[0]! : undefined;
      let expr: Token[] | undefined;
      if (one?.kind === 'number' && /^\d+$/.test(one.value) && !star) {
        const target = list[Number(one.value) - 1];
        if (!target) return item;
        const explicit = target.length > 2 && isKeyword(target[target.length - 2], 'AS') ? target.slice(0, -2) : undefined;
        expr = explicit ?? [...selectAliases([target]).values()][0] ?? target;
        const constant = expr.every((x) => x.kind === 'number' || x.kind === 'string' || x.kind === 'bytes' || isOp(x, '(', ')', '-') || isKeyword(x, 'TRUE', 'FALSE', 'NULL', 'CAST', 'AS', 'INT64', 'STRING', 'FLOAT64', 'BOOL', 'NUMERIC'));
        if (constant) throw new BigQueryApiError('invalidQuery', `GROUP BY ROLLUP, CUBE or GROUPING SETS by the constant select item ${one.value} is not supported by the embedded BigQuery`);
      } else if (one && isName(one)) expr = aliases.get(one.value.toLowerCase());
      return expr ? [op('(', item[0]!), ...expr.map((x) => ({ ...x })), op(')', item[item.length - 1]!)] : item;
    });
    const bare = new Set(keys.filter((k) => isPath(unwrap(k))).map((k) => text(unwrap(k))));
    // a key named by an ordinal or alias is that select item itself, which shows the key's value
    const named = new Set(keys.filter((k, n) => k !== originals[n]).map((k) => text(unwrap(k))));
    const wrapped = new Set<string>();
    const out = keys.map((k) => {
      const core = unwrap(k);
      if (isPath(core) || named.has(text(core)) || !pathPrefixes(core).some((p) => bare.has(p))) return k;
      wrapped.add(text(core));
      const at = k[0]!;
      return [{ kind: 'ident' as const, value: 'COALESCE', text: 'COALESCE', start: at.start, end: at.end, spaceBefore: at.spaceBefore }, op('(', at), ...core, op(')', at)];
    });
    if (wrapped.size > 0) refuseGroupingOf(tokens, sel, wrapped);
    groupingOfAliases(tokens, end, aliases);
    for (let n = found.items.length - 1; n >= 0; n--) {
      const [s, e] = found.items[n]!;
      if (out[n] !== originals[n]) tokens.splice(s, e - s, ...out[n]!);
    }
  }
}

/**
 * `GROUP BY ALL` that infers no grouping key (`SELECT 'a' AS x FROM t GROUP BY ALL`) groups by (): one
 * row. DuckDB then takes the query as not grouped, a row per input row, unless it aggregates or has a
 * HAVING; a `HAVING TRUE` makes it grouped, and changes nothing where keys are inferred.
 */
function groupByAllAggregates(tokens: Token[], all: number): void {
  if (isKeyword(tokens[all + 1], 'HAVING')) return;
  const at = tokens[all]!;
  const word = (value: string): Token => ({ kind: 'ident', value, text: value, start: at.start, end: at.end, spaceBefore: true });
  tokens.splice(all + 1, 0, word('HAVING'), word('TRUE'));
}

/** The tokens inside any number of enclosing parentheses. */
function unwrap(ts: Token[]): Token[] {
  let cur = ts;
  while (cur.length >= 2 && isOp(cur[0], '(') && isOp(cur[cur.length - 1], ')') && clauseEnd(cur, 1, []) === cur.length - 1) cur = cur.slice(1, -1);
  return cur;
}

/** `GROUPING(alias)` after the GROUP BY (HAVING, QUALIFY, ORDER BY) → GROUPING(expr): DuckDB reads no alias there. */
function groupingOfAliases(tokens: Token[], from: number, aliases: Map<string, Token[]>): void {
  const last = clauseEnd(tokens, from, ['UNION', 'EXCEPT', 'INTERSECT']);
  for (let k = last - 3; k >= from; k--) {
    if (!isKeyword(tokens[k], 'GROUPING') || !isOp(tokens[k + 1], '(') || !isName(tokens[k + 2]) || !isOp(tokens[k + 3], ')')) continue;
    const expr = aliases.get(tokens[k + 2]!.value.toLowerCase());
    if (expr) tokens.splice(k + 2, 1, ...expr.map((x) => ({ ...x })));
  }
}

/** GROUPING(expr) of a key written as COALESCE(expr), in the query of the SELECT at sel: loud. */
function refuseGroupingOf(tokens: Token[], sel: number, wrapped: Set<string>): void {
  for (let k = sel; k < tokens.length && tokens[k]!.kind !== 'eof'; k++) {
    if (!isKeyword(tokens[k], 'GROUPING') || !isOp(tokens[k + 1], '(')) continue;
    const close = closing(tokens, k + 1);
    if (wrapped.has(text(unwrap(tokens.slice(k + 2, close))))) {
      throw new BigQueryApiError('invalidQuery', 'GROUPING() of a grouping key that is an expression over another grouping key is not supported by the embedded BigQuery');
    }
  }
}
