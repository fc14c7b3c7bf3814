/**
 * tables.insert of a view or a materialized view (a resource with `view` or `materializedView`):
 * the CREATE statement the resource describes runs like a query, so the view's SQL is checked and
 * translated as in DDL; the resource's other fields (description, labels, ...) are kept.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BigQueryApiError, type TableResource } from '../types.js';
import { readTable, writeTable } from '../catalog.js';
import { rollback } from '../rollback.js';
import { pickMeta } from '../table-resources.js';
import type { EngineCore } from '../engine-core.js';
import type { LockOwner } from '../table-locks.js';
import { QueryRunner } from '../query-runner.js';

/** The created resource, or undefined when the resource is neither kind of view. */
export async function createViewFromResource(core: EngineCore, conn: DuckDBConnection, owner: LockOwner, table: TableResource): Promise<TableResource | undefined> {
  const ref = table.tableReference;
  const name = `\`${ref.projectId}.${ref.datasetId}.${ref.tableId}\``;
  let sql: string;
  if (table.view) sql = `CREATE VIEW ${name} AS ${table.view.query}`;
  else if (table.materializedView) {
    const mv = table.materializedView;
    if (typeof mv.query !== 'string' || mv.query.trim() === '') throw new BigQueryApiError('invalid', `tables.insert ${ref.datasetId}.${ref.tableId}: materializedView.query is required`);
    const options: string[] = [];
    if (mv.enableRefresh !== undefined) options.push(`enable_refresh = ${mv.enableRefresh === true}`);
    if (mv.refreshIntervalMs !== undefined) options.push(`refresh_interval_minutes = ${Number(mv.refreshIntervalMs) / 60000}`);
    if (mv.allowNonIncrementalDefinition !== undefined) options.push(`allow_non_incremental_definition = ${mv.allowNonIncrementalDefinition === true}`);
    sql = `CREATE MATERIALIZED VIEW ${name}${options.length > 0 ? ` OPTIONS (${options.join(', ')})` : ''} AS ${mv.query}`;
  } else return undefined;
  const runner = new QueryRunner(core, conn, { projectId: ref.projectId, defaultDataset: { projectId: ref.projectId, datasetId: ref.datasetId } }, false, owner);
  await runner.run(sql);
  const meta = (await readTable(conn, ref))!;
  const merged: TableResource = { ...meta, ...pickMeta(table), ...(table.view ? { view: { query: table.view.query, useLegacySql: false } } : {}) };
  await conn.run('BEGIN TRANSACTION');
  try {
    await writeTable(conn, merged);
    await conn.run('COMMIT');
  } catch (e) {
    await rollback(conn);
    throw e;
  }
  return merged;
}
