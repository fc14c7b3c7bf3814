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
import { registerJsFunctions } from './sql/functions/js-functions.js';
import { FileIntake } from './file-intake.js';
import { quoteString } from './type-mapping.js';

export class Database {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    /** Where load jobs' files are put for DuckDB to read: the only directory it may open. */
    readonly intake: FileIntake,
  ) {}

  static async open(dataPath: string): Promise<Database> {
    let file = ':memory:';
    if (dataPath !== ':memory:') {
      mkdirSync(dataPath, { recursive: true });
      file = path.join(dataPath, 'bigquery.duckdb');
    }
    // no extension is ever installed or loaded: the engine needs only what is built in (json, parquet, icu)
    const instance = await DuckDBInstance.create(file, {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allow_community_extensions: 'false',
      allow_unsigned_extensions: 'false',
      allow_persistent_secrets: 'false',
    });
    const conn = await instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    // BigQuery: ASC puts NULLs first, DESC puts them last
    await conn.run(`SET default_null_order = 'nulls_first_on_asc_last_on_desc'`);
    for (const m of MACROS) await conn.run(m);
    registerJsFunctions(conn);
    const intake = await FileIntake.create();
    await lockDown(conn, intake.dir);
    return new Database(instance, conn, intake);
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
    this.intake.close();
  }
}

/**
 * Even SQL that should never have reached DuckDB cannot touch the machine: no file outside the
 * intake directory can be read or written (read_csv, read_text, glob, COPY, EXPORT, ATTACH and
 * replacement scans all fail with a Permission Error), no extension loads, and the configuration
 * is locked last, so no SET or PRAGMA can undo any of it. DuckDB keeps using its own database
 * file, write-ahead log and spill files: those are not external access.
 */
async function lockDown(conn: DuckDBConnection, intakeDir: string): Promise<void> {
  await conn.run(`SET allowed_directories = [${quoteString(`${intakeDir}${path.sep}`)}]`);
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
}
