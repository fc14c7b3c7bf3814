/**
 * Table operands whose SQL depends on the catalog's current contents, built before a statement is
 * translated (the translator resolves paths synchronously): wildcard tables `dataset.prefix*` with
 * their `_TABLE_SUFFIX` pseudo-column, and INFORMATION_SCHEMA.PARTITIONS, which counts the rows of
 * each partition in the data itself; and the pseudo-columns of ingestion-time partitioned tables,
 * which `SELECT *` leaves out (ingestion-time.ts).
 */
import { BigQueryApiError, type TableResource } from '../types.js';
import { notFoundTable } from '../errors.js';
import type { Token } from '../sql/tokenizer.js';
import { duckTypeOfField, quoteIdent, quoteString } from '../type-mapping.js';
import { listProjectTableResources, listTableResources, tableSql } from '../catalog.js';
import type { ResolvedTable } from '../sql/translator.js';
import type { QuerySession } from './session.js';
import { readDottedPath, startsPath } from './dotted-paths.js';
import { isIngestionTime, PSEUDO_COLUMNS } from '../ingestion-time.js';
import { tableOptionsView } from './table-options-view.js';
import { partitionIdSql, tableStorageView } from './table-storage-view.js';
import { prepareArrayPaths } from './array-path-probe.js';
import { prepareOverloads } from './overload-probe.js';
import { prepareSetOperations } from './set-operation-probe.js';

/** Dotted paths in a statement (backticked parts split on dots), with where each starts. */
function paths(tokens: Token[]): string[][] {
  const out: string[][] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (!startsPath(tokens, k)) continue;
    const { parts, end } = readDottedPath(tokens, k);
    k = end;
    out.push(parts);
  }
  return out;
}

export async function prepareCatalogReads(s: QuerySession, tokens: Token[]): Promise<void> {
  // only a * can reach an ingestion-time table's hidden columns without naming them
  const star = tokens.some((t) => t.kind === 'op' && t.value === '*');
  for (const parts of paths(tokens)) {
    const key = parts.join('.').toLowerCase();
    if (s.preparedTables.has(key)) continue;
    const last = parts[parts.length - 1]!;
    if (last.endsWith('*') && parts.length >= 2 && parts.length <= 3) {
      s.preparedTables.set(key, await wildcard(s, parts));
      s.pseudoColumns.add('_TABLE_SUFFIX');
    } else if (parts.length >= 2 && parts.length <= 4 && parts[parts.length - 2]!.toUpperCase() === 'INFORMATION_SCHEMA' && CATALOG_VIEWS.has(last.toUpperCase())) {
      const scope = parts.slice(0, -2);
      const view = last.toUpperCase();
      s.preparedTables.set(key, view === 'PARTITIONS' ? await partitions(s, scope) : view === 'TABLE_OPTIONS' ? await tableOptionsView(tablesIn(s, scope)) : await tableStorageView(s, tablesIn(s, scope)));
    } else if (star && parts.length <= 3 && !parts.some((p) => p.toUpperCase() === 'INFORMATION_SCHEMA')) {
      let ref;
      try {
        ref = s.resolveTable(parts, false)?.ref;
      } catch {
        ref = undefined;
      }
      if (ref && isIngestionTime(await s.core.tableMeta(s.conn, ref))) for (const c of PSEUDO_COLUMNS) s.pseudoColumns.add(c);
    }
  }
  // paths that read fields through arrays need their types, which only binding the query tells
  await prepareArrayPaths(s, tokens);
  await prepareOverloads(s, tokens);
  await prepareSetOperations(s, tokens);
}

/** INFORMATION_SCHEMA views built here from the catalog and the data (the others are plain SQL: information-schema.ts). */
const CATALOG_VIEWS = new Set(['PARTITIONS', 'TABLE_OPTIONS', 'TABLE_STORAGE', 'TABLE_STORAGE_BY_PROJECT']);

/** The tables a dataset-level (`ds.INFORMATION_SCHEMA`) or region-level (`region-us.INFORMATION_SCHEMA`, every dataset of the project) view covers. */
function tablesIn(s: QuerySession, scope: string[]): () => Promise<TableResource[]> {
  const region = scope.length > 0 && /^region-/i.test(scope[scope.length - 1]!);
  if (region) {
    const projectId = scope.length === 2 ? scope[0]! : s.options.projectId;
    return () => listProjectTableResources(s.conn, projectId);
  }
  const ds = datasetOf(s, scope);
  return () => listTableResources(s.conn, ds);
}

function datasetOf(s: QuerySession, scope: string[]): { projectId: string; datasetId: string } {
  if (scope.length === 2) return { projectId: scope[0]!, datasetId: scope[1]! };
  if (scope.length === 1) return { projectId: s.options.projectId, datasetId: scope[0]! };
  if (s.defaultDataset) return s.defaultDataset;
  throw new BigQueryApiError('invalidQuery', 'Table name must be qualified with a dataset (e.g. dataset.table)');
}

/**
 * BigQuery's wildcard table: the union of the matching tables, in the schema of the most recently
 * created one (a column it lacks elsewhere reads NULL there), plus `_TABLE_SUFFIX`.
 */
async function wildcard(s: QuerySession, parts: string[]): Promise<ResolvedTable> {
  const ds = datasetOf(s, parts.slice(0, -1));
  const prefix = parts[parts.length - 1]!.slice(0, -1);
  if (prefix.includes('*')) throw new BigQueryApiError('invalidQuery', 'A wildcard table name may only end with *');
  const matched = (await listTableResources(s.conn, ds)).filter((t) => t.tableReference.tableId.startsWith(prefix) && t.tableReference.tableId.length > prefix.length);
  if (matched.length === 0) throw notFoundTable({ ...ds, tableId: `${prefix}*` });
  s.preparedReads.push(...matched.map((t) => t.tableReference));
  const view = matched.find((t) => t.type === 'VIEW');
  if (view) throw new BigQueryApiError('invalidQuery', `Views cannot be queried through prefix. First view ${ds.projectId}:${ds.datasetId}.${view.tableReference.tableId}.`);
  const newest = matched.reduce((a, b) => (Number(b.creationTime ?? 0) >= Number(a.creationTime ?? 0) ? b : a));
  const fields = newest.schema?.fields ?? [];
  const selects = matched.map((t: TableResource) => {
    const has = new Set((t.schema?.fields ?? []).map((f) => f.name.toLowerCase()));
    const cols = fields.map((f) => (has.has(f.name.toLowerCase()) ? quoteIdent(f.name) : `CAST(NULL AS ${duckTypeOfField(f)}) AS ${quoteIdent(f.name)}`));
    const suffix = quoteString(t.tableReference.tableId.slice(prefix.length));
    return `SELECT ${[...cols, `${suffix} AS _TABLE_SUFFIX`].join(', ')} FROM ${tableSql(t.tableReference)}`;
  });
  return { sql: `(${selects.join(' UNION ALL ')})` };
}

/**
 * One row per partition of each table with its row count (a table that is not partitioned: one
 * row, partition_id NULL). Per-partition modification times, bytes and storage tiers are not
 * tracked, so those columns are absent: a query naming them fails instead of reading a guess.
 */
async function partitions(s: QuerySession, scope: string[]): Promise<ResolvedTable> {
  const ds = datasetOf(s, scope);
  const tables = (await listTableResources(s.conn, ds)).filter((t) => t.type !== 'VIEW');
  const selects = tables.map((t) => {
    const ref = t.tableReference;
    const head = `${quoteString(ref.projectId)} AS table_catalog, ${quoteString(ref.datasetId)} AS table_schema, ${quoteString(ref.tableId)} AS table_name`;
    const id = partitionIdSql(t);
    if (!id) return `SELECT ${head}, CAST(NULL AS VARCHAR) AS partition_id, count(*) AS total_rows FROM ${tableSql(ref)}`;
    return `SELECT ${head}, ${id} AS partition_id, count(*) AS total_rows FROM ${tableSql(ref)} GROUP BY ${id}`;
  });
  if (selects.length === 0) {
    return { sql: `(SELECT CAST(NULL AS VARCHAR) AS table_catalog, CAST(NULL AS VARCHAR) AS table_schema, CAST(NULL AS VARCHAR) AS table_name, CAST(NULL AS VARCHAR) AS partition_id, CAST(NULL AS BIGINT) AS total_rows WHERE false)` };
  }
  return { sql: `(${selects.join(' UNION ALL ')})` };
}
