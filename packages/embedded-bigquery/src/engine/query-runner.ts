/**
 * Runs a GoogleSQL query or script on the engine's connection: splits statements, walks the
 * script's blocks, and dispatches each statement to its module under query/.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BigQueryApiError, type QueryOptions, type QueryResult } from './types.js';
import { isKeyword, isOp, splitStatements, tokenize, type Token } from './sql/tokenizer.js';
import { quoteIdent } from './type-mapping.js';
import { mapDuckError, unsupported } from './errors.js';
import { rollback } from './rollback.js';
import type { EngineCore } from './engine-core.js';
import { QuerySession, type StatementOutcome } from './query/session.js';
import { assert, declare, set } from './query/scripting.js';
import { parseScript, type ScriptNode } from './query/script-tree.js';
import { ScriptExecutor } from './query/script-exec.js';
import { call, type ChildRunner } from './query/procedures.js';
import { systemProcedure } from './query/system-procedures.js';
import type { SessionState } from './query/sessions.js';
import { executeImmediate } from './query/execute-immediate.js';
import { prepareRoutines } from './query/functions.js';
import { disposeJsFunctions } from './js-udf/define.js';
import { prepareCatalogReads } from './query/catalog-reads.js';
import { overloadFailure } from './query/overload-probe.js';
import { dml } from './query/dml.js';
import { create } from './query/create.js';
import { alter, drop, truncate } from './query/drop-alter.js';
import { concurrentUpdate, LockOwner } from './table-locks.js';
import { writeTargets } from './query/write-targets.js';
import { ingestionDml } from './query/ingestion-dml.js';
import { syncPartitionDate } from './ingestion-time.js';
import { StatementCatalog } from './query/statement-catalog.js';

/** DuckDB's words for a write that lost to a concurrent one (the table locks leave only DROP SCHEMA ... CASCADE racing a write). */
const DUCK_CONFLICT = /Conflict on (update|tuple deletion)|write-write conflict|another transaction has (altered|removed)|Could not commit/i;
/** Statements that return no rows yet leave a script's result to the statement before them. */
const KEEPS_SCRIPT_RESULT = new Set(['SELECT', 'SET', 'DECLARE', 'ASSERT', 'CALL', 'EXECUTE_IMMEDIATE', 'BEGIN_TRANSACTION', 'COMMIT_TRANSACTION', 'ROLLBACK_TRANSACTION']);

export class QueryRunner {
  private readonly s: QuerySession;
  /** The tables this query's statements write (table-locks.ts); an engine call may lend its own. */
  private readonly owner: LockOwner;
  private readonly ownsLocks: boolean;
  /** The catalog as each statement reads it (kept while the statement runs). */
  private readonly catalog: StatementCatalog;

  constructor(
    core: EngineCore,
    private readonly conn: DuckDBConnection,
    options: QueryOptions,
    /** Already inside a transaction the caller owns (dry runs): no BEGIN/COMMIT of our own. */
    nested = false,
    owner?: LockOwner,
    /** The BigQuery session this query runs in: its state is copied in now and out when the query ends. */
    private readonly session?: SessionState,
  ) {
    this.catalog = new StatementCatalog(core);
    this.s = new QuerySession(this.catalog, conn, options, nested);
    this.ownsLocks = owner === undefined && session === undefined;
    this.owner = owner ?? session?.owner ?? new LockOwner();
    if (session) {
      for (const v of session.variables) this.s.variables.add(v);
      for (const t of session.tempTables) this.s.tempTables.add(t);
      for (const f of session.udfs) this.s.udfs.add(f);
      if (session.defaultDataset) this.s.defaultDataset = session.defaultDataset;
      this.s.timeZone = session.timeZone;
      this.s.inTransaction = session.inTransaction;
      this.s.session = { id: session.id, abort: (id) => session.abort(id) };
    }
  }

  async run(sql: string): Promise<QueryResult> {
    try {
      return await this.runScript(sql);
    } finally {
      if (this.ownsLocks) this.s.core.locks.releaseAll(this.owner);
    }
  }

  private async runScript(sql: string): Promise<QueryResult> {
    if (/^\s*#legacySQL/i.test(sql)) throw unsupported('Legacy SQL');
    let last: StatementOutcome | undefined;
    let lastRows: StatementOutcome | undefined;
    let bytes = 0;
    let affected: number | undefined;
    let count = 0;
    let script = false;
    await this.script(sql, (nodes) => {
      // CALL and EXECUTE IMMEDIATE run child jobs: BigQuery reports them as scripts
      script = nodes.length !== 1 || nodes[0]!.kind !== 'stmt' || isKeyword(nodes[0]!.tokens[0], 'CALL', 'EXECUTE');
    }, (o) => {
      count++;
      last = o;
      bytes += o.bytes;
      // a script's result is its last statement's: one ending in DDL or DML returns no rows (recorded
      // against BigQuery); variables, assertions, transaction control and the conditions of IF / WHILE
      // leave the result as it was
      if (o.rows) lastRows = o;
      else if (!KEEPS_SCRIPT_RESULT.has(o.statementType)) lastRows = undefined;
      if (o.affected !== undefined) affected = (affected ?? 0) + o.affected;
    });
    // a session's transaction may go on in its next query
    if (this.s.inTransaction && !this.session) throw new BigQueryApiError('invalidQuery', 'Transaction is active at the end of the script; use COMMIT TRANSACTION or ROLLBACK TRANSACTION');
    const result = script ? lastRows : last;
    const out: QueryResult = {
      statementType: script ? 'SCRIPT' : last!.statementType,
      schema: { fields: result?.schema ?? [] },
      rows: result?.rows ?? [],
      totalRows: result?.rows?.length ?? 0,
      totalBytesProcessed: bytes,
      totalBytesBilled: this.s.billedBytes,
      statementCount: count,
    };
    if (!script && last?.affected !== undefined) out.numDmlAffectedRows = last.affected;
    if (script && affected !== undefined) out.numDmlAffectedRows = affected;
    if (!script && last?.ddlTarget) out.ddlTargetTable = last.ddlTarget;
    return out;
  }

  /** Parses and runs script text on this runner's session, then drops what the script created for itself. */
  private async script(sql: string, parsed: (nodes: ScriptNode[]) => void, record: (o: StatementOutcome) => void, prepare?: (s: QuerySession) => Promise<void>, finish?: (s: QuerySession) => Promise<void>): Promise<void> {
    const statements = splitStatements(tokenize(sql));
    if (statements.length === 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: Unexpected end of script');
    const nodes = parseScript(statements, sql);
    parsed(nodes);
    try {
      if (prepare) await prepare(this.s);
      await new ScriptExecutor(this.s, (stmt) => this.statement(stmt, record), record, sql).runScript(nodes);
      if (finish) await finish(this.s);
    } catch (e) {
      if (this.s.inTransaction) {
        await rollback(this.conn);
        this.s.inTransaction = false;
      }
      throw mapDuckError(e, sql);
    } finally {
      if (this.session) this.keepForSession(this.session);
      else {
        const cleanup = [
          ...[...this.s.variables].map((v) => `RESET VARIABLE ${quoteIdent(v)}`),
          ...[...this.s.tempTables].map((t) => `DROP TABLE IF EXISTS temp.main.${quoteIdent(t)}`),
          // a table function is a table macro, which DROP MACRO does not remove
          ...[...this.s.udfs].flatMap((f) => [`DROP MACRO IF EXISTS ${quoteIdent(`bq_udf_${f}`)}`, `DROP MACRO TABLE IF EXISTS ${quoteIdent(`bq_udf_${f}`)}`]),
        ];
        // one call for all of them (a publish script left eight variables: eight calls); one by one if that fails
        if (cleanup.length > 0) {
          await this.conn.run(cleanup.join('; ')).catch(async () => {
            for (const c of cleanup) await this.conn.run(c).catch(() => undefined);
          });
        }
        if (this.s.inTransaction) await rollback(this.conn);
        disposeJsFunctions(this.s);
      }
    }
  }

  /** What the query created stays for the session's next query (sessions.ts drops it when the session ends). */
  private keepForSession(kept: SessionState): void {
    // a function defined here (JavaScript ones run in sandboxes this query owns) stays defined
    if ([...this.s.udfs].some((f) => !kept.udfs.has(f))) kept.jsOwners.push(this.s);
    for (const [from, to] of [[this.s.variables, kept.variables], [this.s.tempTables, kept.tempTables], [this.s.udfs, kept.udfs]] as const) {
      to.clear();
      for (const x of from) to.add(x);
    }
    kept.defaultDataset = this.s.defaultDataset;
    kept.timeZone = this.s.timeZone;
    kept.inTransaction = this.s.inTransaction;
  }

  /** A procedure body or EXECUTE IMMEDIATE text: a child runner on the same connection, inside this one's transaction if any. */
  private child(record: (o: StatementOutcome) => void): ChildRunner {
    return async (sql, options, prepare, finish) => {
      const runner = new QueryRunner(this.s.core, this.conn, options, this.s.nested || this.s.inTransaction, this.owner);
      // a procedure body or EXECUTE IMMEDIATE text runs in the caller's @@time_zone
      runner.s.timeZone = this.s.timeZone;
      await runner.script(sql, () => undefined, record, prepare, finish).finally(() => {
        this.s.billedBytes += runner.s.billedBytes;
      });
    };
  }

  /**
   * One statement, after its turn on every table it writes: outside a transaction the turn ends
   * with the statement, inside one with COMMIT or ROLLBACK (BigQuery's rules, table-locks.ts).
   */
  private statement(stmt: Token[], record: (o: StatementOutcome) => void): Promise<StatementOutcome> {
    return this.catalog.during(() => this.oneStatement(stmt, record));
  }

  private async oneStatement(stmt: Token[], record: (o: StatementOutcome) => void): Promise<StatementOutcome> {
    const locks = this.s.core.locks;
    const targets = writeTargets(this.s, stmt);
    const taken: string[] = [];
    try {
      this.owner.transaction = this.s.inTransaction || this.s.nested;
      for (const t of targets) if (await locks.acquire(t, this.owner, this.s.options.signal)) taken.push(t);
      // a query reads the catalog and the tables in one snapshot, whatever commits meanwhile
      if (isKeyword(stmt[0], 'SELECT', 'WITH') || isOp(stmt[0], '(')) return await this.s.withinTransaction(() => this.dispatch(stmt, record));
      const dml = await ingestionDml(this.s, stmt);
      const sync = dml.sync;
      if (!sync) return await this.dispatch(dml.stmt, record);
      return await this.s.withinTransaction(async () => {
        const outcome = await this.dispatch(dml.stmt, record);
        await syncPartitionDate(this.conn, sync);
        return outcome;
      });
    } catch (e) {
      if (targets[0] && !(e instanceof BigQueryApiError) && DUCK_CONFLICT.test(e instanceof Error ? e.message : String(e))) throw concurrentUpdate(targets[0]);
      throw await overloadFailure(this.s, stmt, e);
    } finally {
      const keep = this.s.inTransaction || this.s.nested;
      this.owner.transaction = keep;
      if (!keep && this.ownsLocks) locks.releaseAll(this.owner);
      else if (!keep) for (const t of taken) locks.release(t, this.owner);
    }
  }

  private async dispatch(stmt: Token[], record: (o: StatementOutcome) => void): Promise<StatementOutcome> {
    const k = (i: number): string => (stmt[i]?.kind === 'ident' ? stmt[i]!.value.toUpperCase() : '');
    this.s.preparedTables.clear();
    this.s.pseudoColumns.clear();
    this.s.preparedReads.length = 0;
    await prepareRoutines(this.s, stmt);
    await prepareCatalogReads(this.s, stmt);
    const first = k(0);
    if (this.s.transactionAborted && !['SELECT', 'WITH', 'ROLLBACK', 'COMMIT', 'DECLARE', 'SET', 'ASSERT', ''].includes(first)) {
      throw unsupported(`${first} after an error inside a transaction, before its ROLLBACK`);
    }
    switch (first) {
      case 'SELECT':
      case 'WITH':
      case 'FROM': // a pipe-syntax query (sql/pipe.ts)
        return this.s.select(stmt, 'SELECT', false);
      case '':
        if (isOp(stmt[0], '(')) return this.s.select(stmt, 'SELECT', false);
        break;
      case 'INSERT':
      case 'UPDATE':
      case 'DELETE':
      case 'MERGE':
        return dml(this.s, stmt, first);
      case 'CREATE':
        return create(this.s, stmt);
      case 'DROP':
        return drop(this.s, stmt);
      case 'ALTER':
        return alter(this.s, stmt);
      case 'TRUNCATE':
        return truncate(this.s, stmt);
      case 'CALL':
        return (await systemProcedure(this.s, stmt)) ?? call(this.s, stmt, this.child(record));
      case 'EXECUTE':
        return executeImmediate(this.s, stmt, this.child(record));
      case 'DECLARE':
        return declare(this.s, stmt);
      case 'SET':
        return set(this.s, stmt);
      case 'BEGIN':
        if (stmt.length === 1 || (k(1) === 'TRANSACTION' && stmt.length === 2)) {
          if (this.s.inTransaction) throw new BigQueryApiError('invalidQuery', 'Transaction already active');
          await this.conn.run('BEGIN TRANSACTION');
          this.s.inTransaction = true;
          return { statementType: 'BEGIN_TRANSACTION', bytes: 0 };
        }
        throw unsupported('BEGIN ... END block without a matching END');
      case 'COMMIT':
        if (!this.s.inTransaction) throw new BigQueryApiError('invalidQuery', 'No transaction is active');
        if (this.s.transactionAborted) throw unsupported('COMMIT TRANSACTION after an error inside the transaction (the changes before the error cannot be kept here; ROLLBACK TRANSACTION is)');
        await this.conn.run('COMMIT');
        this.s.inTransaction = false;
        return { statementType: 'COMMIT_TRANSACTION', bytes: 0 };
      case 'ROLLBACK':
        if (!this.s.inTransaction) throw new BigQueryApiError('invalidQuery', 'No transaction is active');
        if (!this.s.transactionAborted) await this.conn.run('ROLLBACK');
        this.s.inTransaction = false;
        this.s.transactionAborted = false;
        this.s.core.invalidateStats();
        return { statementType: 'ROLLBACK_TRANSACTION', bytes: 0 };
      case 'ASSERT':
        return assert(this.s, stmt);
      default:
        break;
    }
    throw unsupported(`Statement "${stmt.slice(0, 3).map((t) => t.text).join(' ')}"`);
  }
}
