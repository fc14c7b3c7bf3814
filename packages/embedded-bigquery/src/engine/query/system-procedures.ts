/**
 * BigQuery's system procedures, `CALL BQ.name(...)`: REFRESH_MATERIALIZED_VIEW and ABORT_SESSION.
 * A CALL of any other name is a user's procedure (procedures.ts).
 */
import { BigQueryApiError } from '../types.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { closingParen } from '../sql/ddl.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { refreshMaterializedView } from './materialized-views.js';

export async function systemProcedure(s: QuerySession, stmt: Token[]): Promise<StatementOutcome | undefined> {
  if (!(isKeyword(stmt[1], 'BQ') && isOp(stmt[2], '.'))) return undefined;
  const name = stmt[3]?.value.toUpperCase();
  if (name !== 'REFRESH_MATERIALIZED_VIEW' && name !== 'ABORT_SESSION') return undefined;
  if (!isOp(stmt[4], '(')) throw new BigQueryApiError('invalidQuery', `Syntax error: CALL BQ.${name}(...)`);
  const close = closingParen(stmt, 4);
  if (close !== stmt.length - 1) throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected text after CALL BQ.${name}(...)`);
  const args = stmt.slice(5, close);
  if (args.length > 1 || (args[0] && args[0].kind !== 'string')) throw new BigQueryApiError('invalidQuery', `BQ.${name} takes one STRING literal`);
  const arg = args[0]?.value;
  if (name === 'REFRESH_MATERIALIZED_VIEW') {
    if (arg === undefined) throw new BigQueryApiError('invalidQuery', 'BQ.REFRESH_MATERIALIZED_VIEW takes the view name');
    return refreshMaterializedView(s, arg);
  }
  // ABORT_SESSION([session_id]): the current session, or the one named
  if (s.session) s.session.abort(arg);
  else if (arg === undefined) throw new BigQueryApiError('invalidQuery', 'BQ.ABORT_SESSION() without a session id must run in a session');
  else s.core.abortSession(arg, s.options.projectId);
  return { statementType: 'CALL', bytes: 0 };
}
