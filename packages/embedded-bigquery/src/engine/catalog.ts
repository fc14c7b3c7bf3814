/**
 * Dataset and table metadata (what DuckDB cannot hold: descriptions, labels, partitioning,
 * clustering, expiration, view text, BigQuery column types) kept in the same DuckDB file,
 * in schema `_landform`, so it shares transactions with the data it describes.
 * A dataset is the DuckDB schema named `<project>.<dataset>`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { DatasetReference, DatasetResource, RoutineReference, RoutineResource, TableFieldSchema, TableReference, TableResource } from './types.js';
import { quoteIdent } from './type-mapping.js';

export const CATALOG_SCHEMA = '_landform';

let generation = 0;

/**
 * A number that changes with every write of a catalog resource (dataset, table, routine) in this
 * process, on any connection: what a statement keeps of its catalog reads is good while it holds.
 */
export function catalogGeneration(): number {
  return generation;
}

export function schemaName(projectId: string, datasetId: string): string {
  return `${projectId}.${datasetId}`;
}

export function tableSql(ref: TableReference): string {
  return `${quoteIdent(schemaName(ref.projectId, ref.datasetId))}.${quoteIdent(ref.tableId)}`;
}

/** The DuckDB object a catalog table is: views and materialized views (answered from their query) are DuckDB views. */
export function duckKind(meta: Pick<TableResource, 'type'>): 'VIEW' | 'TABLE' {
  return meta.type === 'VIEW' || meta.type === 'MATERIALIZED_VIEW' ? 'VIEW' : 'TABLE';
}

export async function initCatalog(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${CATALOG_SCHEMA}`);
  await conn.run(`CREATE TABLE IF NOT EXISTS ${CATALOG_SCHEMA}.datasets (project VARCHAR, dataset VARCHAR, resource VARCHAR, PRIMARY KEY (project, dataset))`);
  await conn.run(`CREATE TABLE IF NOT EXISTS ${CATALOG_SCHEMA}.tables (project VARCHAR, dataset VARCHAR, table_id VARCHAR, resource VARCHAR, PRIMARY KEY (project, dataset, table_id))`);
  // one row per top-level column, for INFORMATION_SCHEMA.COLUMNS
  // persistent routines (procedures, SQL functions, table functions): their BigQuery resource
  await conn.run(`CREATE TABLE IF NOT EXISTS ${CATALOG_SCHEMA}.routines (project VARCHAR, dataset VARCHAR, routine_id VARCHAR, resource VARCHAR, PRIMARY KEY (project, dataset, routine_id))`);
  await conn.run(`CREATE TABLE IF NOT EXISTS ${CATALOG_SCHEMA}.columns (project VARCHAR, dataset VARCHAR, table_id VARCHAR, column_name VARCHAR, ordinal_position BIGINT, is_nullable VARCHAR, data_type VARCHAR, description VARCHAR, is_partitioning BOOLEAN, clustering_ordinal_position BIGINT)`);
}

export async function readDataset(conn: DuckDBConnection, ref: DatasetReference): Promise<DatasetResource | undefined> {
  const r = await conn.runAndReadAll(`SELECT resource FROM ${CATALOG_SCHEMA}.datasets WHERE project = $1 AND dataset = $2`, [ref.projectId, ref.datasetId]);
  const v = r.getRows()[0]?.[0];
  return typeof v === 'string' ? (JSON.parse(v) as DatasetResource) : undefined;
}

export async function listDatasetResources(conn: DuckDBConnection, projectId: string): Promise<DatasetResource[]> {
  const r = await conn.runAndReadAll(`SELECT resource FROM ${CATALOG_SCHEMA}.datasets WHERE project = $1 ORDER BY dataset`, [projectId]);
  return r.getRows().map((row) => JSON.parse(String(row[0])) as DatasetResource);
}

export async function writeDataset(conn: DuckDBConnection, d: DatasetResource): Promise<void> {
  generation++;
  const { projectId, datasetId } = d.datasetReference;
  await conn.run(`DELETE FROM ${CATALOG_SCHEMA}.datasets WHERE project = $1 AND dataset = $2`, [projectId, datasetId]);
  await conn.run(`INSERT INTO ${CATALOG_SCHEMA}.datasets VALUES ($1, $2, $3)`, [projectId, datasetId, JSON.stringify(d)]);
}

export async function removeDataset(conn: DuckDBConnection, ref: DatasetReference): Promise<void> {
  generation++;
  await conn.run(`DELETE FROM ${CATALOG_SCHEMA}.datasets WHERE project = $1 AND dataset = $2`, [ref.projectId, ref.datasetId]);
  await conn.run(`DELETE FROM ${CATALOG_SCHEMA}.tables WHERE project = $1 AND dataset = $2`, [ref.projectId, ref.datasetId]);
  await conn.run(`DELETE FROM ${CATALOG_SCHEMA}.routines WHERE project = $1 AND dataset = $2`, [ref.projectId, ref.datasetId]);
}

export async function readTable(conn: DuckDBConnection, ref: TableReference): Promise<TableResource | undefined> {
  const r = await conn.runAndReadAll(`SELECT resource FROM ${CATALOG_SCHEMA}.tables WHERE project = $1 AND dataset = $2 AND table_id = $3`, [
    ref.projectId,
    ref.datasetId,
    ref.tableId,
  ]);
  const v = r.getRows()[0]?.[0];
  return typeof v === 'string' ? (JSON.parse(v) as TableResource) : undefined;
}

export async function listTableResources(conn: DuckDBConnection, ref: DatasetReference): Promise<TableResource[]> {
  const r = await conn.runAndReadAll(`SELECT resource FROM ${CATALOG_SCHEMA}.tables WHERE project = $1 AND dataset = $2 ORDER BY table_id`, [ref.projectId, ref.datasetId]);
  return r.getRows().map((row) => JSON.parse(String(row[0])) as TableResource);
}

/** Every table of a project, dataset by dataset (region-level INFORMATION_SCHEMA views). */
export async function listProjectTableResources(conn: DuckDBConnection, projectId: string): Promise<TableResource[]> {
  const r = await conn.runAndReadAll(`SELECT resource FROM ${CATALOG_SCHEMA}.tables WHERE project = $1 ORDER BY dataset, table_id`, [projectId]);
  return r.getRows().map((row) => JSON.parse(String(row[0])) as TableResource);
}

export async function writeTable(conn: DuckDBConnection, t: TableResource): Promise<void> {
  generation++;
  const { projectId, datasetId, tableId } = t.tableReference;
  await removeTable(conn, t.tableReference);
  const stored: TableResource = { ...t };
  delete stored.numRows;
  delete stored.numBytes;
  await conn.run(`INSERT INTO ${CATALOG_SCHEMA}.tables VALUES ($1, $2, $3, $4)`, [projectId, datasetId, tableId, JSON.stringify(stored)]);
  const fields = t.schema?.fields ?? [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const cluster = t.clustering?.fields.findIndex((c) => c.toLowerCase() === f.name.toLowerCase()) ?? -1;
    await conn.run(`INSERT INTO ${CATALOG_SCHEMA}.columns VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      projectId, datasetId, tableId, f.name, i + 1, f.mode === 'REQUIRED' ? 'NO' : 'YES', standardTypeName(f), f.description ?? null,
      (t.timePartitioning?.field ?? t.rangePartitioning?.field)?.toLowerCase() === f.name.toLowerCase(), cluster >= 0 ? cluster + 1 : null,
    ]);
  }
}

export async function removeTable(conn: DuckDBConnection, ref: TableReference): Promise<void> {
  generation++;
  await conn.run(`DELETE FROM ${CATALOG_SCHEMA}.tables WHERE project = $1 AND dataset = $2 AND table_id = $3`, [ref.projectId, ref.datasetId, ref.tableId]);
  await conn.run(`DELETE FROM ${CATALOG_SCHEMA}.columns WHERE project = $1 AND dataset = $2 AND table_id = $3`, [ref.projectId, ref.datasetId, ref.tableId]);
}

export type { RoutineReference, RoutineResource } from './types.js';

export async function readRoutine(conn: DuckDBConnection, ref: RoutineReference): Promise<RoutineResource | undefined> {
  const r = await conn.runAndReadAll(`SELECT resource FROM ${CATALOG_SCHEMA}.routines WHERE project = $1 AND dataset = $2 AND routine_id = $3`, [ref.projectId, ref.datasetId, ref.routineId]);
  const v = r.getRows()[0]?.[0];
  return typeof v === 'string' ? (JSON.parse(v) as RoutineResource) : undefined;
}

export async function listRoutineResources(conn: DuckDBConnection, ref: DatasetReference): Promise<RoutineResource[]> {
  const r = await conn.runAndReadAll(`SELECT resource FROM ${CATALOG_SCHEMA}.routines WHERE project = $1 AND dataset = $2 ORDER BY routine_id`, [ref.projectId, ref.datasetId]);
  return r.getRows().map((row) => JSON.parse(String(row[0])) as RoutineResource);
}

export async function writeRoutine(conn: DuckDBConnection, routine: RoutineResource): Promise<void> {
  generation++;
  const { projectId, datasetId, routineId } = routine.routineReference;
  await removeRoutine(conn, routine.routineReference);
  await conn.run(`INSERT INTO ${CATALOG_SCHEMA}.routines VALUES ($1, $2, $3, $4)`, [projectId, datasetId, routineId, JSON.stringify(routine)]);
}

export async function removeRoutine(conn: DuckDBConnection, ref: RoutineReference): Promise<boolean> {
  generation++;
  const r = await conn.run(`DELETE FROM ${CATALOG_SCHEMA}.routines WHERE project = $1 AND dataset = $2 AND routine_id = $3`, [ref.projectId, ref.datasetId, ref.routineId]);
  return r.rowsChanged > 0;
}

/** GoogleSQL spelling of a field's type, as INFORMATION_SCHEMA.COLUMNS.data_type shows it. */
export function standardTypeName(f: TableFieldSchema): string {
  const names: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };
  let base = names[f.type] ?? f.type;
  if (base === 'STRUCT') base = `STRUCT<${(f.fields ?? []).map((x) => `${x.name} ${standardTypeName(x)}`).join(', ')}>`;
  if (base === 'RANGE') base = `RANGE<${f.rangeElementType?.type ?? ''}>`;
  return f.mode === 'REPEATED' ? `ARRAY<${base}>` : base;
}

/** Every catalog table in every dataset of a project (for INFORMATION_SCHEMA and path checks). */
export async function duckObjectType(conn: DuckDBConnection, ref: TableReference): Promise<'TABLE' | 'VIEW' | undefined> {
  const r = await conn.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2`,
    [schemaName(ref.projectId, ref.datasetId), ref.tableId],
  );
  const v = r.getRows()[0]?.[0];
  if (v === undefined) return undefined;
  return String(v) === 'VIEW' ? 'VIEW' : 'TABLE';
}

export async function schemaExists(conn: DuckDBConnection, ref: DatasetReference): Promise<boolean> {
  const r = await conn.runAndReadAll(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [schemaName(ref.projectId, ref.datasetId)]);
  return r.getRows().length > 0;
}
