/** CREATE TABLE / VIEW / TEMP TABLE / SCHEMA: the DuckDB object and its catalog entry in one transaction. */
import { BigQueryApiError, type TableResource } from '../types.js';
import { notFoundTable, unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import type { Translator } from '../sql/translator.js';
import { closingParen, findTop, parseColumnDefs, parseOptions, parsePartitionBy, type OptionValue } from '../sql/ddl.js';
import { quoteIdent } from '../type-mapping.js';
import { duckKind, tableSql } from '../catalog.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { rangeBucket, tableOptions } from './table-options.js';
import { cloneTable } from './clone.js';
import { createTempFunction } from './create-function.js';
import { createFunction } from './functions.js';
import { checkTableLayout } from './table-layout.js';
import { checkMaterializedViewQuery, materializedViewDefinition } from './materialized-views.js';
import { constraintsAfter } from './table-constraints.js';

export async function create(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  let i = 1;
  let orReplace = false;
  let temp = false;
  if (isKeyword(stmt[i], 'OR') && isKeyword(stmt[i + 1], 'REPLACE')) {
    orReplace = true;
    i += 2;
  }
  if (isKeyword(stmt[i], 'TEMP', 'TEMPORARY')) {
    temp = true;
    i++;
  }
  const materialized = isKeyword(stmt[i], 'MATERIALIZED') && isKeyword(stmt[i + 1], 'VIEW') && !temp;
  if (materialized) i++;
  const what = stmt[i]?.value.toUpperCase();
  if (what === 'SCHEMA') return createSchema(s, stmt, i + 1);
  if (what === 'FUNCTION' && temp) return createTempFunction(s, stmt, i + 1);
  if (what === 'FUNCTION') return createFunction(s, stmt, i + 1, orReplace, false);
  if (what === 'TABLE' && isKeyword(stmt[i + 1], 'FUNCTION') && !temp) return createFunction(s, stmt, i + 2, orReplace, true);
  const snapshot = what === 'SNAPSHOT' && isKeyword(stmt[i + 1], 'TABLE') && !temp;
  if (snapshot) i++;
  if (what === 'MATERIALIZED' || what === 'EXTERNAL' || (what === 'SNAPSHOT' && !snapshot) || what === 'PROCEDURE' || what === 'ROW') {
    throw unsupported(`CREATE ${what}`);
  }
  if (what !== 'TABLE' && what !== 'VIEW' && !snapshot) throw unsupported(`CREATE ${what ?? ''}`);
  i++;
  let ifNotExists = false;
  if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'NOT') && isKeyword(stmt[i + 2], 'EXISTS')) {
    ifNotExists = true;
    i += 3;
  }
  const t = s.translator(stmt);
  const [parts, afterPath] = t.path(i);
  i = afterPath;
  if (temp && what === 'TABLE') return createTemp(s, stmt, t, parts, i, orReplace);
  const ref = s.resolveTable(parts, true)?.ref;
  if (!ref) throw new BigQueryApiError('invalidQuery', `Invalid table name ${parts.join('.')}`);
  if (!(await s.core.datasetExists(s.conn, ref))) throw new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
  if (snapshot || (what === 'TABLE' && isKeyword(stmt[i], 'CLONE', 'COPY'))) return cloneTable(s, stmt, i, { ref, snapshot, orReplace, ifNotExists });
  let columns: ReturnType<typeof parseColumnDefs> | undefined;
  let viewColumns: string[] | undefined;
  if (isOp(stmt[i], '(') && !isKeyword(stmt[i + 1], 'SELECT', 'WITH')) {
    if (what === 'VIEW') {
      const close = closingParen(stmt, i);
      viewColumns = stmt.slice(i + 1, close).filter((x) => x.kind === 'ident' || x.kind === 'quoted').map((x) => x.value);
      i = close + 1;
    } else {
      columns = parseColumnDefs(stmt, i);
      i = columns.end;
    }
  }
  let partitioning: TableResource['timePartitioning'];
  let range: TableResource['rangePartitioning'];
  let clustering: string[] | undefined;
  let options: Record<string, OptionValue> = {};
  while (i < stmt.length && !isKeyword(stmt[i], 'AS')) {
    if (isKeyword(stmt[i], 'PARTITION') && isKeyword(stmt[i + 1], 'BY')) {
      const end = findTop(stmt, i + 2, stmt.length, (x) => isKeyword(x, 'CLUSTER', 'OPTIONS', 'AS'));
      const by = stmt.slice(i + 2, end < 0 ? stmt.length : end);
      range = rangeBucket(by);
      if (!range) partitioning = parsePartitionBy(by);
      i = end < 0 ? stmt.length : end;
      continue;
    }
    if (isKeyword(stmt[i], 'CLUSTER') && isKeyword(stmt[i + 1], 'BY')) {
      const end = findTop(stmt, i + 2, stmt.length, (x) => isKeyword(x, 'OPTIONS', 'AS', 'PARTITION'));
      clustering = stmt.slice(i + 2, end < 0 ? stmt.length : end).filter((x) => x.kind === 'ident' || x.kind === 'quoted').map((x) => x.value);
      i = end < 0 ? stmt.length : end;
      continue;
    }
    if (isKeyword(stmt[i], 'OPTIONS') && isOp(stmt[i + 1], '(')) {
      const o = parseOptions(stmt, i + 1);
      options = o.values;
      i = o.end;
      continue;
    }
    if (isKeyword(stmt[i], 'DEFAULT') && isKeyword(stmt[i + 1], 'COLLATE')) throw unsupported('DEFAULT COLLATE');
    throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected "${stmt[i]!.text}" in CREATE ${what}`);
  }
  const query = i < stmt.length ? stmt.slice(i + 1) : undefined;
  const kind: NonNullable<TableResource['type']> = materialized ? 'MATERIALIZED_VIEW' : what;
  const viewType = materialized ? 'CREATE_MATERIALIZED_VIEW' : 'CREATE_VIEW';
  if (what === 'VIEW' && !query) throw new BigQueryApiError('invalidQuery', `CREATE ${materialized ? 'MATERIALIZED ' : ''}VIEW requires AS query`);
  if (materialized && viewColumns) throw new BigQueryApiError('invalidQuery', 'CREATE MATERIALIZED VIEW does not take a column list; name the columns in the query');
  const existing = await s.core.tableMeta(s.conn, ref);
  if (existing && ifNotExists) return { statementType: what === 'VIEW' ? viewType : 'CREATE_TABLE', bytes: 0, ddlTarget: ref };
  if (existing && !orReplace) throw new BigQueryApiError('duplicate', `Already Exists: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  if (existing && (existing.type ?? 'TABLE') !== kind) {
    const is = { VIEW: 'View', MATERIALIZED_VIEW: 'Materialized view', SNAPSHOT: 'Table snapshot', TABLE: 'Table' }[existing.type ?? 'TABLE'];
    throw new BigQueryApiError('invalidQuery', `${is} ${ref.projectId}:${ref.datasetId}.${ref.tableId} already exists and is not a ${kind.replace('_', ' ').toLowerCase()}; drop it first`);
  }
  const resource: TableResource = {
    tableReference: ref,
    type: kind,
    ...tableOptions(options, partitioning, clustering, materialized),
    ...(range ? { rangePartitioning: range } : {}),
  };
  if (columns && columns.constraints.length > 0) {
    const keys = await constraintsAfter(s, columns.constraints, 0, ref, { ...resource, schema: { fields: columns.fields } });
    if (keys) resource.tableConstraints = keys;
  }
  const target = tableSql(ref);
  let bytes = 0;
  await s.withinTransaction(async () => {
    if (existing) {
      await s.conn.run(`DROP ${duckKind(existing)} IF EXISTS ${target}`);
    }
    if (what === 'VIEW') {
      const body = s.translator(query!);
      const sqlBody = body.translateAll();
      for (const r of body.tables) if (!(await s.core.tableMeta(s.conn, r))) throw notFoundTable(r);
      if (materialized) checkMaterializedViewQuery(query!, body.tables, s.binder.values.length);
      if (s.binder.values.length > 0) throw new BigQueryApiError('invalidQuery', 'Query parameters cannot be used in a view definition');
      const cols = viewColumns ? ` (${viewColumns.map(quoteIdent).join(', ')})` : '';
      await s.conn.run(`CREATE VIEW ${target}${cols} AS ${sqlBody}`);
      const text = query!.length > 0 ? sourceText(query!) : '';
      if (materialized) resource.materializedView = materializedViewDefinition(text, options);
      else resource.view = { query: text, useLegacySql: false };
    } else if (query) {
      const body = s.translator(query);
      const sqlBody = body.translateAll();
      bytes = await s.checkReads(body.tables, query);
      if (columns) {
        await s.conn.run(`CREATE TABLE ${target} (${columns.duck.join(', ')})`);
        await s.exec(`INSERT INTO ${target} ${sqlBody}`);
      } else {
        await s.exec(`CREATE TABLE ${target} AS ${sqlBody}`);
      }
    } else {
      if (!columns) throw new BigQueryApiError('invalidQuery', 'CREATE TABLE needs a column list or AS query');
      await s.conn.run(`CREATE TABLE ${target} (${columns.duck.join(', ')})`);
    }
    checkTableLayout(await s.core.saveTable(s.conn, resource, columns?.fields));
  });
  s.core.invalidateStats(ref);
  const type = what === 'VIEW' ? viewType : query ? 'CREATE_TABLE_AS_SELECT' : 'CREATE_TABLE';
  return { statementType: type, bytes, ddlTarget: ref };
}

async function createTemp(s: QuerySession, stmt: Token[], t: Translator, parts: string[], i: number, orReplace: boolean): Promise<StatementOutcome> {
  if (parts.length !== 1) throw new BigQueryApiError('invalidQuery', 'Temporary tables may not be qualified');
  const name = parts[0]!.toLowerCase();
  const target = `temp.main.${quoteIdent(name)}`;
  if (orReplace) await s.conn.run(`DROP TABLE IF EXISTS ${target}`);
  let cols = '';
  if (isOp(stmt[i], '(') && !isKeyword(stmt[i + 1], 'SELECT', 'WITH')) {
    const c = parseColumnDefs(stmt, i);
    cols = c.duck.join(', ');
    i = c.end;
  }
  const asAt = findTop(stmt, i, stmt.length, (x) => isKeyword(x, 'AS'));
  let bytes = 0;
  if (asAt >= 0) {
    const q = stmt.slice(asAt + 1);
    const body = s.translator(q);
    const sqlBody = body.translateAll();
    bytes = await s.checkReads(body.tables, q);
    if (cols) {
      await s.conn.run(`CREATE TEMP TABLE ${quoteIdent(name)} (${cols})`);
      await s.exec(`INSERT INTO ${target} ${sqlBody}`);
    } else await s.exec(`CREATE TEMP TABLE ${quoteIdent(name)} AS ${sqlBody}`);
  } else {
    await s.conn.run(`CREATE TEMP TABLE ${quoteIdent(name)} (${cols})`);
  }
  void t;
  s.tempTables.add(name);
  return { statementType: 'CREATE_TABLE', bytes };
}

async function createSchema(s: QuerySession, stmt: Token[], i: number): Promise<StatementOutcome> {
  let ifNotExists = false;
  if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'NOT') && isKeyword(stmt[i + 2], 'EXISTS')) {
    ifNotExists = true;
    i += 3;
  }
  const t = s.translator(stmt);
  const [parts, after] = t.path(i);
  const ref = parts.length === 2 ? { projectId: parts[0]!, datasetId: parts[1]! } : { projectId: s.options.projectId, datasetId: parts[0]! };
  let options: Record<string, OptionValue> = {};
  if (isKeyword(stmt[after], 'OPTIONS')) options = parseOptions(stmt, after + 1).values;
  if (await s.core.datasetExists(s.conn, ref)) {
    if (ifNotExists) return { statementType: 'CREATE_SCHEMA', bytes: 0 };
    throw new BigQueryApiError('duplicate', `Already Exists: Dataset ${ref.projectId}:${ref.datasetId}`);
  }
  await s.withinTransaction(() =>
    s.core.createDatasetOn(s.conn, {
      datasetReference: ref,
      ...(typeof options.description === 'string' ? { description: options.description } : {}),
      ...(Array.isArray(options.labels) ? { labels: Object.fromEntries(options.labels) } : {}),
      ...(typeof options.location === 'string' ? { location: options.location } : {}),
    }),
  );
  return { statementType: 'CREATE_SCHEMA', bytes: 0 };
}

function sourceText(tokens: Token[]): string {
  return tokens.map((t) => (t.spaceBefore ? ' ' : '') + t.text).join('').trim();
}
