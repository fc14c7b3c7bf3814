/**
 * A view is billed as the tables its query reads ("Querying a view": the bytes of the underlying
 * tables): the view's text is read as a statement of its own, its tables' referenced columns
 * charged over the partitions its own filters keep and, for a view read once, those the reading
 * query's filters on it keep (estimate.ts; through one view, not a view of a view).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { splitStatements, tokenize, type Token } from '../sql/tokenizer.js';
import { Translator, type TranslateEnv } from '../sql/translator.js';
import type { TableReference, TableResource } from '../types.js';

export interface ViewScope {
  conn: DuckDBConnection;
  env: Omit<TranslateEnv, 'bindParam'>;
  tableMeta(conn: DuckDBConnection, ref: TableReference): Promise<TableResource | undefined>;
}

/** The view's statement and the catalog tables (and views) it reads; null when its text cannot be read here. */
export async function viewReads(scope: ViewScope, meta: TableResource): Promise<{ stmt: Token[]; reads: { ref: TableReference; meta: TableResource }[] } | null> {
  const query = meta.view?.query;
  if (!query) return null;
  try {
    const statements = splitStatements(tokenize(query));
    if (statements.length !== 1) return null;
    const stmt = statements[0]!;
    const t = new Translator(stmt, { ...scope.env, bindParam: () => 'NULL' });
    t.translateAll();
    const reads: { ref: TableReference; meta: TableResource }[] = [];
    const seen = new Set<string>();
    for (const ref of t.tables) {
      const key = `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const m = await scope.tableMeta(scope.conn, ref);
      if (m) reads.push({ ref, meta: m });
    }
    return { stmt, reads };
  } catch {
    return null;
  }
}
