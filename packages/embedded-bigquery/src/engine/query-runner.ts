/**
 * Runs a GoogleSQL query or script on the engine's connection: splits statements, keeps script
 * state (variables, transaction), dispatches DDL/DML/SELECT, and keeps the catalog in step.
 */
import type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { BigQueryApiError, type QueryOptions, type QueryResult, type Row, type TableFieldSchema, type TableReference, type TableResource } from './types.js';
import { isKeyword, isOp, splitStatements, tokenize, type Token } from './sql/tokenizer.js';
import { Translator, unsupported, type ResolvedTable } from './sql/translator.js';
import { parseTypeAt } from './sql/type-names.js';
import { closingParen, findTop, parseColumnDefs, parseOptions, parsePartitionBy, type OptionValue } from './sql/ddl.js';
import { ParamBinder } from './params.js';
import { encodeRow } from './encode.js';
import { fieldOfDuckType, quoteIdent, quoteString } from './type-mapping.js';
import { CATALOG_SCHEMA, readTable, removeTable, schemaName, tableSql } from './catalog.js';
import { checkPartitionFilter, filteredIdentifiers } from './partition-filter.js';
import type { EmbeddedEngine as EngineCore } from './engine.js';
import { mapDuckError } from './errors.js';

interface StatementOutcome {
  statementType: string;
  schema?: TableFieldSchema[];
  rows?: Row[];
  affected?: number;
  bytes: number;
  ddlTarget?: TableReference;
}

export class QueryRunner {
  private readonly variables = new Set<string>();
  private readonly binder: ParamBinder;
  private inTransaction = false;
  private readonly tempTables = new Set<string>();
  private readonly udfs = new Set<string>();
  private defaultDataset: { projectId: string; datasetId: string } | undefined;

  constructor(
    private readonly core: EngineCore,
    private readonly conn: DuckDBConnection,
    private readonly options: QueryOptions,
    /** Already inside a transaction the caller owns (dry runs): no BEGIN/COMMIT of our own. */
    private readonly nested = false,
  ) {
    this.binder = new ParamBinder(options.parameterMode, options.queryParameters ?? []);
    this.defaultDataset = options.defaultDataset;
  }

  async run(sql: string): Promise<QueryResult> {
    if (/^\s*#legacySQL/i.test(sql)) throw unsupported('Legacy SQL');
    const tokens = tokenize(sql);
    const statements = splitStatements(tokens);
    if (statements.length === 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: Unexpected end of script');
    let last: StatementOutcome | undefined;
    let lastRows: StatementOutcome | undefined;
    let bytes = 0;
    let affected: number | undefined;
    let count = 0;
    try {
      await this.execList(statements, (o) => {
        count++;
        last = o;
        bytes += o.bytes;
        if (o.rows) lastRows = o;
        if (o.affected !== undefined) affected = (affected ?? 0) + o.affected;
      });
    } catch (e) {
      if (this.inTransaction) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        this.inTransaction = false;
      }
      throw mapDuckError(e);
    } finally {
      for (const v of this.variables) await this.conn.run(`RESET VARIABLE ${quoteIdent(v)}`).catch(() => undefined);
      for (const t of this.tempTables) await this.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(t)}`).catch(() => undefined);
      for (const f of this.udfs) await this.conn.run(`DROP MACRO IF EXISTS ${quoteIdent(`bq_udf_${f}`)}`).catch(() => undefined);
      if (this.inTransaction) await this.conn.run('ROLLBACK').catch(() => undefined);
    }
    if (this.inTransaction) throw new BigQueryApiError('invalidQuery', 'Transaction is active at the end of the script; use COMMIT TRANSACTION or ROLLBACK TRANSACTION');
    const script = statements.length > 1;
    const result = script ? lastRows : last;
    const out: QueryResult = {
      statementType: script ? 'SCRIPT' : last!.statementType,
      schema: { fields: result?.schema ?? [] },
      rows: result?.rows ?? [],
      totalRows: result?.rows?.length ?? 0,
      totalBytesProcessed: bytes,
      statementCount: count,
    };
    if (!script && last?.affected !== undefined) out.numDmlAffectedRows = last.affected;
    if (script && affected !== undefined) out.numDmlAffectedRows = affected;
    if (!script && last?.ddlTarget) out.ddlTargetTable = last.ddlTarget;
    return out;
  }

  /** Runs a statement list, with IF ... END IF and BEGIN ... END blocks. */
  private async execList(statements: Token[][], record: (o: StatementOutcome) => void): Promise<void> {
    for (let i = 0; i < statements.length; i++) {
      const stmt = statements[i]!;
      if (isKeyword(stmt[0], 'IF')) {
        i = await this.runIf(statements, i, record);
        continue;
      }
      const block = this.blockAt(statements, i);
      if (block) {
        await this.execList(block.body, record);
        i = block.end;
        continue;
      }
      record(await this.statement(stmt, ''));
    }
  }

  /**
   * `BEGIN <stmt>; ...; END` (a block) as opposed to `BEGIN [TRANSACTION]`: a bare BEGIN is a
   * block only when a matching END follows. Blocks do not scope variables here.
   */
  private blockAt(statements: Token[][], at: number): { body: Token[][]; end: number } | undefined {
    const first = statements[at]!;
    if (!isKeyword(first[0], 'BEGIN') || isKeyword(first[1], 'TRANSACTION')) return undefined;
    let depth = 0;
    for (let j = at; j < statements.length; j++) {
      const s = statements[j]!;
      if (isKeyword(s[0], 'BEGIN') && !isKeyword(s[1], 'TRANSACTION') && (j === at || s.length > 1 || this.hasEnd(statements, j))) depth++;
      if (s.length === 1 && isKeyword(s[0], 'END')) {
        depth--;
        if (depth === 0) {
          const body = [...(first.length > 1 ? [first.slice(1)] : []), ...statements.slice(at + 1, j)];
          if (body.some((b) => b.some((t, k) => isKeyword(t, 'EXCEPTION') && isKeyword(b[k + 1], 'WHEN')))) throw unsupported('BEGIN ... EXCEPTION WHEN ERROR blocks');
          return { body, end: j };
        }
      }
    }
    return undefined;
  }

  private hasEnd(statements: Token[][], from: number): boolean {
    return statements.slice(from + 1).some((s) => s.length === 1 && isKeyword(s[0], 'END'));
  }

  /** IF cond THEN stmts [ELSEIF cond THEN stmts] [ELSE stmts] END IF; returns the index of END IF. */
  private async runIf(statements: Token[][], at: number, record: (o: StatementOutcome) => void): Promise<number> {
    // regroup: the first statement holds `IF cond THEN <first inner statement>`
    const branches: { cond: Token[] | null; body: Token[][] }[] = [];
    let depth = 0;
    let i = at;
    let cur: { cond: Token[] | null; body: Token[][] } | undefined;
    const startBranch = (stmt: Token[], keywordLen: number, hasCond: boolean): void => {
      if (hasCond) {
        const thenAt = findTop(stmt, keywordLen, stmt.length, (t) => isKeyword(t, 'THEN'));
        if (thenAt < 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: IF without THEN');
        cur = { cond: stmt.slice(keywordLen, thenAt), body: [] };
        if (thenAt + 1 < stmt.length) cur.body.push(stmt.slice(thenAt + 1));
      } else {
        cur = { cond: null, body: [] };
        if (keywordLen < stmt.length) cur.body.push(stmt.slice(keywordLen));
      }
      branches.push(cur);
    };
    for (; i < statements.length; i++) {
      const s = statements[i]!;
      if (i === at) {
        startBranch(s, 1, true);
        depth = 1;
        continue;
      }
      if (isKeyword(s[0], 'IF')) depth++;
      if (isKeyword(s[0], 'END') && isKeyword(s[1], 'IF')) {
        depth--;
        if (depth === 0) break;
      }
      if (depth === 1 && isKeyword(s[0], 'ELSEIF')) {
        startBranch(s, 1, true);
        continue;
      }
      if (depth === 1 && isKeyword(s[0], 'ELSE')) {
        startBranch(s, 1, false);
        continue;
      }
      cur!.body.push(s);
    }
    if (i >= statements.length) throw new BigQueryApiError('invalidQuery', 'Syntax error: IF without END IF');
    for (const b of branches) {
      let take = b.cond === null;
      if (b.cond) {
        const r = await this.select(b.cond, 'SELECT', true);
        const v = r.rows?.[0]?.f[0]?.v;
        take = v === 'true';
      }
      if (take) {
        await this.execList(b.body, record);
        break;
      }
    }
    return i;
  }

  private translator(tokens: Token[]): Translator {
    this.binder.reset();
    return new Translator(tokens, {
      resolveTable: (parts, strict) => this.resolveTable(parts, strict),
      bindParam: (t) => this.binder.bind(t),
      variables: this.variables,
      udfs: this.udfs,
    });
  }

  resolveTable(parts: string[], strict: boolean): ResolvedTable | null {
    const upper = parts.map((p) => p.toUpperCase());
    const infoAt = upper.indexOf('INFORMATION_SCHEMA');
    if (infoAt >= 0) return this.informationSchema(parts.slice(0, infoAt), upper.slice(infoAt + 1).join('.'));
    if (parts.length === 1) {
      const name = parts[0]!;
      if (this.tempTables.has(name.toLowerCase())) return { sql: `temp.main.${quoteIdent(name.toLowerCase())}` };
      if (!this.defaultDataset) {
        if (!strict) return null;
        throw new BigQueryApiError('invalidQuery', `Table "${name}" must be qualified with a dataset (e.g. dataset.table).`);
      }
      const ref = { ...this.defaultDataset, tableId: name };
      return { sql: tableSql(ref), ref };
    }
    if (parts.length === 2) {
      const ref = { projectId: this.options.projectId, datasetId: parts[0]!, tableId: parts[1]! };
      if (!strict && !this.core.knownDataset(ref.projectId, ref.datasetId)) return null;
      return { sql: tableSql(ref), ref };
    }
    if (parts.length === 3) {
      const ref = { projectId: parts[0]!, datasetId: parts[1]!, tableId: parts[2]! };
      return { sql: tableSql(ref), ref };
    }
    if (!strict) return null;
    throw new BigQueryApiError('invalidQuery', `Invalid table name: ${parts.join('.')}`);
  }

  private informationSchema(scope: string[], view: string): ResolvedTable {
    let project = this.options.projectId;
    let dataset: string | undefined;
    if (scope.length === 2) [project, dataset] = [scope[0]!, scope[1]!];
    else if (scope.length === 1) {
      if (/^region-/i.test(scope[0]!)) dataset = undefined;
      else dataset = scope[0]!;
    } else if (scope.length === 0 && this.defaultDataset) dataset = undefined;
    const where = [`t.project = ${quoteString(project)}`];
    if (dataset !== undefined) where.push(`t.dataset = ${quoteString(dataset)}`);
    switch (view) {
      case 'TABLES':
        return {
          sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name,
            CASE json_extract_string(t.resource, '$.type') WHEN 'VIEW' THEN 'VIEW' ELSE 'BASE TABLE' END AS table_type,
            'YES' AS is_insertable_into, 'NO' AS is_typed,
            make_timestamptz(CAST(coalesce(json_extract_string(t.resource, '$.creationTime'), '0') AS BIGINT) * 1000) AS creation_time,
            json_extract_string(t.resource, '$.view.query') AS ddl
            FROM ${CATALOG_SCHEMA}.tables t WHERE ${where.join(' AND ')})`,
        };
      case 'COLUMNS':
        return {
          sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name, t.column_name, t.ordinal_position,
            t.is_nullable, t.data_type, CASE WHEN t.is_partitioning THEN 'YES' ELSE 'NO' END AS is_partitioning_column,
            t.clustering_ordinal_position
            FROM ${CATALOG_SCHEMA}.columns t WHERE ${where.join(' AND ')})`,
        };
      case 'COLUMN_FIELD_PATHS':
        return {
          sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name, t.column_name, t.column_name AS field_path,
            t.data_type, t.description FROM ${CATALOG_SCHEMA}.columns t WHERE ${where.join(' AND ')})`,
        };
      case 'SCHEMATA':
        return {
          sql: `(SELECT t.project AS catalog_name, t.dataset AS schema_name, json_extract_string(t.resource, '$.location') AS location
            FROM ${CATALOG_SCHEMA}.datasets t WHERE t.project = ${quoteString(project)})`,
        };
      default:
        throw unsupported(`INFORMATION_SCHEMA.${view}`);
    }
  }

  private async statement(stmt: Token[], _source: string): Promise<StatementOutcome> {
    const k = (i: number): string => (stmt[i]?.kind === 'ident' ? stmt[i]!.value.toUpperCase() : '');
    const first = k(0);
    switch (first) {
      case 'SELECT':
      case 'WITH':
        return this.select(stmt, 'SELECT', false);
      case '':
        if (isOp(stmt[0], '(')) return this.select(stmt, 'SELECT', false);
        break;
      case 'INSERT':
      case 'UPDATE':
      case 'DELETE':
      case 'MERGE':
        return this.dml(stmt, first);
      case 'CREATE':
        return this.create(stmt);
      case 'DROP':
        return this.drop(stmt);
      case 'ALTER':
        return this.alter(stmt);
      case 'TRUNCATE':
        return this.truncate(stmt);
      case 'DECLARE':
        return this.declare(stmt);
      case 'SET':
        return this.set(stmt);
      case 'BEGIN':
        if (stmt.length === 1 || (k(1) === 'TRANSACTION' && stmt.length === 2)) {
          if (this.inTransaction) throw new BigQueryApiError('invalidQuery', 'Transaction already active');
          await this.conn.run('BEGIN TRANSACTION');
          this.inTransaction = true;
          return { statementType: 'BEGIN_TRANSACTION', bytes: 0 };
        }
        throw unsupported('BEGIN ... END block without a matching END');
      case 'COMMIT':
        if (!this.inTransaction) throw new BigQueryApiError('invalidQuery', 'No transaction is active');
        await this.conn.run('COMMIT');
        this.inTransaction = false;
        return { statementType: 'COMMIT_TRANSACTION', bytes: 0 };
      case 'ROLLBACK':
        if (!this.inTransaction) throw new BigQueryApiError('invalidQuery', 'No transaction is active');
        await this.conn.run('ROLLBACK');
        this.inTransaction = false;
        this.core.invalidateStats();
        return { statementType: 'ROLLBACK_TRANSACTION', bytes: 0 };
      case 'ASSERT':
        return this.assert(stmt);
      default:
        break;
    }
    throw unsupported(`Statement "${stmt.slice(0, 3).map((t) => t.text).join(' ')}"`);
  }

  private async assert(stmt: Token[]): Promise<StatementOutcome> {
    const asAt = findTop(stmt, 1, stmt.length, (t) => isKeyword(t, 'AS'));
    const cond = stmt.slice(1, asAt < 0 ? stmt.length : asAt);
    const r = await this.select(cond, 'SELECT', true);
    if (r.rows?.[0]?.f[0]?.v !== 'true') {
      const msg = asAt >= 0 && stmt[asAt + 1]?.kind === 'string' ? stmt[asAt + 1]!.value : `Assertion failed: ${cond.map((t) => t.text).join(' ')}`;
      throw new BigQueryApiError('invalidQuery', msg);
    }
    return { statementType: 'ASSERT', bytes: r.bytes };
  }

  /** Runs translated SQL with the current parameters. */
  private async exec(sql: string): Promise<DuckDBResultReader> {
    const values: DuckDBValue[] = this.binder.values;
    return values.length > 0 ? this.conn.runAndReadAll(sql, values) : this.conn.runAndReadAll(sql);
  }

  /** SELECT (or a bare expression when `expression` is set). */
  async select(stmt: Token[], statementType: string, expression: boolean): Promise<StatementOutcome> {
    const t = this.translator(stmt);
    const body = t.translateAll();
    const sql = expression ? `SELECT ${body}` : body;
    const bytes = await this.checkReads(t.tables, stmt);
    const reader = await this.exec(sql);
    const names = bigQueryColumnNames(reader.columnNames());
    const fields = reader.columnTypes().map((ty, i) => fieldOfDuckType(names[i]!, ty));
    const rows = reader.getRows().map((r) => encodeRow(r, fields, { useInt64Timestamp: this.options.useInt64Timestamp }));
    return { statementType, schema: fields, rows, bytes };
  }

  /** Existence, require_partition_filter and bytes for tables a statement reads. */
  private async checkReads(refs: TableReference[], stmt: Token[], exempt?: TableReference, exemptFiltered?: Set<string>): Promise<number> {
    let bytes = 0;
    const filtered = filteredIdentifiers(stmt);
    const seen = new Set<string>();
    for (const ref of refs) {
      const key = `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
      const meta = await this.core.tableMeta(this.conn, ref);
      if (!meta) throw notFoundTable(ref);
      const col = meta.timePartitioning?.field ?? (meta.timePartitioning ? '_PARTITIONTIME' : undefined);
      if (col && (meta.requirePartitionFilter || meta.timePartitioning?.requirePartitionFilter)) {
        const isExempt = exempt && sameRef(exempt, ref);
        checkPartitionFilter(ref, col, isExempt && exemptFiltered ? new Set([...filtered, ...exemptFiltered]) : filtered);
      }
      if (seen.has(key)) continue;
      seen.add(key);
      bytes += await this.core.bytesForColumns(this.conn, ref, meta, referencedColumns(stmt));
    }
    return bytes;
  }

  private async dml(stmt: Token[], kind: string): Promise<StatementOutcome> {
    let tokens = stripSetQualifiers(stmt);
    // DuckDB wants INSERT INTO / DELETE FROM / MERGE INTO
    if (kind === 'INSERT' && !isKeyword(tokens[1], 'INTO')) tokens = [tokens[0]!, kw('INTO'), ...tokens.slice(1)];
    if (kind === 'DELETE' && !isKeyword(tokens[1], 'FROM')) tokens = [tokens[0]!, kw('FROM'), ...tokens.slice(1)];
    if (kind === 'MERGE' && !isKeyword(tokens[1], 'INTO')) tokens = [tokens[0]!, kw('INTO'), ...tokens.slice(1)];
    if ((kind === 'UPDATE' || kind === 'DELETE') && findTop(tokens, 0, tokens.length, (t) => isKeyword(t, 'WHERE')) < 0) {
      throw new BigQueryApiError('invalidQuery', `${kind} must have a WHERE clause`);
    }
    const t = this.translator(tokens);
    const targetAt = kind === 'UPDATE' ? 1 : 2;
    const [targetParts] = t.path(targetAt);
    const resolvedTarget = this.resolveTable(targetParts, true);
    if (resolvedTarget && !resolvedTarget.ref && targetParts.length === 1 && this.tempTables.has(targetParts[0]!.toLowerCase())) {
      // a script's temporary table: no catalog entry, no partition rules
      const sql = t.translateAll();
      const bytes = await this.checkReads(t.tables, tokens);
      const reader = await this.exec(kind === 'MERGE' ? await this.prepareMerge(tokens, t, sql) : sql);
      return { statementType: kind, affected: reader.rowsChanged, bytes };
    }
    const target = resolvedTarget?.ref;
    if (!target) throw new BigQueryApiError('invalidQuery', `${kind} target must be a table`);
    let sql = t.translateAll();
    const reads = t.tables.filter((r, i) => i > 0 || !sameRef(r, target));
    const targetMeta = await this.core.tableMeta(this.conn, target);
    if (!targetMeta) throw notFoundTable(target);
    if (targetMeta.type === 'VIEW') throw new BigQueryApiError('invalidQuery', `Cannot ${kind} a view: ${target.datasetId}.${target.tableId}`);
    let exemptFiltered: Set<string> | undefined;
    if (kind === 'MERGE') {
      exemptFiltered = filteredIdentifiers(tokens, ['ON', 'WHEN']);
      sql = await this.prepareMerge(tokens, t, sql);
    } else if (kind === 'UPDATE' || kind === 'DELETE') {
      exemptFiltered = filteredIdentifiers(tokens);
    }
    if (kind === 'UPDATE') await this.checkUpdateJoin(tokens, t);
    const bytes = await this.checkReads([target, ...reads], tokens, target, exemptFiltered);
    const reader = await this.exec(sql);
    this.core.invalidateStats(target);
    return { statementType: kind, affected: reader.rowsChanged, bytes };
  }

  /** UPDATE ... FROM: BigQuery fails when a target row joins more than one source row (DuckDB would pick one). */
  private async checkUpdateJoin(tokens: Token[], t: Translator): Promise<void> {
    const setAt = findTop(tokens, 0, tokens.length, (x) => isKeyword(x, 'SET'));
    const fromAt = findTop(tokens, setAt, tokens.length, (x) => isKeyword(x, 'FROM'));
    if (setAt < 0 || fromAt < 0) return;
    const whereAt = findTop(tokens, fromAt, tokens.length, (x) => isKeyword(x, 'WHERE'));
    const [, afterTarget] = t.path(1);
    const target = this.resolveTable(t.path(1)[0], true)!.sql;
    let aliasAt = afterTarget;
    if (isKeyword(tokens[aliasAt], 'AS')) aliasAt++;
    const alias = aliasAt < setAt ? quoteIdent(tokens[aliasAt]!.value) : target;
    // translated with its FROM keyword, so the source paths resolve as tables
    const from = t.sub(tokens.slice(fromAt, whereAt < 0 ? tokens.length : whereAt)).replace(/^\s*from\s+/i, '');
    const where = whereAt < 0 ? 'true' : t.sub(tokens.slice(whereAt + 1));
    const check = `SELECT count(*) FROM (SELECT ${alias}.rowid FROM ${target}${alias === target ? '' : ` AS ${alias}`}, ${from} WHERE ${where} GROUP BY 1 HAVING count(*) > 1)`;
    const r = await this.exec(check);
    if (Number(r.getRows()[0]?.[0] ?? 0) > 0) {
      throw new BigQueryApiError('invalidQuery', 'UPDATE/MERGE must match at most one source row for each target row');
    }
  }

  /** BigQuery fails a MERGE whose matched branch would touch a target row more than once. */
  private async prepareMerge(tokens: Token[], t: Translator, sql: string): Promise<string> {
    const usingAt = findTop(tokens, 0, tokens.length, (x) => isKeyword(x, 'USING'));
    const onAt = findTop(tokens, usingAt, tokens.length, (x) => isKeyword(x, 'ON'));
    const whenAt = findTop(tokens, onAt, tokens.length, (x) => isKeyword(x, 'WHEN'));
    if (usingAt < 0 || onAt < 0 || whenAt < 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: MERGE target USING source ON condition WHEN ...');
    const hasMatched = tokens.some((x, i) => isKeyword(x, 'WHEN') && isKeyword(tokens[i + 1], 'MATCHED'));
    // target [AS] alias
    const [, afterTarget] = t.path(2);
    let targetAlias = '';
    let j = afterTarget;
    if (isKeyword(tokens[j], 'AS')) j++;
    if (j < usingAt) targetAlias = tokens[j]!.value;
    const srcEnd = onAt;
    let srcAliasAt = srcEnd - 1;
    let sourceAlias = '';
    const srcTokens = tokens.slice(usingAt + 1, srcEnd);
    if (srcTokens.length >= 2 && (tokens[srcAliasAt]!.kind === 'ident' || tokens[srcAliasAt]!.kind === 'quoted') && !isOp(tokens[srcAliasAt - 1], '.')) {
      sourceAlias = tokens[srcAliasAt]!.value;
      srcAliasAt--;
      if (isKeyword(tokens[srcAliasAt], 'AS')) srcAliasAt--;
    } else srcAliasAt = srcEnd - 1;
    // INSERT ROW → DuckDB INSERT *
    const rewritten = sql.replace(/\bINSERT ROW\b/gi, 'INSERT *');
    if (!hasMatched) return rewritten;
    const targetSql = this.resolveTable(t.path(2)[0], true)!.sql;
    const sourceSql = t.sub(tokens.slice(usingAt + 1, srcAliasAt + 1));
    const cond = t.sub(tokens.slice(onAt + 1, whenAt));
    const ta = targetAlias ? quoteIdent(targetAlias) : targetSql;
    const check = `SELECT count(*) FROM (SELECT ${targetAlias ? ta : targetSql}.rowid AS r FROM ${targetSql} ${targetAlias ? `AS ${ta}` : ''} JOIN ${sourceSql} ${sourceAlias ? `AS ${quoteIdent(sourceAlias)}` : ''} ON ${cond} GROUP BY 1 HAVING count(*) > 1)`;
    const r = await this.exec(check);
    if (Number(r.getRows()[0]?.[0] ?? 0) > 0) {
      throw new BigQueryApiError('invalidQuery', 'UPDATE/MERGE must match at most one source row for each target row');
    }
    return rewritten;
  }

  private async create(stmt: Token[]): Promise<StatementOutcome> {
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
    const what = stmt[i]?.value.toUpperCase();
    if (what === 'SCHEMA') return this.createSchema(stmt, i + 1);
    if (what === 'FUNCTION' && temp) return this.createTempFunction(stmt, i + 1);
    if (what === 'MATERIALIZED' || what === 'EXTERNAL' || what === 'SNAPSHOT' || what === 'FUNCTION' || what === 'PROCEDURE' || what === 'ROW') {
      throw unsupported(`CREATE ${what}`);
    }
    if (what !== 'TABLE' && what !== 'VIEW') throw unsupported(`CREATE ${what ?? ''}`);
    i++;
    let ifNotExists = false;
    if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'NOT') && isKeyword(stmt[i + 2], 'EXISTS')) {
      ifNotExists = true;
      i += 3;
    }
    const t = this.translator(stmt);
    const [parts, afterPath] = t.path(i);
    i = afterPath;
    if (temp && what === 'TABLE') return this.createTemp(stmt, t, parts, i, orReplace);
    const ref = this.resolveTable(parts, true)?.ref;
    if (!ref) throw new BigQueryApiError('invalidQuery', `Invalid table name ${parts.join('.')}`);
    if (!(await this.core.datasetExists(this.conn, ref))) throw new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
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
    let clustering: string[] | undefined;
    let options: Record<string, OptionValue> = {};
    while (i < stmt.length && !isKeyword(stmt[i], 'AS')) {
      if (isKeyword(stmt[i], 'PARTITION') && isKeyword(stmt[i + 1], 'BY')) {
        const end = findTop(stmt, i + 2, stmt.length, (x) => isKeyword(x, 'CLUSTER', 'OPTIONS', 'AS'));
        partitioning = parsePartitionBy(stmt.slice(i + 2, end < 0 ? stmt.length : end));
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
    if (what === 'VIEW' && !query) throw new BigQueryApiError('invalidQuery', 'CREATE VIEW requires AS query');
    const existing = await this.core.tableMeta(this.conn, ref);
    if (existing && ifNotExists) return { statementType: what === 'VIEW' ? 'CREATE_VIEW' : 'CREATE_TABLE', bytes: 0, ddlTarget: ref };
    if (existing && !orReplace) throw new BigQueryApiError('duplicate', `Already Exists: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
    if (existing && existing.type !== what && !(existing.type === undefined && what === 'TABLE')) {
      throw new BigQueryApiError('invalidQuery', `${existing.type === 'VIEW' ? 'View' : 'Table'} ${ref.projectId}:${ref.datasetId}.${ref.tableId} already exists and is not a ${what.toLowerCase()}; drop it first`);
    }
    const resource: TableResource = {
      tableReference: ref,
      type: what,
      ...tableOptions(options, partitioning, clustering),
    };
    const target = tableSql(ref);
    let bytes = 0;
    await this.withinTransaction(async () => {
      if (existing) {
        await this.conn.run(`DROP ${existing.type === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${target}`);
      }
      if (what === 'VIEW') {
        const body = this.translator(query!);
        const sqlBody = body.translateAll();
        for (const r of body.tables) if (!(await this.core.tableMeta(this.conn, r))) throw notFoundTable(r);
        if (this.binder.values.length > 0) throw new BigQueryApiError('invalidQuery', 'Query parameters cannot be used in a view definition');
        const cols = viewColumns ? ` (${viewColumns.map(quoteIdent).join(', ')})` : '';
        await this.conn.run(`CREATE VIEW ${target}${cols} AS ${sqlBody}`);
        resource.view = { query: query!.length > 0 ? sourceText(query!) : '', useLegacySql: false };
      } else if (query) {
        const body = this.translator(query);
        const sqlBody = body.translateAll();
        bytes = await this.checkReads(body.tables, query);
        if (columns) {
          await this.conn.run(`CREATE TABLE ${target} (${columns.duck.join(', ')})`);
          await this.execWithParams(`INSERT INTO ${target} ${sqlBody}`);
        } else {
          await this.execWithParams(`CREATE TABLE ${target} AS ${sqlBody}`);
        }
      } else {
        if (!columns) throw new BigQueryApiError('invalidQuery', 'CREATE TABLE needs a column list or AS query');
        await this.conn.run(`CREATE TABLE ${target} (${columns.duck.join(', ')})`);
      }
      await this.core.saveTable(this.conn, resource, columns?.fields);
    });
    this.core.invalidateStats(ref);
    const type = what === 'VIEW' ? 'CREATE_VIEW' : query ? 'CREATE_TABLE_AS_SELECT' : 'CREATE_TABLE';
    return { statementType: type, bytes, ddlTarget: ref };
  }

  private async execWithParams(sql: string): Promise<void> {
    await this.exec(sql);
  }

  private async createTemp(stmt: Token[], t: Translator, parts: string[], i: number, orReplace: boolean): Promise<StatementOutcome> {
    if (parts.length !== 1) throw new BigQueryApiError('invalidQuery', 'Temporary tables may not be qualified');
    const name = parts[0]!.toLowerCase();
    const target = `temp.main.${quoteIdent(name)}`;
    if (orReplace) await this.conn.run(`DROP TABLE IF EXISTS ${target}`);
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
      const body = this.translator(q);
      const sqlBody = body.translateAll();
      bytes = await this.checkReads(body.tables, q);
      if (cols) {
        await this.conn.run(`CREATE TEMP TABLE ${quoteIdent(name)} (${cols})`);
        await this.exec(`INSERT INTO ${target} ${sqlBody}`);
      } else await this.exec(`CREATE TEMP TABLE ${quoteIdent(name)} AS ${sqlBody}`);
    } else {
      await this.conn.run(`CREATE TEMP TABLE ${quoteIdent(name)} (${cols})`);
    }
    void t;
    this.tempTables.add(name);
    return { statementType: 'CREATE_TABLE', bytes };
  }

  /** CREATE TEMP FUNCTION f(x T, ...) [RETURNS T] AS (expr): a DuckDB macro for the rest of the script. */
  private async createTempFunction(stmt: Token[], i: number): Promise<StatementOutcome> {
    const nameTok = stmt[i];
    if (!nameTok || (nameTok.kind !== 'ident' && nameTok.kind !== 'quoted') || !isOp(stmt[i + 1], '(')) {
      throw new BigQueryApiError('invalidQuery', 'Syntax error: CREATE TEMP FUNCTION name(arguments) AS (expression)');
    }
    if (stmt.some((t) => isKeyword(t, 'LANGUAGE'))) throw unsupported('JavaScript UDFs (LANGUAGE js)');
    const close = closingParen(stmt, i + 1);
    const params: string[] = [];
    const casts: string[] = [];
    let k = i + 2;
    while (k < close) {
      const p = stmt[k]!;
      const [type, after] = parseTypeAt(stmt, k + 1);
      params.push(p.value.toLowerCase());
      casts.push(type.duck);
      k = isOp(stmt[after], ',') ? after + 1 : after;
      if (k < close && !isOp(stmt[k - 1], ',') && after !== close) throw new BigQueryApiError('invalidQuery', 'Syntax error in function arguments');
    }
    const asAt = findTop(stmt, close + 1, stmt.length, (t) => isKeyword(t, 'AS'));
    if (asAt < 0) throw new BigQueryApiError('invalidQuery', 'CREATE TEMP FUNCTION needs AS (expression)');
    const name = nameTok.value.toLowerCase();
    this.udfs.add(name);
    // parameters are typed in GoogleSQL: cast each use so the body sees the declared types
    const bodyTokens = stmt.slice(asAt + 1);
    const body = this.translator(bodyTokens).translateAll();
    if (this.binder.values.length > 0) throw new BigQueryApiError('invalidQuery', 'Query parameters cannot be used in a function body');
    const typedBody = params.reduce(
      (acc, p, idx) => acc.replace(new RegExp(`(?<![.\\w"'])${p}(?![\\w"'(])`, 'gi'), `CAST(${p} AS ${casts[idx]})`),
      body,
    );
    await this.conn.run(`CREATE OR REPLACE TEMP MACRO ${quoteIdent(`bq_udf_${name}`)}(${params.join(', ')}) AS (${typedBody})`);
    return { statementType: 'CREATE_FUNCTION', bytes: 0 };
  }

  private async createSchema(stmt: Token[], i: number): Promise<StatementOutcome> {
    let ifNotExists = false;
    if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'NOT') && isKeyword(stmt[i + 2], 'EXISTS')) {
      ifNotExists = true;
      i += 3;
    }
    const t = this.translator(stmt);
    const [parts, after] = t.path(i);
    const ref = parts.length === 2 ? { projectId: parts[0]!, datasetId: parts[1]! } : { projectId: this.options.projectId, datasetId: parts[0]! };
    let options: Record<string, OptionValue> = {};
    if (isKeyword(stmt[after], 'OPTIONS')) options = parseOptions(stmt, after + 1).values;
    if (await this.core.datasetExists(this.conn, ref)) {
      if (ifNotExists) return { statementType: 'CREATE_SCHEMA', bytes: 0 };
      throw new BigQueryApiError('duplicate', `Already Exists: Dataset ${ref.projectId}:${ref.datasetId}`);
    }
    await this.withinTransaction(() =>
      this.core.createDatasetOn(this.conn, {
        datasetReference: ref,
        ...(typeof options.description === 'string' ? { description: options.description } : {}),
        ...(Array.isArray(options.labels) ? { labels: Object.fromEntries(options.labels) } : {}),
        ...(typeof options.location === 'string' ? { location: options.location } : {}),
      }),
    );
    return { statementType: 'CREATE_SCHEMA', bytes: 0 };
  }

  private async drop(stmt: Token[]): Promise<StatementOutcome> {
    let i = 1;
    const what = stmt[i]?.value.toUpperCase();
    if (what === 'SCHEMA') {
      i++;
      let ifExists = false;
      if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'EXISTS')) {
        ifExists = true;
        i += 2;
      }
      const [parts, after] = this.translator(stmt).path(i);
      const ref = parts.length === 2 ? { projectId: parts[0]!, datasetId: parts[1]! } : { projectId: this.options.projectId, datasetId: parts[0]! };
      if (!(await this.core.datasetExists(this.conn, ref))) {
        if (ifExists) return { statementType: 'DROP_SCHEMA', bytes: 0 };
        throw new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
      }
      await this.withinTransaction(() => this.core.dropDatasetOn(this.conn, ref, isKeyword(stmt[after], 'CASCADE')));
      return { statementType: 'DROP_SCHEMA', bytes: 0 };
    }
    if (what === 'TEMP' || what === 'TEMPORARY') i++;
    const kind = stmt[i]?.value.toUpperCase();
    if (kind !== 'TABLE' && kind !== 'VIEW') throw unsupported(`DROP ${kind ?? ''}`);
    i++;
    let ifExists = false;
    if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'EXISTS')) {
      ifExists = true;
      i += 2;
    }
    const [parts] = this.translator(stmt).path(i);
    if (parts.length === 1 && this.tempTables.has(parts[0]!.toLowerCase())) {
      await this.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(parts[0]!.toLowerCase())}`);
      this.tempTables.delete(parts[0]!.toLowerCase());
      return { statementType: 'DROP_TABLE', bytes: 0 };
    }
    const ref = this.resolveTable(parts, true)!.ref!;
    const meta = await this.core.tableMeta(this.conn, ref);
    const type = kind === 'VIEW' ? 'DROP_VIEW' : 'DROP_TABLE';
    if (!meta) {
      if (ifExists) return { statementType: type, bytes: 0 };
      throw notFoundTable(ref);
    }
    if ((meta.type ?? 'TABLE') !== kind) {
      throw new BigQueryApiError('invalidQuery', `${ref.projectId}.${ref.datasetId}.${ref.tableId} is a ${meta.type === 'VIEW' ? 'view' : 'table'}; use DROP ${meta.type ?? 'TABLE'}`);
    }
    await this.withinTransaction(async () => {
      await this.conn.run(`DROP ${kind} IF EXISTS ${tableSql(ref)}`);
      await removeTable(this.conn, ref);
      await this.conn.run(`DELETE FROM ${CATALOG_SCHEMA}.columns WHERE project = $1 AND dataset = $2 AND table_id = $3`, [ref.projectId, ref.datasetId, ref.tableId]);
    });
    this.core.invalidateStats(ref);
    return { statementType: type, bytes: 0 };
  }

  private async alter(stmt: Token[]): Promise<StatementOutcome> {
    const kind = stmt[1]?.value.toUpperCase();
    if (kind === 'SCHEMA') throw unsupported('ALTER SCHEMA');
    if (kind !== 'TABLE' && kind !== 'VIEW') throw unsupported(`ALTER ${kind ?? ''}`);
    let i = 2;
    let ifExists = false;
    if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'EXISTS')) {
      ifExists = true;
      i += 2;
    }
    const [parts, after] = this.translator(stmt).path(i);
    const ref = this.resolveTable(parts, true)!.ref!;
    const meta = await this.core.tableMeta(this.conn, ref);
    if (!meta) {
      if (ifExists) return { statementType: `ALTER_${kind}`, bytes: 0 };
      throw notFoundTable(ref);
    }
    if (isKeyword(stmt[after], 'SET') && isKeyword(stmt[after + 1], 'OPTIONS')) {
      const o = parseOptions(stmt, after + 2).values;
      const patch = tableOptions(o, undefined, undefined);
      const updated: TableResource = { ...meta, ...patch };
      if ('require_partition_filter' in o) updated.requirePartitionFilter = o.require_partition_filter === true;
      if ('partition_expiration_days' in o && updated.timePartitioning) {
        updated.timePartitioning = { ...updated.timePartitioning, expirationMs: String(Math.round(Number(o.partition_expiration_days) * 86400000)) };
      }
      await this.withinTransaction(() => this.core.saveTable(this.conn, updated, undefined));
      return { statementType: `ALTER_${kind}`, bytes: 0 };
    }
    if (isKeyword(stmt[after], 'ADD') && isKeyword(stmt[after + 1], 'COLUMN') && kind === 'TABLE') {
      let j = after + 2;
      let ifNot = false;
      if (isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'NOT') && isKeyword(stmt[j + 2], 'EXISTS')) {
        ifNot = true;
        j += 3;
      }
      const name = stmt[j]!.value;
      const [type] = parseTypeAt(stmt, j + 1);
      await this.withinTransaction(async () => {
        await this.conn.run(`ALTER TABLE ${tableSql(ref)} ADD COLUMN ${ifNot ? 'IF NOT EXISTS ' : ''}${quoteIdent(name)} ${type.duck}`);
        await this.core.saveTable(this.conn, meta, undefined);
      });
      return { statementType: 'ALTER_TABLE', bytes: 0 };
    }
    throw unsupported(`ALTER ${kind} ${stmt[after]?.text ?? ''} ${stmt[after + 1]?.text ?? ''}`);
  }

  private async truncate(stmt: Token[]): Promise<StatementOutcome> {
    if (!isKeyword(stmt[1], 'TABLE')) throw new BigQueryApiError('invalidQuery', 'Syntax error: TRUNCATE TABLE name');
    const [parts] = this.translator(stmt).path(2);
    const ref = this.resolveTable(parts, true)!.ref!;
    if (!(await this.core.tableMeta(this.conn, ref))) throw notFoundTable(ref);
    const r = await this.conn.run(`DELETE FROM ${tableSql(ref)}`);
    this.core.invalidateStats(ref);
    return { statementType: 'TRUNCATE_TABLE', bytes: 0, affected: r.rowsChanged };
  }

  private async declare(stmt: Token[]): Promise<StatementOutcome> {
    const defaultAt = findTop(stmt, 1, stmt.length, (t) => isKeyword(t, 'DEFAULT'));
    const head = stmt.slice(1, defaultAt < 0 ? stmt.length : defaultAt);
    const names: string[] = [];
    let k = 0;
    while (k < head.length) {
      names.push(head[k]!.value.toLowerCase());
      k++;
      if (isOp(head[k], ',')) {
        k++;
        continue;
      }
      break;
    }
    let duckType: string | undefined;
    if (k < head.length) duckType = parseTypeAt(head, k)[0].duck;
    let valueSql = 'NULL';
    if (defaultAt >= 0) valueSql = this.translator(stmt.slice(defaultAt + 1)).translateAll();
    if (duckType) valueSql = `CAST((${valueSql}) AS ${duckType})`;
    else if (defaultAt < 0) throw new BigQueryApiError('invalidQuery', 'DECLARE needs a type or a DEFAULT value');
    for (const n of names) {
      if (this.variables.has(n)) throw new BigQueryApiError('invalidQuery', `Variable ${n} is already declared`);
      await this.exec(`SET VARIABLE ${quoteIdent(n)} = (${valueSql})`);
      this.variables.add(n);
    }
    return { statementType: 'DECLARE', bytes: 0 };
  }

  private async set(stmt: Token[]): Promise<StatementOutcome> {
    const target = stmt[1];
    if (target?.kind === 'sysvar') {
      const name = target.value.toLowerCase();
      if (name === 'dataset_id' || name === 'dataset_project_id') {
        const v = stmt[3];
        if (v?.kind !== 'string') throw new BigQueryApiError('invalidQuery', `@@${name} must be set to a string literal`);
        const ds = this.defaultDataset ?? { projectId: this.options.projectId, datasetId: '' };
        this.defaultDataset = name === 'dataset_id' ? { ...ds, datasetId: v.value } : { ...ds, projectId: v.value };
      }
      // @@query_label and other session settings do not change results: accepted and ignored
      return { statementType: 'SET', bytes: 0 };
    }
    if (isOp(target, '(')) throw unsupported('SET (a, b) = ...');
    if (!target || !isOp(stmt[2], '=')) throw new BigQueryApiError('invalidQuery', 'Syntax error: SET variable = expression');
    const name = target.value.toLowerCase();
    if (!this.variables.has(name)) throw new BigQueryApiError('invalidQuery', `Undeclared variable: ${target.value}`);
    const valueSql = this.translator(stmt.slice(3)).translateAll();
    // keep the declared type: cast to the variable's current type
    const typeR = await this.conn.runAndReadAll(`SELECT typeof(getvariable(${quoteString(name)}))`);
    const ty = String(typeR.getRows()[0]?.[0] ?? 'NULL');
    const castTo = ty === 'NULL' ? '' : ty;
    await this.exec(`SET VARIABLE ${quoteIdent(name)} = ${castTo ? `CAST((${valueSql}) AS ${castTo})` : `(${valueSql})`}`);
    return { statementType: 'SET', bytes: 0 };
  }

  private async withinTransaction(fn: () => Promise<unknown>): Promise<void> {
    if (this.inTransaction || this.nested) {
      await fn();
      return;
    }
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await fn();
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
}

function kw(value: string): Token {
  return { kind: 'ident', value, text: value, start: -1, end: -1, spaceBefore: true };
}

function sameRef(a: TableReference, b: TableReference): boolean {
  return a.projectId === b.projectId && a.datasetId === b.datasetId && a.tableId === b.tableId;
}

export function notFoundTable(ref: TableReference): BigQueryApiError {
  return new BigQueryApiError('notFound', `Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId} was not found in location US`);
}

function sourceText(tokens: Token[]): string {
  return tokens.map((t) => (t.spaceBefore ? ' ' : '') + t.text).join('').trim();
}

/**
 * BigQuery names unnamed result columns f0_, f1_, ... (counting only unnamed ones); DuckDB names them
 * after the expression. Two result columns with one name are an error in BigQuery.
 */
function bigQueryColumnNames(duckNames: string[]): string[] {
  let anonymous = 0;
  const names = duckNames.map((n) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !/^(true|false|null)$/i.test(n) ? n : `f${anonymous++}_`));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) duplicates.add(n);
    seen.add(n.toLowerCase());
  }
  if (duplicates.size > 0) {
    throw new BigQueryApiError('invalidQuery', `Duplicate column names in the result are not supported. Found duplicate(s): ${[...duplicates].join(', ')}`);
  }
  return names;
}

/** `SET t.col = ...` → `SET col = ...` (DuckDB does not accept qualified assignment targets). */
function stripSetQualifiers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let inSet = false;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(', '[')) depth++;
    if (isOp(t, ')', ']')) depth--;
    if (depth === 0 && isKeyword(t, 'SET')) inSet = true;
    else if (depth === 0 && isKeyword(t, 'WHERE', 'FROM', 'WHEN')) inSet = false;
    const prev = out[out.length - 1];
    if (inSet && depth === 0 && (isKeyword(prev, 'SET') || isOp(prev, ',')) && (t.kind === 'ident' || t.kind === 'quoted') && isOp(tokens[i + 1], '.') && isOp(tokens[i + 3], '=')) {
      i += 1; // skip qualifier and dot; the column name is pushed next iteration
      continue;
    }
    out.push(t);
  }
  return out;
}

function referencedColumns(stmt: Token[]): Set<string> | 'all' {
  if (stmt.some((t, i) => isOp(t, '*') && (isKeyword(stmt[i - 1], 'SELECT', 'DISTINCT') || isOp(stmt[i - 1], '.', ',')))) return 'all';
  const out = new Set<string>();
  for (const t of stmt) if (t.kind === 'ident' || t.kind === 'quoted') for (const p of t.value.split('.')) out.add(p.toLowerCase());
  return out;
}

function tableOptions(o: Record<string, OptionValue>, partitioning: TableResource['timePartitioning'], clustering: string[] | undefined): Partial<TableResource> {
  const out: Partial<TableResource> = {};
  const known = new Set(['description', 'labels', 'friendly_name', 'expiration_timestamp', 'partition_expiration_days', 'require_partition_filter', 'kms_key_name', 'max_staleness', 'enable_refresh', 'refresh_interval_minutes']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new BigQueryApiError('invalidQuery', `Unknown option: ${k}`);
  if (typeof o.description === 'string') out.description = o.description;
  if (Array.isArray(o.labels)) out.labels = Object.fromEntries(o.labels);
  if (typeof o.expiration_timestamp === 'string') {
    const ms = Date.parse(o.expiration_timestamp.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00').replace(/ UTC$/, 'Z'));
    if (!Number.isNaN(ms)) out.expirationTime = String(ms);
  }
  if (partitioning) {
    out.timePartitioning = { ...partitioning };
    if (typeof o.partition_expiration_days === 'number') out.timePartitioning.expirationMs = String(Math.round(o.partition_expiration_days * 86400000));
    if (o.require_partition_filter === true) out.timePartitioning.requirePartitionFilter = true;
  }
  if (o.require_partition_filter === true) out.requirePartitionFilter = true;
  if (clustering && clustering.length > 0) out.clustering = { fields: clustering };
  return out;
}

export { schemaName, readTable };
