/**
 * The loader's Postgres connections, all made here so each has its timeouts: a connect that cannot
 * hang, and on the snapshot session `statement_timeout` (a COPY whose consumer stalled ends) and
 * `idle_in_transaction_session_timeout` (a loader stuck between statements never holds a snapshot
 * open). Socket errors surface through the failing query, not as an unhandled 'error' event.
 */
import pg from 'pg';
import type { LoaderTimeouts } from '../timeouts.js';

export const APPLICATION_NAME = 'landform-loader';

export function sourceClient(databaseUrl: string, timeouts: Pick<LoaderTimeouts, 'connectMs' | 'statementMs' | 'idleInTransactionMs'>): pg.Client {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    // No client-side query_timeout: pg arms it for COPY streams too but never clears it there, and
    // the pending timer would keep a finished loader process alive; the server-side timeouts end a stuck statement.
  });
  client.on('error', () => undefined);
  return client;
}
