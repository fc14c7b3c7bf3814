/**
 * A name in an expression (a column, a path through fields, a script variable, a function
 * parameter, a FOR loop's row, `CURRENT_DATE` without parentheses) as DuckDB SQL. Split out of
 * translator.ts: the translator reads the path's tokens, this decides what the name is.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { BARE_CALLS, DUCKDB_ONLY_KEYWORDS } from './keywords.js';
import type { TranslateEnv } from './translate-env.js';
import type { ValueTableNames } from './value-table-fields.js';
import { variableFieldSql } from './variable-fields.js';

export interface NameContext {
  readonly tokens: Token[];
  readonly env: TranslateEnv;
  readonly valueTables: ValueTableNames;
  /** Aliases (lower case) of every `UNNEST(...) [AS] name` in the statement. */
  readonly unnestAliases: ReadonlySet<string>;
  /**
   * Aliases (lower case) of UNNESTs whose table here is `AS a(a)` or `AS a` with a column `a` (the
   * element as one column, not its fields): `a.f` then reads field f of that column, `"a"."a"."f"`,
   * since DuckDB takes `a.f` for column f of table a first (`feature.feature` was the whole element).
   */
  readonly elementAliases: ReadonlySet<string>;
  call(name: string, open: number, close: number): string;
}

/**
 * The name at i (its path `parts`, tokens [i, next)) as DuckDB SQL; `plain` when it is a path that
 * reads as written (which a preceding `(expr).` may take as its field), `element` when it reads a
 * field of an element alias (the caller names a select item so, as BigQuery names it implicitly).
 */
export function nameSql(c: NameContext, i: number, parts: string[], next: number, anyQuoted: boolean, prevSig: Token | undefined): { sql: string; plain: boolean; element?: boolean } {
  const t = c.tokens[i]!;
  const up = t.kind === 'ident' ? t.value.toUpperCase() : '';
  const first = parts[0]!.toLowerCase();
  const bare = !isOp(prevSig, '.') && !isKeyword(prevSig, 'AS');
  // another UNNEST's alias, read bare (value-table-fields.ts)
  const qualified = parts.length === 1 ? c.valueTables.qualified.get(i) : undefined;
  if (qualified) return { sql: qualified, plain: false };
  // CURRENT_DATE etc. without (): no arguments
  if (parts.length === 1 && t.kind === 'ident' && BARE_CALLS.test(up) && bare) return { sql: c.call(up, i, i + 1), plain: false };
  const param = c.env.functionParams?.get(first);
  if (param && bare && !isOp(c.tokens[next], '(') && !(parts.length > 1 && c.unnestAliases.has(first))) {
    return { sql: [`(${param})`, ...parts.slice(1).map(quoteIdent)].join('.'), plain: false };
  }
  if (parts.length === 1 && t.kind === 'ident' && c.env.variables.has(first) && bare && !isOp(c.tokens[next], '.')) {
    return { sql: `getvariable(${quoteString(first)})`, plain: false };
  }
  const field = t.kind === 'ident' && !isOp(c.tokens[next], '(') ? variableFieldSql(c.tokens, c.env.variables, parts, quoteIdent, bare) : undefined;
  // a select item `v.n` is named by its last field, as any path (element: the caller names it)
  if (field) return { sql: field, plain: false, element: true };
  if (parts.length > 1 && t.kind === 'ident' && c.env.rowVariables?.has(first) && bare) {
    return { sql: [`getvariable(${quoteString(first)})`, ...parts.slice(1).map(quoteIdent)].join('.'), plain: false };
  }
  // `UNNEST(...) WITH OFFSET` without an alias names the column `offset`, a keyword to DuckDB: read bare (`ORDER BY OFFSET`) it is quoted;
  // after LIMIT's count it is LIMIT's OFFSET
  if (parts.length === 1 && up === 'OFFSET' && bare && !isOp(c.tokens[next], '(') && !['number', 'param', 'positional'].includes(prevSig?.kind ?? '') && withOffset(c.tokens)) {
    return { sql: quoteIdent('offset'), plain: false };
  }
  const path = parts.map((p, k) => (t.kind === 'quoted' || (k > 0 && anyQuoted) || DUCKDB_ONLY_KEYWORDS.has(p.toUpperCase()) ? quoteIdent(p) : p)).join('.');
  if (parts.length > 1 && !isOp(prevSig, '.') && c.elementAliases.has(first)) return { sql: `${quoteIdent(parts[0]!)}.${path}`, plain: false, element: true };
  return { sql: path, plain: true };
}

/** Whether the statement has a `WITH OFFSET` without an alias of its own. */
function withOffset(tokens: Token[]): boolean {
  return tokens.some((x, k) => isKeyword(x, 'WITH') && isKeyword(tokens[k + 1], 'OFFSET') && !(tokens[k + 2]?.kind === 'ident' && !isKeyword(tokens[k + 2], 'ORDER', 'WHERE', 'GROUP', 'LIMIT', 'HAVING', 'WINDOW', 'QUALIFY', 'UNION', 'EXCEPT', 'INTERSECT', 'LEFT', 'RIGHT', 'INNER', 'CROSS', 'FULL', 'JOIN', 'ON')) && tokens[k + 2]?.kind !== 'quoted' && !isKeyword(tokens[k + 2], 'AS'));
}
