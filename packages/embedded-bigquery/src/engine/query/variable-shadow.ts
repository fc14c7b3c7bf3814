/**
 * In BigQuery a column of a table the statement reads shadows a script variable of the same name
 * (`DECLARE x INT64 DEFAULT 5; SELECT x FROM t` reads t.x). The translator substitutes variables by
 * name, so where a statement both names a variable and reads a column (or a subquery alias) of that
 * name, it fails loudly instead of answering with the variable.
 */
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { quoteIdent } from '../type-mapping.js';
import { unsupported } from '../errors.js';
import { onlyVariablePaths } from '../sql/variable-fields.js';
import type { TableReference } from '../types.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineCore } from '../engine-core.js';

/** The parts of a query session the check reads. */
export interface ShadowScope {
  variables: ReadonlySet<string>;
  tempTables: ReadonlySet<string>;
  conn: DuckDBConnection;
  core: Pick<EngineCore, 'tableMeta'>;
}

/** Variables the statement names as bare identifiers (not `t.x`, `x.f`, `AS x` or a call `x(...)`). */
function namedVariables(s: ShadowScope, stmt: Token[]): Set<string> {
  const out = new Set<string>();
  stmt.forEach((t, k) => {
    if (t.kind !== 'ident' || !s.variables.has(t.value.toLowerCase())) return;
    const prev = stmt[k - 1];
    const next = stmt[k + 1];
    // `x.f` reads a field of variable x where the statement never names x otherwise (variable-fields.ts)
    if (isOp(prev, '.') || isKeyword(prev, 'AS') || (isOp(next, '.') && !onlyVariablePaths(stmt, t.value.toLowerCase())) || isOp(next, '(')) return;
    out.add(t.value.toLowerCase());
  });
  return out;
}

export async function checkVariableShadowing(s: ShadowScope, refs: TableReference[], stmt: Token[], insertTarget?: TableReference): Promise<void> {
  if (s.variables.size === 0) return;
  const named = namedVariables(s, stmt);
  if (named.size === 0) return;
  const fail = (name: string, where: string): never => {
    throw unsupported(`Script variable ${name} named in a statement that also reads a column ${name} (${where}); BigQuery reads the column there, and choosing between them the way BigQuery does`);
  };
  for (const ref of refs) {
    if (insertTarget && ref === insertTarget) continue;
    const meta = await s.core.tableMeta(s.conn, ref);
    for (const f of meta?.schema?.fields ?? []) if (named.has(f.name.toLowerCase())) fail(f.name, `of table ${ref.datasetId}.${ref.tableId}`);
  }
  const temps = new Set(stmt.filter((t) => (t.kind === 'ident' || t.kind === 'quoted') && s.tempTables.has(t.value.toLowerCase())).map((t) => t.value.toLowerCase()));
  for (const name of temps) {
    const cols = (await s.conn.runAndReadAll(`SELECT * FROM temp.main.${quoteIdent(name)} LIMIT 0`)).columnNames();
    for (const c of cols) if (named.has(c.toLowerCase())) fail(c, `of temporary table ${name}`);
  }
  // a subquery or WITH clause whose output column has the variable's name
  if (stmt.filter((t) => isKeyword(t, 'SELECT')).length > 1) {
    stmt.forEach((t, k) => {
      if (isKeyword(stmt[k - 1], 'AS') && (t.kind === 'ident' || t.kind === 'quoted') && named.has(t.value.toLowerCase())) fail(t.value, 'an alias in a subquery');
    });
  }
}
