/**
 * Privacy policies as SQL expressions over a text value, so a protected value never leaves Postgres
 * in clear. Each is null-safe (null in, null out).
 * - hash: hex(sha256(salt || value)); the salt travels as a transaction-local setting, never in SQL text.
 * - mask_except_last_4: every character but the last four becomes `*`; a value of 4 characters or fewer
 *   is masked whole (showing its last four would show all of it).
 * - truncate_ip: the network address, /24 for IPv4 and /48 for IPv6; a value that is no IP address becomes null
 *   and its row is quarantined (see column-sql.ts).
 * - drop: the column is never selected (handled by the caller).
 */
import type { PrivacyPolicy } from '../../contracts/schema/index.js';

export const SALT_SETTING = 'landform.hash_salt';

export function privacyExpression(policy: Exclude<PrivacyPolicy, 'drop'>, text: string): string {
  switch (policy) {
    case 'hash':
      return `encode(sha256(convert_to(current_setting('${SALT_SETTING}') || ${text}, 'UTF8')), 'hex')`;
    case 'mask_except_last_4':
      return `(case when length(${text}) <= 4 then repeat('*', length(${text})) else repeat('*', length(${text}) - 4) || right(${text}, 4) end)`;
    case 'truncate_ip':
      return `(case when pg_input_is_valid(${text}, 'inet') then host(network(set_masklen((${text})::inet, case family((${text})::inet) when 4 then 24 else 48 end))) end)`;
  }
}

/** A condition that is true when the policy cannot be applied to a non-null value (the row goes to quarantine). */
export function privacyViolation(policy: Exclude<PrivacyPolicy, 'drop'>, text: string): { condition: string; reason: string } | undefined {
  if (policy === 'truncate_ip') return { condition: `${text} is not null and not pg_input_is_valid(${text}, 'inet')`, reason: 'not a valid IP address' };
  return undefined;
}
