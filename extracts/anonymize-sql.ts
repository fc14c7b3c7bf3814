/**
 * The extract query: the source's columns with the export's anonymization applied in BigQuery, so a
 * protected value never leaves the warehouse in clear. The policies are the loader's
 * (loader/source/privacy-sql.ts), written in GoogleSQL:
 * - hash: hex sha256 of the salt and the value; the salt is the query parameter @hash_salt, never SQL text.
 * - mask_except_last_4: all but the last four characters become `*` (four or fewer: all of them).
 * - truncate_ip: an IPv4 address becomes its /24 network (a.b.c.0). Anything else, IPv6 included,
 *   becomes null: no NET.* function is relied on, and a value that cannot be truncated is not sent.
 * - drop (and `exclude`): the column is not selected.
 */
import type { ExportConfig } from '../contracts/schema/exports.js';
import type { PrivacyPolicy } from '../contracts/schema/index.js';

export interface SourceField {
  name: string;
  type: string;
}

export function quoteColumn(name: string): string {
  return `\`${name.replace(/[`\\]/g, '')}\``;
}

function policyExpression(policy: Exclude<PrivacyPolicy, 'drop'>, column: string): string {
  const s = `cast(${column} as string)`;
  switch (policy) {
    case 'hash':
      return `to_hex(sha256(concat(@hash_salt, ${s})))`;
    case 'mask_except_last_4':
      return `case when length(${s}) <= 4 then repeat('*', length(${s})) else concat(repeat('*', length(${s}) - 4), right(${s}, 4)) end`;
    case 'truncate_ip':
      return `case when regexp_contains(${s}, '^[0-9]{1,3}(\\\\.[0-9]{1,3}){3}$') then concat(regexp_extract(${s}, '^([0-9]{1,3}\\\\.[0-9]{1,3}\\\\.[0-9]{1,3})\\\\.'), '.0') end`;
  }
}

/** Columns of the source that an anonymization or exclusion names but the source lacks: a config error. */
export function unknownColumns(config: ExportConfig, fields: SourceField[]): string[] {
  const names = new Set(fields.map((f) => f.name.toLowerCase()));
  return [...Object.keys(config.anonymize), ...config.exclude].filter((c) => !names.has(c.toLowerCase()));
}

/** The select list of the extract query, in the source's column order. */
export function selectList(config: ExportConfig, fields: SourceField[]): string[] {
  const excluded = new Set(config.exclude.map((c) => c.toLowerCase()));
  const out: string[] = [];
  for (const f of fields) {
    const policy = config.anonymize[f.name] ?? config.anonymize[f.name.toLowerCase()];
    if (excluded.has(f.name.toLowerCase()) || policy === 'drop') continue;
    const c = quoteColumn(f.name);
    out.push(policy ? `${policyExpression(policy, c)} as ${c}` : c);
  }
  return out;
}

/** The whole extract query; `@partition` (YYYY-MM-DD, a STRING parameter cast here) selects one partition when the run names one. */
export function extractQuery(config: ExportConfig, fields: SourceField[], partitioned: boolean): string {
  const from = 'table' in config.source ? `\`${config.source.table}\`` : `(\n${config.source.query.trim().replace(/;\s*$/, '')}\n)`;
  const column = config.source.partition_column;
  const where = partitioned && column ? `\nwhere date(${quoteColumn(column)}) = cast(@partition as date)` : '';
  return `select ${selectList(config, fields).join(', ')}\nfrom ${from} as source${where}`;
}
