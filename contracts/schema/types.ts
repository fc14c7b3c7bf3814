import { normalizeType as sharedNormalizeType } from './shared/types.js';

/** Scalar BigQuery types a contract column may use; legacy aliases are normalized to these. */
export const BIGQUERY_TYPES = [
  'STRING',
  'BYTES',
  'INT64',
  'FLOAT64',
  'NUMERIC',
  'BIGNUMERIC',
  'BOOL',
  'TIMESTAMP',
  'DATE',
  'DATETIME',
  'TIME',
  'JSON',
] as const;
export type BigQueryColumnType = (typeof BIGQUERY_TYPES)[number];

/** `integer` → `INT64`; undefined when the name is no BigQuery scalar type (the shared rules' spelling). */
export function normalizeType(name: string): BigQueryColumnType | undefined {
  return sharedNormalizeType(name) as BigQueryColumnType | undefined;
}

/** Types BigQuery can cluster on (FLOAT64 and JSON cannot). */
export const CLUSTERABLE_TYPES: ReadonlySet<BigQueryColumnType> = new Set([
  'STRING',
  'BYTES',
  'INT64',
  'NUMERIC',
  'BIGNUMERIC',
  'BOOL',
  'TIMESTAMP',
  'DATE',
  'DATETIME',
]);

export const NUMERIC_TYPES: ReadonlySet<BigQueryColumnType> = new Set(['INT64', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC']);
