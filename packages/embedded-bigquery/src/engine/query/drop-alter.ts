/** DROP SCHEMA/TABLE/VIEW, ALTER TABLE/VIEW and TRUNCATE TABLE. */
import { BigQueryApiError, type TableFieldSchema, type TableResource } from '../types.js';
import { notFoundTable, unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { parseOptions } from '../sql/ddl.js';
import { parseTypeAt } from '../sql/type-names.js';
import { quoteIdent } from '../type-mapping.js';
import { CATALOG_SCHEMA, duckKind, removeTable, tableSql } from '../catalog.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { tableOptions } from './table-options.js';
import { materializedViewNotWritable } from '../table-resources.js';
import { dropRoutine } from './procedures.js';
import { alterTable, isAlterAction } from './alter-table.js';
import { alterProject } from './alter-project.js';
import { isMaterializedView, materializedViewDefinition, MATERIALIZED_VIEW_OPTIONS, wrongKind } from './materialized-views.js';

export async function drop(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  let i = 1;
  const what = stmt[i]?.value.toUpperCase();
  if (what === 'SCHEMA') {
    i++;
    let ifExists = false;
    if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'EXISTS')) {
      ifExists = true;
      i += 2;
    }
    const [parts, after] = s.translator(stmt).path(i);
    const ref = parts.length === 2 ? { projectId: parts[0]!, datasetId: parts[1]! } : { projectId: s.options.projectId, datasetId: parts[0]! };
    if (!(await s.core.datasetExists(s.conn, ref))) {
      if (ifExists) return { statementType: 'DROP_SCHEMA', bytes: 0 };
      throw new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
    }
    await s.withinTransaction(() => s.core.dropDatasetOn(s.conn, ref, isKeyword(stmt[after], 'CASCADE')));
    return { statementType: 'DROP_SCHEMA', bytes: 0 };
  }
  if (what === 'PROCEDURE') return dropRoutine(s, stmt, 2, 'PROCEDURE');
  if (what === 'FUNCTION') return dropRoutine(s, stmt, 2, 'SCALAR_FUNCTION');
  if (what === 'TABLE' && isKeyword(stmt[2], 'FUNCTION')) return dropRoutine(s, stmt, 3, 'TABLE_VALUED_FUNCTION');
  if (what === 'TEMP' || what === 'TEMPORARY') i++;
  const snapshot = what === 'SNAPSHOT';
  const materialized = what === 'MATERIALIZED' && isKeyword(stmt[i + 1], 'VIEW');
  if (snapshot || materialized) i++;
  const kind = stmt[i]?.value.toUpperCase();
  if (kind !== 'TABLE' && kind !== 'VIEW') throw unsupported(`DROP ${kind ?? ''}`);
  i++;
  let ifExists = false;
  if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'EXISTS')) {
    ifExists = true;
    i += 2;
  }
  const [parts] = s.translator(stmt).path(i);
  if (parts.length === 1 && s.tempTables.has(parts[0]!.toLowerCase())) {
    await s.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(parts[0]!.toLowerCase())}`);
    s.tempTables.delete(parts[0]!.toLowerCase());
    return { statementType: 'DROP_TABLE', bytes: 0 };
  }
  const ref = s.resolveTable(parts, true)!.ref!;
  const meta = await s.core.tableMeta(s.conn, ref);
  const type = materialized ? 'DROP_MATERIALIZED_VIEW' : kind === 'VIEW' ? 'DROP_VIEW' : 'DROP_TABLE';
  if (!meta) {
    if (ifExists) return { statementType: type, bytes: 0 };
    throw notFoundTable(ref);
  }
  // DROP TABLE also drops a materialized view: Dataform's BigQuery adapter reads one as UNKNOWN and sends
  // `drop table if exists` before recreating it on every later run, which BigQuery runs (dataform-co/dataform#1822)
  const tableOnView = kind === 'TABLE' && !snapshot && !materialized && meta.type === 'MATERIALIZED_VIEW';
  if (!tableOnView && (meta.type ?? 'TABLE') !== (snapshot ? 'SNAPSHOT' : materialized ? 'MATERIALIZED_VIEW' : kind)) {
    const is = meta.type === 'VIEW' ? 'view' : meta.type === 'SNAPSHOT' ? 'table snapshot' : meta.type === 'MATERIALIZED_VIEW' ? 'materialized view' : 'table';
    const use = meta.type === 'SNAPSHOT' ? 'SNAPSHOT TABLE' : meta.type === 'MATERIALIZED_VIEW' ? 'MATERIALIZED VIEW' : (meta.type ?? 'TABLE');
    throw new BigQueryApiError('invalidQuery', `${ref.projectId}.${ref.datasetId}.${ref.tableId} is a ${is}; use DROP ${use}`);
  }
  await s.withinTransaction(async () => {
    await s.conn.run(`DROP ${duckKind(meta)} IF EXISTS ${tableSql(ref)}`);
    await removeTable(s.conn, ref);
    await s.conn.run(`DELETE FROM ${CATALOG_SCHEMA}.columns WHERE project = $1 AND dataset = $2 AND table_id = $3`, [ref.projectId, ref.datasetId, ref.tableId]);
  });
  s.core.invalidateStats(ref);
  return { statementType: type, bytes: 0 };
}

export async function alter(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  const kind = stmt[1]?.value.toUpperCase();
  if (kind === 'SCHEMA') throw unsupported('ALTER SCHEMA');
  if (kind === 'PROJECT') return alterProject(stmt);
  const materialized = kind === 'MATERIALIZED' && isKeyword(stmt[2], 'VIEW');
  if (kind !== 'TABLE' && kind !== 'VIEW' && !materialized) throw unsupported(`ALTER ${kind ?? ''}`);
  let i = materialized ? 3 : 2;
  const statementType = materialized ? 'ALTER_MATERIALIZED_VIEW' : `ALTER_${kind}`;
  let ifExists = false;
  if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'EXISTS')) {
    ifExists = true;
    i += 2;
  }
  const [parts, after] = s.translator(stmt).path(i);
  const ref = s.resolveTable(parts, true)!.ref!;
  const meta = await s.core.tableMeta(s.conn, ref);
  if (!meta) {
    if (ifExists) return { statementType, bytes: 0 };
    throw notFoundTable(ref);
  }
  if (materialized !== isMaterializedView(meta)) throw wrongKind(ref, meta, `ALTER ${materialized ? 'MATERIALIZED VIEW' : kind}`);
  if (isKeyword(stmt[after], 'SET') && isKeyword(stmt[after + 1], 'OPTIONS')) {
    const o = parseOptions(stmt, after + 2).values;
    const patch = tableOptions(o, undefined, undefined, materialized);
    const updated: TableResource = { ...meta, ...patch };
    if (materialized && MATERIALIZED_VIEW_OPTIONS.some((k) => k in o)) updated.materializedView = materializedViewDefinition(meta.materializedView?.query ?? '', o, meta.materializedView);
    // an option set to NULL is cleared
    if (o.description === null) delete updated.description;
    if (o.friendly_name === null) delete updated.friendlyName;
    if (o.labels === null) delete updated.labels;
    if (o.expiration_timestamp === null) delete updated.expirationTime;
    if (o.max_staleness === null) delete updated.maxStaleness;
    if ('require_partition_filter' in o) updated.requirePartitionFilter = o.require_partition_filter === true;
    if ('partition_expiration_days' in o && updated.timePartitioning) {
      updated.timePartitioning = { ...updated.timePartitioning, expirationMs: String(Math.round(Number(o.partition_expiration_days) * 86400000)) };
    }
    await s.withinTransaction(() => s.core.saveTable(s.conn, updated, undefined));
    return { statementType, bytes: 0 };
  }
  if (isKeyword(stmt[after], 'ADD', 'DROP') && isKeyword(stmt[after + 1], 'COLUMN') && kind === 'TABLE') {
    const { actions, added, dropped } = columnActions(stmt, after);
    const keyColumns = [meta.timePartitioning?.field, ...(meta.clustering?.fields ?? [])].filter((c): c is string => c !== undefined);
    const key = dropped.find((d) => keyColumns.some((c) => c.toLowerCase() === d.toLowerCase()));
    if (key) throw new BigQueryApiError('invalidQuery', `Cannot drop column ${key}: it is a partitioning or clustering column of ${ref.projectId}.${ref.datasetId}.${ref.tableId}`);
    await s.withinTransaction(async () => {
      for (const a of actions) await s.conn.run(`ALTER TABLE ${tableSql(ref)} ${a}`);
      // the declared fields keep what DuckDB's types cannot tell (BIGNUMERIC, descriptions)
      const known = (meta.schema?.fields ?? []).filter((f) => !added.some((x) => x.name.toLowerCase() === f.name.toLowerCase()));
      await s.core.saveTable(s.conn, meta, [...known, ...added]);
    });
    s.core.invalidateStats(ref);
    return { statementType: 'ALTER_TABLE', bytes: 0 };
  }
  if (kind === 'TABLE' && isAlterAction(stmt, after)) return alterTable(s, stmt, after, ref, meta);
  throw unsupported(`ALTER ${kind} ${stmt[after]?.text ?? ''} ${stmt[after + 1]?.text ?? ''}`);
}

/** `ADD COLUMN [IF NOT EXISTS] name type, DROP COLUMN [IF EXISTS] name, ...` as DuckDB ALTER TABLE actions, one per statement. */
function columnActions(stmt: Token[], from: number): { actions: string[]; added: TableFieldSchema[]; dropped: string[] } {
  const out: string[] = [];
  const added: TableFieldSchema[] = [];
  const dropped: string[] = [];
  let j = from;
  while (j < stmt.length) {
    const add = isKeyword(stmt[j], 'ADD');
    if (!isKeyword(stmt[j], 'ADD', 'DROP') || !isKeyword(stmt[j + 1], 'COLUMN')) throw unsupported(`ALTER TABLE ${stmt[j]?.text ?? ''} ${stmt[j + 1]?.text ?? ''}`);
    j += 2;
    let guard = '';
    if (add && isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'NOT') && isKeyword(stmt[j + 2], 'EXISTS')) {
      guard = 'IF NOT EXISTS ';
      j += 3;
    } else if (!add && isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'EXISTS')) {
      guard = 'IF EXISTS ';
      j += 2;
    }
    const name = stmt[j];
    if (!name || (name.kind !== 'ident' && name.kind !== 'quoted')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected a column name');
    j++;
    if (add) {
      const [type, after] = parseTypeAt(stmt, j);
      // NOT NULL is not allowed when adding a column to a table (BigQuery: new columns are NULLABLE or REPEATED)
      if (isKeyword(stmt[after], 'NOT')) throw new BigQueryApiError('invalidQuery', `Column ${name.value} cannot be added as REQUIRED`);
      const field: TableFieldSchema = { ...type.field, name: name.value };
      j = after;
      if (isKeyword(stmt[after], 'OPTIONS')) {
        const o = parseOptions(stmt, after + 1);
        if (typeof o.values.description === 'string') field.description = o.values.description;
        j = o.end;
      }
      out.push(`ADD COLUMN ${guard}${quoteIdent(name.value)} ${type.duck}`);
      added.push(field);
    } else {
      out.push(`DROP COLUMN ${guard}${quoteIdent(name.value)}`);
      dropped.push(name.value);
    }
    if (j < stmt.length && !isOp(stmt[j], ',')) throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected ${stmt[j]!.text}`);
    j++;
  }
  return { actions: out, added, dropped };
}

export async function truncate(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  if (!isKeyword(stmt[1], 'TABLE')) throw new BigQueryApiError('invalidQuery', 'Syntax error: TRUNCATE TABLE name');
  const [parts] = s.translator(stmt).path(2);
  const ref = s.resolveTable(parts, true)!.ref!;
  const meta = await s.core.tableMeta(s.conn, ref);
  if (!meta) throw notFoundTable(ref);
  if (isMaterializedView(meta)) throw materializedViewNotWritable(ref, 'truncate');
  if (meta.type === 'VIEW') throw new BigQueryApiError('invalidQuery', `Cannot truncate a view: ${ref.datasetId}.${ref.tableId}`);
  const r = await s.conn.run(`DELETE FROM ${tableSql(ref)}`);
  s.core.invalidateStats(ref);
  return { statementType: 'TRUNCATE_TABLE', bytes: 0, affected: r.rowsChanged };
}
