/**
 * The state one query or script carries across its statements (variables, parameters, the open
 * transaction, temporary tables and functions, the default dataset) and the operations every
 * statement kind shares: translating, resolving table paths, running SQL, reading results.
 */
import type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { BigQueryApiError, type QueryOptions, type Row, type TableFieldSchema, type TableReference, type TableResource } from '../types.js';
import { isKeyword, type Token } from '../sql/tokenizer.js';
import { Translator, type ResolvedTable } from '../sql/translator.js';
import { ParamBinder } from '../params.js';
import { encodeRow } from '../encode.js';
import { fieldOfDuckType, quoteIdent } from '../type-mapping.js';
import { tableSql } from '../catalog.js';
import { checkPartitionFilter, checkViewPartitionFilters, filteredIdentifiers, requiredFilterColumn } from '../partition-filter.js';
import { notFoundDataset, notFoundTable } from '../errors.js';
import type { EngineCore } from '../engine-core.js';
import { informationSchema } from './information-schema.js';
import { rollback } from '../rollback.js';
import { bigQueryColumnNames, sameRef } from './result-columns.js';
import { readResultRows } from './result-rows.js';
import { checkVariableShadowing } from './variable-shadow.js';
import { emptyArrayPathTypes } from '../sql/array-paths.js';
import type { SetOperationColumns } from '../sql/set-operation-modes.js';
import { constantEvaluator, estimateBytes, viewReads, type DmlTarget, type ViewScope, type TableRead } from '../bytes-estimate/index.js';

export interface StatementOutcome {
  statementType: string;
  schema?: TableFieldSchema[];
  rows?: Row[];
  affected?: number;
  bytes: number;
  ddlTarget?: TableReference;
}

export class QuerySession {
  readonly variables = new Set<string>();
  readonly binder: ParamBinder;
  inTransaction = false;
  /**
   * An exception handler caught an error inside the open transaction and DuckDB had already
   * aborted it: BigQuery's transaction is still open (the handler may COMMIT what came before the
   * error), DuckDB's is gone, so only reads and ROLLBACK can give BigQuery's answer now.
   */
  transactionAborted = false;
  readonly tempTables = new Set<string>();
  readonly udfs = new Set<string>();
  /** Table operands built from the catalog before the statement is translated (wildcard tables, PARTITIONS), by lowercase dotted path. */
  readonly preparedTables = new Map<string, ResolvedTable>();
  /** Tables those operands read (a wildcard's matches): checked and billed like the statement's own. */
  readonly preparedReads: TableReference[] = [];
  /** Pseudo-columns those operands carry (left out of `SELECT *`). */
  readonly pseudoColumns = new Set<string>();
  /** Catalog table functions defined as macros for this query (lowercase dotted names). */
  readonly tableFunctions = new Set<string>();
  /** FOR ... IN loop variables (a row each). */
  readonly rowVariables = new Set<string>();
  /** Errors being handled by EXCEPTION WHEN ERROR blocks, innermost last (`RAISE;`, `@@error.*`). */
  readonly errors: { error: BigQueryApiError; statementText: string }[] = [];
  /** Text of the statement running now, for `@@error.statement_text`. */
  statementText = '';
  /** Rows changed by the last DML statement (`@@row_count`). */
  rowCount: number | null = null;
  defaultDataset: { projectId: string; datasetId: string } | undefined;
  /** `SET @@time_zone`: the default zone of date/time functions, as written (UTC unless set). */
  timeZone = 'UTC';
  /** The BigQuery session the query runs in (sessions.ts): its id (`@@session_id`) and how to end it. */
  session: { id: string; abort(id?: string): void } | undefined;
  /** Types learned for paths that read fields through arrays (array-path-probe.ts). */
  readonly arrayPaths = emptyArrayPathTypes();
  /** Columns of set operations' input queries (set-operation-probe.ts). */
  readonly setOperations: SetOperationColumns = new Map();
  /** Bytes billed so far by this session's statements (each table read at least 10 MB). */
  billedBytes = 0;

  constructor(
    readonly core: EngineCore,
    readonly conn: DuckDBConnection,
    readonly options: QueryOptions,
    /** Already inside a transaction the caller owns (dry runs): no BEGIN/COMMIT of our own. */
    readonly nested = false,
  ) {
    this.binder = new ParamBinder(options.parameterMode, options.queryParameters ?? []);
    this.defaultDataset = options.defaultDataset;
  }

  translator(tokens: Token[], functionParams?: ReadonlyMap<string, string>): Translator {
    this.binder.reset();
    return new Translator(tokens.map((t) => (t.kind === 'sysvar' ? this.systemVariable(t) : t)), {
      resolveTable: (parts, strict) => this.resolveTable(parts, strict),
      bindParam: (t) => this.binder.bind(t, this.timeZone === 'UTC' ? undefined : this.timeZone),
      namedParamValue: (t) => this.binder.namedValue(t),
      variables: this.variables,
      udfs: this.udfs,
      rowVariables: this.rowVariables,
      tableFunctions: this.tableFunctions,
      pseudoColumns: this.pseudoColumns,
      arrayPaths: this.arrayPaths,
      setOperations: this.setOperations,
      ...(this.timeZone === 'UTC' ? {} : { timeZone: this.timeZone }),
      ...(functionParams ? { functionParams } : {}),
    });
  }

  /**
   * A system variable becomes a literal token of its current value, so the translator quotes it
   * like any other literal; names without a value here stay sysvars (and fail as unsupported).
   */
  private systemVariable(t: Token): Token {
    const name = t.value.toLowerCase();
    const err = this.errors[this.errors.length - 1];
    const str = (value: string | null): Token => (value === null ? { ...t, kind: 'ident', value: 'NULL', text: 'NULL' } : { ...t, kind: 'string', value, text: JSON.stringify(value) });
    switch (name) {
      case 'error.message':
      case 'error.statement_text':
        if (!err) throw new BigQueryApiError('invalidQuery', `@@${name} can only be read inside an exception handler`);
        return str(name === 'error.message' ? err.error.message : err.statementText);
      case 'project_id':
        return str(this.options.projectId);
      case 'dataset_id':
        return str(this.defaultDataset?.datasetId ?? null);
      case 'dataset_project_id':
        return str(this.defaultDataset?.projectId ?? null);
      case 'session_id':
        return str(this.session?.id ?? null);
      case 'time_zone':
        return str(this.timeZone);
      case 'row_count':
        return this.rowCount === null ? str(null) : { ...t, kind: 'number', value: String(this.rowCount), text: String(this.rowCount) };
      default:
        return t;
    }
  }

  resolveTable(parts: string[], strict: boolean): ResolvedTable | null {
    const prepared = this.preparedTables.get(parts.join('.').toLowerCase());
    if (prepared) return prepared;
    const upper = parts.map((p) => p.toUpperCase());
    const infoAt = upper.indexOf('INFORMATION_SCHEMA');
    if (infoAt >= 0) return this.informationSchema(parts.slice(0, infoAt), upper.slice(infoAt + 1).join('.'));
    // `_SESSION.t`: a temporary table of this session (or script), never a dataset's table
    if (parts.length === 2 && upper[0] === '_SESSION') {
      const name = parts[1]!.toLowerCase();
      if (this.tempTables.has(name)) return { sql: `temp.main.${quoteIdent(name)}` };
      if (!strict) return null;
      throw new BigQueryApiError('notFound', `Not found: Table _SESSION.${parts[1]!}${this.session ? '' : ' (no session: _SESSION names temporary tables of the session the query runs in)'}`);
    }
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
    return informationSchema(scope, view, this.options.projectId, this.defaultDataset !== undefined);
  }

  /** Runs translated SQL with the current parameters. */
  async exec(sql: string): Promise<DuckDBResultReader> {
    const values: DuckDBValue[] = this.binder.values;
    return values.length > 0 ? this.conn.runAndReadAll(sql, values) : this.conn.runAndReadAll(sql);
  }

  /** SELECT (or a bare expression when `expression` is set). */
  async select(stmt: Token[], statementType: string, expression: boolean): Promise<StatementOutcome> {
    const t = this.translator(stmt);
    const body = t.translateAll();
    const sql = expression ? `SELECT ${body}` : body;
    const bytes = await this.checkReads(t.tables, stmt);
    const values: DuckDBValue[] = this.binder.values;
    const result = values.length > 0 ? await this.conn.run(sql, values) : await this.conn.run(sql);
    const names = bigQueryColumnNames(result.columnNames());
    const types = result.columnTypes();
    const fields = types.map((ty, i) => fieldOfDuckType(names[i]!, ty, { unnamedFields: true }));
    const rows = (await readResultRows(result, types)).map((r) => encodeRow(r, fields, { useInt64Timestamp: this.options.useInt64Timestamp }));
    return { statementType, schema: fields, rows, bytes };
  }

  /** Existence, require_partition_filter and bytes for tables a statement reads (processed returned, billed added to billedBytes). */
  async checkReads(refs: TableReference[], stmt: Token[], exempt?: TableReference, exemptFiltered?: Set<string>): Promise<number> {
    await checkVariableShadowing(this, refs, stmt, exempt && isKeyword(stmt[0], 'INSERT') && !refs.slice(1).some((r) => sameRef(r, exempt)) ? refs[0] : undefined);
    const reads: TableRead[] = [];
    const filtered = filteredIdentifiers(stmt);
    const seen = new Set<string>();
    for (const ref of [...refs, ...this.preparedReads]) {
      const key = `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
      const meta = await this.core.tableMeta(this.conn, ref);
      // BigQuery names the missing dataset when the dataset is what is missing
      if (!meta) throw (await this.core.datasetExists(this.conn, ref)) ? notFoundTable(ref) : notFoundDataset(ref);
      if (meta.type === 'VIEW' || meta.type === 'MATERIALIZED_VIEW') await checkViewPartitionFilters(this.viewScope(), meta, filtered, stmt);
      const col = requiredFilterColumn(meta);
      if (col) {
        const isExempt = exempt && sameRef(exempt, ref);
        // an INSERT writes its target without reading it: BigQuery asks for the filter only where a table is read
        const inserted = isExempt && isKeyword(stmt[0], 'INSERT') && !refs.slice(1).some((r) => sameRef(r, ref));
        // a MERGE target is exempted by its ON or WHEN conditions; every other read needs a conjunct on the column alone
        const merged = isExempt && exemptFiltered && isKeyword(stmt[0], 'MERGE');
        if (!inserted) checkPartitionFilter(ref, col, isExempt && exemptFiltered ? new Set([...filtered, ...exemptFiltered]) : filtered, merged ? undefined : { stmt, meta });
      }
      if (seen.has(key)) continue;
      seen.add(key);
      reads.push({ ref, meta });
    }
    const scope = this.viewScope();
    const context = {
      conn: this.conn, bytesForColumns: this.core.bytesForColumns.bind(this.core), evaluate: constantEvaluator({ conn: this.conn, options: this.options, env: scope.env }, stmt),
      expandView: (meta: TableResource) => viewReads(scope, meta),
    };
    const kind = stmt[0]?.value.toUpperCase();
    const target = exempt && (kind === 'INSERT' || kind === 'UPDATE' || kind === 'DELETE' || kind === 'MERGE') ? { ref: exempt, kind: kind as DmlTarget['kind'] } : undefined;
    const estimate = await estimateBytes(context, stmt, reads, target);
    this.billedBytes += estimate.billed;
    return estimate.processed;
  }

  /** What reading a view's text needs: this session's names, variables and functions. */
  private viewScope(): ViewScope {
    const env = { resolveTable: (parts: string[], strict: boolean) => this.resolveTable(parts, strict), variables: this.variables, udfs: this.udfs, rowVariables: this.rowVariables, tableFunctions: this.tableFunctions, pseudoColumns: this.pseudoColumns };
    return { conn: this.conn, env, tableMeta: this.core.tableMeta.bind(this.core) };
  }

  /** fn in a transaction of its own (one snapshot, committed whole), or in the one already open. */
  async withinTransaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction || this.nested) return fn();
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (e) {
      await rollback(this.conn);
      throw e;
    }
  }
}
