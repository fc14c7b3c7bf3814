/** ROLLBACK that survives the interrupts a cancelled job's connection receives. */
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Rolls back a transaction after a failure. A cancelled job's connection is interrupted
 * repeatedly until the call settles (database.ts), and an interrupt landing on the ROLLBACK itself
 * would leave the transaction aborted for the next caller: so it is tried again a few times.
 */
export async function rollback(conn: DuckDBConnection): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await conn.run('ROLLBACK');
      return;
    } catch (e) {
      if (/no transaction is active/i.test((e as Error).message)) return;
    }
  }
}
