/**
 * Names of aliased UNNESTs in one statement. An aliased UNNEST is a value table: over an array of
 * STRUCTs its fields are columns (query-syntax#unnest_operator), so `key` and `UNNEST(value)` read
 * fields of `UNNEST(request_query) AS query`. A range variable takes precedence over a column of the
 * same name, so where another UNNEST's alias is visible, its bare name is that alias, never a field.
 * DuckDB has no such precedence; those bare names are written qualified (`"value"."value"`), which
 * lets the fields of the other UNNESTs be columns beside them (DFE's `UNNEST(request_query) AS query,
 * UNNEST(value) AS value` selects `query.key, value`). An UNNEST whose own alias is read bare keeps its
 * fields unexposed (DuckDB's row of the exposed fields is not the element: a NULL element, aggregates).
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { CLAUSE_ENDS, NOT_FUNCTIONS } from './keywords.js';
import { quoteIdent } from '../type-mapping.js';

const JOIN_WORDS = new Set(['LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'JOIN', 'ON', 'USING', 'AS', 'WITH', 'TABLESAMPLE', 'FOR', 'PIVOT', 'UNPIVOT']);

/** A token that can be an alias: a backticked name, or an identifier that is no keyword of a FROM clause. */
export const isName = (x: Token | undefined): boolean =>
  x !== undefined && (x.kind === 'quoted' || (x.kind === 'ident' && !JOIN_WORDS.has(x.value.toUpperCase()) && !CLAUSE_ENDS.has(x.value.toUpperCase()) && !NOT_FUNCTIONS.has(x.value.toUpperCase())));

export interface ValueTableNames {
  /** Token indexes of the UNNEST keywords whose STRUCT fields may be columns. */
  readonly exposed: ReadonlySet<number>;
  /** Token indexes of bare names that are another UNNEST's alias, and the SQL that reads that alias's element. */
  readonly qualified: ReadonlyMap<number, string>;
}

interface UnnestItem {
  /** the UNNEST keyword, the alias token, and the UNNEST's argument [from, to) */
  at: number;
  aliasAt: number;
  alias: string;
  from: number;
  to: number;
}

/** The aliased UNNESTs of every query of the statement, their exposure and the bare names to qualify. `match` pairs brackets both ways (brackets.ts). */
export function valueTableNames(tokens: Token[], match: number[]): ValueTableNames {
  const exposed = new Set<number>();
  const qualified = new Map<number, string>();
  const close = (k: number): number => match[k] ?? k;
  // the query each UNNEST belongs to: the inside of the innermost brackets around it, or the whole statement
  const scopes = new Map<string, [number, number]>();
  const scopeOf = (i: number): [number, number] => {
    for (let k = i - 1; k >= 0; k--) {
      if (isOp(tokens[k], ')', ']')) k = match[k] ?? k;
      else if (isOp(tokens[k], '(', '[')) return [k + 1, close(k)];
    }
    return [0, tokens.length];
  };
  tokens.forEach((x, k) => {
    if (isKeyword(x, 'UNNEST') && isOp(tokens[k + 1], '(')) {
      const [lo, hi] = scopeOf(k);
      scopes.set(`${lo}:${hi}`, [lo, hi]);
    }
  });
  for (const [lo, hi] of scopes.values()) {
    const items: UnnestItem[] = [];
    for (let k = lo; k < hi; k++) {
      if (!isKeyword(tokens[k], 'UNNEST') || !isOp(tokens[k + 1], '(')) continue;
      // an UNNEST of a query nested in this one is that query's (its alias is not a name here)
      if (scopeOf(k)[0] !== lo) continue;
      const end = close(k + 1);
      const a = isKeyword(tokens[end + 1], 'AS') ? end + 2 : end + 1;
      if (isName(tokens[a])) items.push({ at: k, aliasAt: a, alias: tokens[a]!.value.toLowerCase(), from: k + 2, to: end });
    }
    const bare = (k: number, name: string): boolean => {
      const x = tokens[k]!;
      if ((x.kind !== 'ident' && x.kind !== 'quoted') || x.value.toLowerCase() !== name) return false;
      if (isKeyword(tokens[k - 1], 'AS') || isOp(tokens[k + 1], '.', '(') || isOp(tokens[k - 1], '.') || isOp(tokens[k + 1], '=>')) return false;
      // inside an UNNEST argument left of the alias (its own or an earlier one's) the name is not the alias yet
      return !items.some((u) => u.alias === name && (u.aliasAt === k || (k < u.aliasAt && items.some((w) => k >= w.from && k < w.to))));
    };
    const used = (name: string): number[] => {
      const out: number[] = [];
      for (let k = lo; k < hi; k++) if (bare(k, name)) out.push(k);
      return out;
    };
    // pipe syntax reads each stage's output by column name, so there a bare alias is never qualified: as before, fields are exposed only where no alias is read bare
    const pipes = tokens.some((x) => isOp(x, '|>'));
    if (pipes && items.some((u) => used(u.alias).length > 0)) continue;
    for (const u of items) {
      if (used(u.alias).length === 0) exposed.add(u.at);
    }
    // the bare names of the UNNESTs that keep their fields, where this query reads them as the range variable
    for (const u of items) {
      if (exposed.has(u.at)) continue;
      for (const k of used(u.alias)) if (sameLevel(tokens, match, lo, k) && visibleAt(tokens, match, lo, hi, u, k)) qualified.set(k, `${quoteIdent(tokens[u.aliasAt]!.value)}.${quoteIdent(tokens[u.aliasAt]!.value)}`);
    }
  }
  return { exposed, qualified };
}

/** Whether token k is in the query that starts at lo, not in a subquery nested in it, nor in a USING or EXCEPT list. */
function sameLevel(tokens: Token[], match: number[], lo: number, k: number): boolean {
  for (let j = k - 1; j >= lo; j--) {
    if (isOp(tokens[j], ')', ']')) {
      j = match[j] ?? j;
      continue;
    }
    if (!isOp(tokens[j], '(')) continue;
    if (isKeyword(tokens[j + 1], 'SELECT', 'WITH') || isKeyword(tokens[j - 1], 'USING', 'EXCEPT')) return false;
  }
  return true;
}

/** Whether the alias of u is visible at token k of u's SELECT: after it, or before the FROM clause it is part of (the select list). */
function visibleAt(tokens: Token[], match: number[], lo: number, hi: number, u: UnnestItem, k: number): boolean {
  // u's SELECT ends at a set operation of its level (the next SELECT does not see u)
  for (let j = u.aliasAt + 1; j < k; j++) {
    if (isOp(tokens[j], '(', '[')) j = match[j] ?? j;
    else if (isSetOperation(tokens, j)) return false;
  }
  if (k > u.aliasAt) return k < hi && !isKeyword(tokens[k - 1], 'FROM', 'JOIN') && !(orderByAt(tokens, match, u.aliasAt, k) && hasSetOperation(tokens, match, lo, hi));
  // the FROM and the SELECT of u's query, at u's level
  let from = -1;
  for (let j = u.at - 1; j >= lo; j--) {
    if (isOp(tokens[j], ')', ']')) {
      j = match[j] ?? j;
      continue;
    }
    if (isKeyword(tokens[j], 'FROM') && from < 0) from = j;
    if (isKeyword(tokens[j], 'SELECT')) return from >= 0 && k > j && k < from;
  }
  return false;
}

const isSetOperation = (tokens: Token[], j: number): boolean => isKeyword(tokens[j], 'UNION', 'INTERSECT') || (isKeyword(tokens[j], 'EXCEPT') && isKeyword(tokens[j + 1], 'DISTINCT', 'ALL'));

/** An ORDER BY at this level between from and k: after a set operation it orders the whole result, by output names. */
function orderByAt(tokens: Token[], match: number[], from: number, k: number): boolean {
  for (let j = from + 1; j < k; j++) {
    if (isOp(tokens[j], '(', '[')) j = match[j] ?? j;
    else if (isKeyword(tokens[j], 'ORDER')) return true;
  }
  return false;
}

function hasSetOperation(tokens: Token[], match: number[], lo: number, hi: number): boolean {
  for (let j = lo; j < hi; j++) {
    if (isOp(tokens[j], '(', '[')) j = match[j] ?? j;
    else if (isSetOperation(tokens, j)) return true;
  }
  return false;
}
