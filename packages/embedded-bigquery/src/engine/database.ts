/**
 * One DuckDB database and one connection, used by one engine call at a time.
 *
 * Why serialize instead of a connection per call: a BigQuery script keeps session state
 * (DECLAREd variables, an open BEGIN TRANSACTION) across statements, and every DDL statement
 * must update the catalog tables atomically with the DuckDB object it changes. DuckDB's
 * optimistic MVCC would abort one of two concurrent writers to the same table with a
 * conflict error BigQuery clients do not expect. A FIFO queue over a single connection gives
 * every call a consistent snapshot and never corrupts state; DuckDB parallelizes each query
 * internally across cores, so throughput is bounded by the work, not by the queue.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MACROS } from './sql/functions/macros.js';

export class Database {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(dataPath: string): Promise<Database> {
    let file = ':memory:';
    if (dataPath !== ':memory:') {
      mkdirSync(dataPath, { recursive: true });
      file = path.join(dataPath, 'bigquery.duckdb');
    }
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    // BigQuery: ASC puts NULLs first, DESC puts them last
    await conn.run(`SET default_null_order = 'nulls_first_on_asc_last_on_desc'`);
    for (const m of MACROS) await conn.run(m);
    return new Database(instance, conn);
  }

  /**
   * Run fn with exclusive use of the connection. Aborting `signal` rejects a call still waiting
   * for its turn (with the signal's reason) and interrupts a running one, again every 50 ms until
   * it settles: a script's exception handler can catch one interrupt and go on to its next statement.
   */
  exclusive<T>(fn: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let started = false;
    const next = this.queue.then(async () => {
      if (signal?.aborted) throw signal.reason;
      started = true;
      if (!signal) return fn(this.conn);
      let repeat: NodeJS.Timeout | undefined;
      const interrupt = (): void => {
        this.conn.interrupt();
        repeat ??= setInterval(() => this.conn.interrupt(), 50);
      };
      signal.addEventListener('abort', interrupt, { once: true });
      try {
        return await fn(this.conn);
      } finally {
        signal.removeEventListener('abort', interrupt);
        clearInterval(repeat);
      }
    });
    this.queue = next.catch(() => undefined);
    if (!signal) return next;
    return new Promise<T>((resolve, reject) => {
      const early = (): void => {
        if (!started) reject(signal.reason);
      };
      signal.addEventListener('abort', early, { once: true });
      next.then(resolve, reject).finally(() => signal.removeEventListener('abort', early));
    });
  }

  async close(): Promise<void> {
    await this.queue;
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
