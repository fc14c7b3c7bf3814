/**
 * A field of a STRUCT script variable, `v.f` (`DECLARE v STRUCT<n INT64, ...>; SET v = (SELECT AS
 * STRUCT ...); UPDATE t SET n = v.n`). In BigQuery a name of the statement's own (a table alias, a
 * table, a column) comes before a variable; the translator reads `v.f` as the variable's field only
 * where the statement never names v otherwise: every v in it is bare or heads a path `v.f` (no
 * `AS v`, no `FROM v`, no `t.v`, no `name v` alias). A column v of a table the statement reads is caught by the
 * shadowing check (variable-shadow.ts), which fails loudly.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { quoteString } from '../type-mapping.js';

/** Whether every occurrence of `name` (lowercase) in `tokens` is the variable: bare, or heading a path `name.field`, never an alias, a table or a field. */
export function onlyVariablePaths(tokens: Token[], name: string): boolean {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if ((t.kind !== 'ident' && t.kind !== 'quoted') || t.value.toLowerCase() !== name) continue;
    if (t.kind === 'quoted' || isOp(tokens[k - 1], '.')) return false;
    const prev = tokens[k - 1];
    // an alias (`t v`, `AS v`) or a table name (`FROM v`, `JOIN v`)
    if (isKeyword(prev, 'AS', 'FROM', 'JOIN', 'UPDATE', 'INTO', 'TABLE') || prev?.kind === 'quoted') return false;
  }
  return true;
}

/** DuckDB SQL for the field path `parts` (`v`, `f`, ...) of script variable v, or undefined when it is no variable's field. */
export function variableFieldSql(tokens: Token[], variables: ReadonlySet<string>, parts: string[], quote: (s: string) => string, bare: boolean): string | undefined {
  const first = parts[0]!.toLowerCase();
  if (parts.length < 2 || !bare || !variables.has(first) || !onlyVariablePaths(tokens, first)) return undefined;
  return [`getvariable(${quoteString(first)})`, ...parts.slice(1).map(quote)].join('.');
}
