/**
 * Whose turn it is to write a table, with BigQuery's rules for concurrent mutations:
 * - statements outside a transaction (DML, DDL, loads, copies, insertAll, tables.patch) that write
 *   the same table queue, first come first served, and each runs alone on it;
 * - a multi-statement transaction keeps every table it wrote until COMMIT or ROLLBACK; a statement
 *   outside a transaction waits for it, and another transaction that wants one of those tables is
 *   cancelled with BigQuery's error ("Could not serialize access to table ... due to concurrent
 *   update"), as BigQuery cancels conflicting transactions.
 * Readers never take a turn: they read the last committed data (DuckDB's MVCC), as on BigQuery.
 *
 * No deadlock: only a transaction waits while holding tables, and it waits only for statements
 * outside a transaction, which hold one table and never wait while holding it.
 */
import { BigQueryApiError } from './types.js';

/** One writer: an engine call, or a query/script (with its procedures and EXECUTE IMMEDIATE). */
export class LockOwner {
  /** Inside BEGIN ... COMMIT (or a dry run's transaction that is always rolled back): keeps what it takes. */
  transaction = false;
  readonly held = new Set<string>();
}

interface Waiter {
  owner: LockOwner;
  grant: () => void;
  fail: (e: Error) => void;
}

interface Entry {
  holder: LockOwner;
  waiters: Waiter[];
}

/** BigQuery's error for a mutation that conflicts with a transaction on the same table. */
export function concurrentUpdate(table: string): BigQueryApiError {
  return new BigQueryApiError('invalidQuery', `Could not serialize access to table ${table} due to concurrent update`);
}

export class TableLocks {
  private readonly entries = new Map<string, Entry>();
  /** When each table's last write turn ended (since this engine started). */
  private readonly lastWrite = new Map<string, number>();
  private readonly since = Date.now();

  /** The latest time the table may have changed that this engine can vouch for: its last write turn, or the engine's start. */
  lastChange(table: string): number {
    return this.lastWrite.get(table) ?? this.since;
  }

  /** When the table's last write turn ended, if it had one since this engine started; and when that was. */
  recordedWrite(table: string): { at: number | undefined; since: number } {
    return { at: this.lastWrite.get(table), since: this.since };
  }

  /**
   * Takes the table (named as BigQuery prints it, `project:dataset.table`) for `owner`, waiting
   * for its turn: true once taken, false when the owner held it already. Rejects with the
   * signal's reason when aborted while waiting.
   */
  acquire(table: string, owner: LockOwner, signal?: AbortSignal): Promise<boolean> {
    if (owner.held.has(table)) return Promise.resolve(false);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const entry = this.entries.get(table);
    if (!entry) {
      this.entries.set(table, { holder: owner, waiters: [] });
      owner.held.add(table);
      return Promise.resolve(true);
    }
    if (owner.transaction && entry.holder.transaction) return Promise.reject(concurrentUpdate(table));
    return new Promise<boolean>((resolve, reject) => {
      const abort = (): void => {
        const current = this.entries.get(table);
        if (current) current.waiters = current.waiters.filter((w) => w !== waiter);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        owner,
        grant: () => {
          signal?.removeEventListener('abort', abort);
          owner.held.add(table);
          resolve(true);
        },
        fail: (e) => {
          signal?.removeEventListener('abort', abort);
          reject(e);
        },
      };
      signal?.addEventListener('abort', abort, { once: true });
      entry.waiters.push(waiter);
    });
  }

  /** Gives back every table the owner holds; the next in line for each gets it. */
  releaseAll(owner: LockOwner): void {
    for (const table of [...owner.held]) this.release(table, owner);
  }

  release(table: string, owner: LockOwner): void {
    owner.held.delete(table);
    this.lastWrite.set(table, Date.now());
    const entry = this.entries.get(table);
    if (!entry || entry.holder !== owner) return;
    const next = entry.waiters.shift();
    if (!next) {
      this.entries.delete(table);
      return;
    }
    entry.holder = next.owner;
    if (next.owner.transaction) {
      // the table now belongs to a transaction: other transactions waiting for it conflict with it
      for (const w of entry.waiters.filter((x) => x.owner.transaction)) w.fail(concurrentUpdate(table));
      entry.waiters = entry.waiters.filter((x) => !x.owner.transaction);
    }
    next.grant();
  }

  /** Tables someone holds or waits for (for tests: none once every call settled). */
  get busy(): number {
    return this.entries.size;
  }
}
