/**
 * Table clones, copies and snapshots: `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t CLONE src`,
 * `CREATE TABLE t COPY src`, `CREATE SNAPSHOT TABLE [IF NOT EXISTS] s CLONE src`, each with
 * `[FOR SYSTEM_TIME AS OF ts] [OPTIONS(...)]`. The new table holds the source's rows, schema,
 * partitioning and clustering as of the statement (a copy here: BigQuery shares storage, which
 * nothing can observe but its bill). A snapshot is read-only. There is no time travel: a
 * FOR SYSTEM_TIME AS OF before the source's last change fails loudly instead of reading its current rows.
 */
import { BigQueryApiError, type TableReference, type TableResource } from '../types.js';
import { notFoundTable, unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { parseOptions, type OptionValue } from '../sql/ddl.js';
import { tableSql } from '../catalog.js';
import { readDottedPath, startsPath } from './dotted-paths.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { tableOptions } from './table-options.js';

export interface CloneRequest {
  ref: TableReference;
  snapshot: boolean;
  orReplace: boolean;
  ifNotExists: boolean;
}

export async function cloneTable(s: QuerySession, stmt: Token[], at: number, req: CloneRequest): Promise<StatementOutcome> {
  const verb = stmt[at]!.value.toUpperCase();
  if (req.snapshot && verb !== 'CLONE') throw new BigQueryApiError('invalidQuery', 'CREATE SNAPSHOT TABLE needs CLONE <source table>');
  if (!startsPath(stmt, at + 1)) throw new BigQueryApiError('invalidQuery', `Syntax error: ${verb} needs a source table`);
  const { parts, end } = readDottedPath(stmt, at + 1);
  const source = s.resolveTable(parts, true)?.ref;
  if (!source) throw new BigQueryApiError('invalidQuery', `Invalid table name ${parts.join('.')}`);
  const meta = await s.core.tableMeta(s.conn, source);
  if (!meta) throw notFoundTable(source);
  if (meta.type === 'VIEW') throw new BigQueryApiError('invalidQuery', `Cannot ${verb.toLowerCase()} a view: ${source.datasetId}.${source.tableId}`);
  let j = end + 1;
  let asOf = Date.now();
  if (isKeyword(stmt[j], 'FOR') && isKeyword(stmt[j + 1], 'SYSTEM_TIME') && isKeyword(stmt[j + 2], 'AS') && isKeyword(stmt[j + 3], 'OF')) {
    const stop = stmt.findIndex((t, k) => k > j + 3 && isKeyword(t, 'OPTIONS'));
    const expr = stmt.slice(j + 4, stop < 0 ? stmt.length : stop);
    const r = await s.exec(`SELECT epoch_ms(CAST((${s.translator(expr).translateAll()}) AS TIMESTAMPTZ))`);
    asOf = Number(r.getRows()[0]?.[0]);
    // rows are kept as of now only: a time before the last change this engine can vouch for has no answer here
    const changed = Math.max(Number(meta.lastModifiedTime ?? 0), s.core.locks.lastChange(`${source.projectId}:${source.datasetId}.${source.tableId}`));
    if (!(asOf >= changed)) {
      throw unsupported(`FOR SYSTEM_TIME AS OF a time before ${source.datasetId}.${source.tableId} last changed (no time travel here; the table's current rows are all it keeps)`);
    }
    if (asOf > Date.now()) throw new BigQueryApiError('invalidQuery', 'FOR SYSTEM_TIME AS OF must not be in the future');
    j = stop < 0 ? stmt.length : stop;
  }
  let options: Record<string, OptionValue> = {};
  if (isKeyword(stmt[j], 'OPTIONS') && isOp(stmt[j + 1], '(')) {
    const o = parseOptions(stmt, j + 1);
    options = o.values;
    j = o.end;
  }
  if (j < stmt.length) throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected "${stmt[j]!.text}"`);

  const existing = await s.core.tableMeta(s.conn, req.ref);
  const statementType = req.snapshot ? 'CREATE_SNAPSHOT_TABLE' : 'CREATE_TABLE';
  if (existing && req.ifNotExists) return { statementType, bytes: 0, ddlTarget: req.ref };
  if (existing && !req.orReplace) throw new BigQueryApiError('duplicate', `Already Exists: Table ${req.ref.projectId}:${req.ref.datasetId}.${req.ref.tableId}`);
  const base = { projectId: source.projectId, datasetId: source.datasetId, tableId: source.tableId };
  const time = new Date(asOf).toISOString();
  const resource: TableResource = {
    tableReference: req.ref,
    type: req.snapshot ? 'SNAPSHOT' : 'TABLE',
    ...(meta.schema ? { schema: meta.schema } : {}),
    ...(meta.timePartitioning ? { timePartitioning: meta.timePartitioning } : {}),
    ...(meta.rangePartitioning ? { rangePartitioning: meta.rangePartitioning } : {}),
    ...(meta.clustering ? { clustering: meta.clustering } : {}),
    ...(meta.requirePartitionFilter !== undefined ? { requirePartitionFilter: meta.requirePartitionFilter } : {}),
    ...(verb === 'COPY' ? {} : req.snapshot ? { snapshotDefinition: { baseTableReference: base, snapshotTime: time } } : { cloneDefinition: { baseTableReference: base, cloneTime: time } }),
    ...tableOptions(options, undefined, undefined),
  };
  await s.withinTransaction(async () => {
    if (existing) await s.conn.run(`DROP ${existing.type === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${tableSql(req.ref)}`);
    // SELECT * here is DuckDB's: hidden pseudo-columns (ingestion time) come along
    await s.conn.run(`CREATE TABLE ${tableSql(req.ref)} AS SELECT * FROM ${tableSql(source)}`);
    await s.core.saveTable(s.conn, resource, meta.schema?.fields);
  });
  s.core.invalidateStats(req.ref);
  return { statementType, bytes: 0, ddlTarget: req.ref };
}
