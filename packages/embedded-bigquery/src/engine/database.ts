/**
 * One DuckDB database and a small pool of connections to it. Every engine call borrows one
 * connection for its whole duration (a script keeps its variables, temporary tables and open
 * transaction on it) and gives it back; calls on different connections run in parallel, and each
 * sees committed data only (DuckDB's MVCC). DuckDB would abort one of two concurrent writers to the
 * same table with an error BigQuery clients do not expect, so writers take the table's turn first
 * (table-locks.ts); readers take no lock at all.
 *
 * Settings every connection needs are set GLOBAL on the first one before the configuration is
 * locked, and connections made later inherit them (a locked configuration refuses SET, even
 * per session); the temporary macros the translator calls are installed on each connection.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MACROS } from './sql/functions/macros.js';
import { registerJsFunctions } from './sql/functions/js-functions.js';
import { FileIntake } from './file-intake.js';
import { quoteString } from './type-mapping.js';
import { TableLocks } from './table-locks.js';
import { rollback } from './rollback.js';

/**
 * Connections open at most: enough for writers queued on a table (each waits on its connection)
 * and the reads that overtake them; a call beyond it waits for a connection, never while holding a table.
 */
const POOL_SIZE = 16;

export class Database {
  /** Whose turn it is to write each table. */
  readonly locks = new TableLocks();
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: { take: (conn: DuckDBConnection) => void }[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private opening = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    first: DuckDBConnection,
    /** Where load jobs' files are put for DuckDB to read: the only directory it may open. */
    readonly intake: FileIntake,
  ) {
    this.all.push(first);
    this.idle.push(first);
  }

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
    await conn.run(`SET GLOBAL TimeZone = 'UTC'`);
    // BigQuery: ASC puts NULLs first, DESC puts them last
    await conn.run(`SET GLOBAL default_null_order = 'nulls_first_on_asc_last_on_desc'`);
    for (const m of MACROS) await conn.run(m);
    // scalar functions registered on a connection are in the database's catalog: every connection sees them
    registerJsFunctions(conn);
    const intake = await FileIntake.create();
    await lockDown(conn, intake.dir);
    return new Database(instance, conn, intake);
  }

  /**
   * Run fn on a connection of its own (waiting for one when all POOL_SIZE are busy). Aborting
   * `signal` rejects a call still waiting for a connection (with the signal's reason) and
   * interrupts a running one, again every 50 ms until it settles: a script's exception handler
   * can catch one interrupt and go on to its next statement.
   */
  withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const call = this.borrow(signal).then(async (conn) => {
      let repeat: NodeJS.Timeout | undefined;
      const interrupt = (): void => {
        conn.interrupt();
        repeat ??= setInterval(() => conn.interrupt(), 50);
      };
      signal?.addEventListener('abort', interrupt, { once: true });
      let failed = false;
      try {
        // An abort while the connection was being opened (its macros installed: long under load)
        // fired before the listener existed: without this the call would run to its end.
        signal?.throwIfAborted();
        return await fn(conn);
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        signal?.removeEventListener('abort', interrupt);
        clearInterval(repeat);
        // a call that failed half-way must not hand an open transaction to the next borrower
        if (failed) await rollback(conn);
        this.giveBack(conn);
      }
    });
    const tracked = call.catch(() => undefined);
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return call;
  }

  private async borrow(signal?: AbortSignal): Promise<DuckDBConnection> {
    if (signal?.aborted) throw signal.reason;
    const ready = this.idle.pop();
    if (ready) return ready;
    if (this.all.length + this.opening < POOL_SIZE) {
      this.opening++;
      try {
        const conn = await this.instance.connect();
        for (const m of MACROS) await conn.run(m);
        this.all.push(conn);
        return conn;
      } finally {
        this.opening--;
      }
    }
    return new Promise<DuckDBConnection>((resolve, reject) => {
      const waiter = {
        take: (conn: DuckDBConnection): void => {
          signal?.removeEventListener('abort', abort);
          resolve(conn);
        },
      };
      const abort = (): void => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private giveBack(conn: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next.take(conn);
    else this.idle.push(conn);
  }

  async close(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    for (const conn of this.all) conn.closeSync();
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
