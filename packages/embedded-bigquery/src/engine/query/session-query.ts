/** One query of a BigQuery session (sessions.ts), on the session's connection with its kept state; dry runs roll back. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BigQueryApiError, type QueryOptions, type QueryResult } from '../types.js';
import { mapDuckError } from '../errors.js';
import { rollback } from '../rollback.js';
import type { EngineCore } from '../engine-core.js';
import { QueryRunner } from '../query-runner.js';
import type { SessionState } from './sessions.js';
import { disposeJsFunctions } from '../js-udf/define.js';

export async function runInSession(core: EngineCore, conn: DuckDBConnection, state: SessionState, sql: string, options: QueryOptions): Promise<QueryResult> {
  try {
    if (!options.dryRun) return await new QueryRunner(core, conn, options, false, undefined, state).run(sql);
    if (state.inTransaction) throw new BigQueryApiError('invalidQuery', 'A dry run cannot run inside the open transaction of a session');
    // what a dry run creates is rolled back: the session keeps nothing of it
    const scratch: SessionState = { ...state, variables: new Set(state.variables), tempTables: new Set(state.tempTables), udfs: new Set(state.udfs), jsOwners: [] };
    await conn.run('BEGIN TRANSACTION');
    try {
      const r = await new QueryRunner(core, conn, { ...options, dryRun: false }, true, undefined, scratch).run(sql);
      return { ...r, rows: [], totalRows: 0 };
    } finally {
      for (const q of scratch.jsOwners) disposeJsFunctions(q);
      await rollback(conn);
      core.invalidateStats();
    }
  } catch (e) {
    throw mapDuckError(e);
  }
}
