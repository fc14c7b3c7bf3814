/**
 * ALTER PROJECT p SET OPTIONS (`region-us.option` = value, ...): a project's configuration. The
 * embedded BigQuery keeps none, so it accepts only the options that change no answer it gives
 * (job timeouts, reservations and fairness, the query runtime and optimizer, encryption, billing),
 * and the answer-changing ones only at the value it already has (UTC, GoogleSQL, half away from
 * zero); any other option or value fails loudly instead of being ignored.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { closingParen, findTop } from '../sql/ddl.js';
import type { StatementOutcome } from './session.js';

const NO_EFFECT = new Set([
  'default_query_job_timeout_ms', 'default_interactive_query_queue_timeout_ms', 'default_batch_query_queue_timeout_ms',
  'default_query_optimizer_options', 'query_runtime', 'enable_reservation_based_fairness', 'preflight_fluid_autoscaling_reservations',
  'default_kms_key_name', 'default_storage_billing_model', 'enable_global_queries_execution', 'enable_info_schema_storage',
]);

/** Options that change answers, with the value the embedded BigQuery always has. */
const AS_IS: Record<string, string[]> = {
  default_time_zone: ['utc', 'etc/utc'],
  default_sql_dialect_option: ['only_google_sql', 'default_google_sql'],
  default_rounding_mode: ['round_half_away_from_zero'],
};

export function alterProject(stmt: Token[]): StatementOutcome {
  const setAt = findTop(stmt, 2, stmt.length, (t) => isKeyword(t, 'SET'));
  if (setAt < 0 || !isKeyword(stmt[setAt + 1], 'OPTIONS') || !isOp(stmt[setAt + 2], '(')) throw new BigQueryApiError('invalidQuery', 'Syntax error: ALTER PROJECT project SET OPTIONS (...)');
  const close = closingParen(stmt, setAt + 2);
  let k = setAt + 3;
  while (k < close) {
    const key = stmt[k]!;
    if (!isOp(stmt[k + 1], '=')) throw new BigQueryApiError('invalidQuery', `Syntax error in OPTIONS near "${key.text}"`);
    const end = findTop(stmt, k + 2, close, (t) => isOp(t, ','));
    const value = stmt.slice(k + 2, end < 0 ? close : end);
    // `region-us.default_time_zone` or default_time_zone
    const name = key.value.toLowerCase().replace(/^region-[a-z0-9-]+\./, '');
    const allowed = AS_IS[name];
    if (allowed) {
      // NULL puts the default back, which is the embedded BigQuery's value
      const v = value.length === 1 && isKeyword(value[0], 'NULL') ? allowed[0] : value.length === 1 && value[0]!.kind === 'string' ? value[0]!.value.toLowerCase() : undefined;
      if (v === undefined || !allowed.includes(v)) throw unsupported(`ALTER PROJECT SET OPTIONS (${name} = ${value.map((t) => t.text).join(' ')}) (the embedded BigQuery's ${name} is always ${allowed[0]!.toUpperCase()})`);
    } else if (!NO_EFFECT.has(name)) {
      throw unsupported(`ALTER PROJECT option ${name}`);
    }
    k = end < 0 ? close : end + 1;
  }
  return { statementType: 'ALTER_PROJECT', bytes: 0 };
}
