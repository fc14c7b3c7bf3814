/**
 * zod schemas mirroring the contract YAML. Shapes and single-field rules live here; rules that
 * relate fields to each other live in rules.ts. Parsing applies defaults and normalizes spellings
 * (type aliases, durations, surrounding whitespace) so the parsed value is the canonical form.
 */
import { z } from 'zod';
import { normalizeDuration } from './duration.js';
import { normalizeType } from './types.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,127}$/;
const IDENTIFIER_RULE = 'must be a lower snake_case identifier ([a-z_][a-z0-9_]*, at most 128 characters)';

export const identifier = z.string().regex(IDENTIFIER, IDENTIFIER_RULE);
const text = z.string().trim().min(1, 'must not be empty');

const bigQueryType = z.string().transform((value, ctx) => {
  const type = normalizeType(value);
  if (!type) {
    ctx.addIssue({ code: 'custom', message: `unknown BigQuery type ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return type;
});

const duration = z.string().transform((value, ctx) => {
  const normalized = normalizeDuration(value);
  if (normalized === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be a duration such as 15m, 1h or 1d (got ${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return normalized;
});

/** Default `deletes.max_keys`: a key scan reads every primary key of the source table each run. */
export const DEFAULT_DELETE_SCAN_MAX_KEYS = 1_000_000;

export const loadModeSchema = z.enum(['append', 'merge', 'full_refresh']);
export const privacyPolicySchema = z.enum(['hash', 'mask_except_last_4', 'truncate_ip', 'drop']);

export const columnSchema = z.strictObject({
  name: identifier,
  type: bigQueryType,
  mode: z.enum(['NULLABLE', 'REQUIRED', 'REPEATED']).default('NULLABLE'),
  description: text,
  privacy: privacyPolicySchema.optional(),
});

export const tableContractSchema = z.strictObject({
  name: identifier,
  version: z.number().int().positive(),
  domain: identifier,
  description: text,
  source: z.strictObject({ schema: identifier, table: identifier }),
  /** Path of a metrics contract relative to contracts/, e.g. `telemetry/v1.yaml`. */
  metrics_contract: z.string().regex(/^[a-z0-9_/-]+\.ya?ml$/, 'must be a path such as telemetry/v1.yaml').optional(),
  load: z.strictObject({
    mode: loadModeSchema,
    cursor: identifier.optional(),
    lookback: duration.default('0s'),
  }),
  primary_key: z.array(identifier).min(1, 'must name at least one column'),
  partition: z.strictObject({
    column: identifier,
    granularity: z.enum(['hour', 'day', 'month', 'year']),
    expiration_days: z.number().int().positive().optional(),
  }),
  cluster_by: z.array(identifier).max(4, 'BigQuery clusters on at most 4 columns').default([]),
  require_partition_filter: z.boolean().default(false),
  /** Hard deletes in the source: `key_scan` compares the source's primary keys with the raw layer's live keys each run. */
  deletes: z
    .strictObject({
      mode: z.literal('key_scan'),
      /** Largest number of source rows the scan reads; above it the scan fails and asks for soft deletes. */
      max_keys: z.number().int().positive().default(DEFAULT_DELETE_SCAN_MAX_KEYS),
    })
    .optional(),
  /** Read the snapshot with this many Postgres connections over disjoint CTID ranges, sharing one exported snapshot. */
  parallel: z.strictObject({ workers: z.number().int().min(1).max(16, 'at most 16 workers') }).optional(),
  columns: z.array(columnSchema).min(1, 'must list at least one column'),
});

export const metricSchema = z.strictObject({
  type: bigQueryType,
  unit: text,
  min: z.number().optional(),
  max: z.number().optional(),
  description: text,
});

export const telemetryContractSchema = z.strictObject({
  version: z.number().int().positive(),
  name: identifier,
  description: text,
  metrics: z.record(z.string(), metricSchema),
});

export type LoadMode = z.infer<typeof loadModeSchema>;
export type PrivacyPolicy = z.infer<typeof privacyPolicySchema>;
export type ColumnContract = z.infer<typeof columnSchema>;
export type TableContract = z.infer<typeof tableContractSchema>;
export type MetricContract = z.infer<typeof metricSchema>;
export type TelemetryContract = z.infer<typeof telemetryContractSchema>;
