/**
 * BigQuery sessions (jobs.query / jobs.insert with `createSession`, later queries with the
 * `session_id` connection property): temporary tables, temporary functions, variables, the
 * default dataset (`SET @@dataset_id`) and an open transaction live across the session's queries
 * and nowhere else. A session keeps one DuckDB connection of the pool for its whole life (DuckDB's
 * temporary tables, variables and macros belong to a connection, so no other query can see them)
 * and runs its queries one at a time, in the order they came. It ends with `CALL BQ.ABORT_SESSION()`
 * (its open transaction rolled back, its temporary objects dropped), after 24 hours without a
 * query, or when the engine closes; a query naming it afterwards fails. Sessions are not kept
 * across a restart of the engine.
 */
import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { BigQueryApiError, type DatasetReference, type QueryOptions, type QueryResult } from '../types.js';
import { quoteIdent } from '../type-mapping.js';
import { rollback } from '../rollback.js';
import { LockOwner, type TableLocks } from '../table-locks.js';
import { disposeJsFunctions } from '../js-udf/define.js';
import type { QuerySession } from './session.js';

/** BigQuery ends a session after 24 hours without activity. */
export const SESSION_IDLE_MS = 24 * 3600 * 1000;
/** Sessions open at once at most: each holds a pooled connection, and the pool must keep room for other queries. */
export const MAX_SESSIONS = 8;

/** What a session keeps between its queries (QueryRunner copies it in before a query and out after it). */
export interface SessionState {
  readonly id: string;
  readonly variables: Set<string>;
  readonly tempTables: Set<string>;
  readonly udfs: Set<string>;
  defaultDataset: DatasetReference | undefined;
  /** `SET @@time_zone` of an earlier query of the session. */
  timeZone: string;
  inTransaction: boolean;
  /** The tables the session's open transaction holds (table-locks.ts). */
  readonly owner: LockOwner;
  /** The session's queries that defined temporary JavaScript functions: their sandboxes live until the session ends. */
  readonly jsOwners: QuerySession[];
  /** Ends a session (this one without an id) once the running query is over. */
  abort(id?: string): void;
}

interface Session {
  state: SessionState;
  projectId: string;
  conn: DuckDBConnection;
  release: () => void;
  lastUsed: number;
  /** The session's queries, one after another. */
  queue: Promise<unknown>;
  ending: boolean;
}

export type SessionQuery = (conn: DuckDBConnection, state: SessionState, options: QueryOptions) => Promise<QueryResult>;

export class Sessions {
  private readonly open = new Map<string, Session>();
  /** Sessions that ended (aborted or expired), so a later query says so instead of "not found". */
  private readonly ended = new Set<string>();

  constructor(
    /** Database.withConnection: a session keeps the connection by not settling fn until it ends. */
    private readonly withConnection: (fn: (conn: DuckDBConnection) => Promise<void>) => Promise<void>,
    private readonly locks: TableLocks,
  ) {}

  /** A pooled connection kept until release(). */
  private hold(): Promise<{ conn: DuckDBConnection; release: () => void }> {
    return new Promise((resolve, reject) => {
      this.withConnection((conn) => new Promise<void>((release) => resolve({ conn, release }))).catch(reject);
    });
  }

  /** Runs a query in the session it names (`sessionId`) or in a new one (`createSession`); the result carries the session's id. */
  async query(options: QueryOptions, run: SessionQuery): Promise<QueryResult & { sessionId: string }> {
    this.expire();
    if (options.createSession && options.sessionId) throw new BigQueryApiError('invalid', 'Cannot set both createSession and the session_id connection property');
    const created = !options.sessionId;
    const session = options.sessionId ? this.find(options.sessionId, options.projectId) : await this.create(options.projectId);
    const turn = session.queue.then(async () => {
      if (session.ending) throw terminated(session.state.id);
      session.lastUsed = Date.now();
      const interrupt = (): void => session.conn.interrupt();
      options.signal?.addEventListener('abort', interrupt, { once: true });
      try {
        const result = await run(session.conn, session.state, options);
        return { ...result, sessionId: session.state.id };
      } catch (e) {
        // a session whose first query failed was never handed out: nobody could end it
        if (created) session.ending = true;
        throw e;
      } finally {
        options.signal?.removeEventListener('abort', interrupt);
        session.lastUsed = Date.now();
        if (!session.state.inTransaction) this.locks.releaseAll(session.state.owner);
        if (session.ending) await this.end(session);
      }
    });
    session.queue = turn.catch(() => undefined);
    return turn;
  }

  private find(id: string, projectId: string): Session {
    const session = this.open.get(id);
    if (!session) {
      if (this.ended.has(id)) throw terminated(id);
      throw new BigQueryApiError('notFound', `Not found: Session ${id}`);
    }
    if (session.projectId !== projectId) throw new BigQueryApiError('notFound', `Not found: Session ${id} in project ${projectId}`);
    if (session.ending) throw terminated(id);
    return session;
  }

  private async create(projectId: string): Promise<Session> {
    if (this.open.size >= MAX_SESSIONS) {
      throw new BigQueryApiError('resourcesExceeded', `Too many open sessions (the embedded BigQuery keeps at most ${MAX_SESSIONS}); end one with CALL BQ.ABORT_SESSION()`);
    }
    const id = randomBytes(20).toString('hex');
    const { conn, release } = await this.hold();
    const session: Session = {
      projectId,
      conn,
      release,
      lastUsed: Date.now(),
      queue: Promise.resolve(),
      ending: false,
      state: {
        id,
        variables: new Set(),
        tempTables: new Set(),
        udfs: new Set(),
        defaultDataset: undefined,
        timeZone: 'UTC',
        inTransaction: false,
        owner: new LockOwner(),
        jsOwners: [],
        abort: (which?: string) => this.abort(which ?? id, projectId),
      },
    };
    this.open.set(id, session);
    return session;
  }

  /** Marks a session to end: now when idle, else after its running query. */
  abort(id: string, projectId: string): void {
    const session = this.find(id, projectId);
    session.ending = true;
    session.queue = session.queue.then(() => this.end(session));
  }

  /** Rolls back, drops what the session created and gives its connection back. */
  private async end(session: Session): Promise<void> {
    if (!this.open.has(session.state.id)) return;
    this.open.delete(session.state.id);
    this.ended.add(session.state.id);
    const { conn, state } = session;
    if (state.inTransaction) await rollback(conn);
    state.inTransaction = false;
    this.locks.releaseAll(state.owner);
    for (const v of state.variables) await conn.run(`RESET VARIABLE ${quoteIdent(v)}`).catch(() => undefined);
    for (const t of state.tempTables) await conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(t)}`).catch(() => undefined);
    for (const f of state.udfs) {
      await conn.run(`DROP MACRO IF EXISTS ${quoteIdent(`bq_udf_${f}`)}`).catch(() => undefined);
      await conn.run(`DROP MACRO TABLE IF EXISTS ${quoteIdent(`bq_udf_${f}`)}`).catch(() => undefined);
    }
    for (const q of state.jsOwners) disposeJsFunctions(q);
    session.release();
  }

  /** Ends the sessions idle for 24 hours (checked whenever a session query comes). */
  private expire(): void {
    const cutoff = Date.now() - SESSION_IDLE_MS;
    for (const session of this.open.values()) {
      if (session.lastUsed < cutoff && !session.ending) {
        session.ending = true;
        session.queue = session.queue.then(() => this.end(session));
      }
    }
  }

  /** Ends every session (engine close), after their running queries. */
  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    for (const s of all) s.ending = true;
    await Promise.all(all.map((s) => s.queue.then(() => this.end(s))));
  }
}

function terminated(id: string): BigQueryApiError {
  return new BigQueryApiError('invalidQuery', `Session ${id} has been terminated`);
}
