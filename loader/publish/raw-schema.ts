/**
 * BigQuery shapes of the raw layer, derived from the contracts: each raw table (contract columns
 * that survive privacy, plus `_batch_id`, `_extracted_at`, `_contract_hash`), the per-batch staging
 * tables, and the two lineage tables whose columns docs/conventions.md fixes.
 */
import type { ColumnContract, TableContract } from '../../contracts/schema/index.js';
import { stagedType, type StageFormat } from '../source/stage-format.js';
import { DELETED_AT_FIELD } from '../../contracts/schema/bigquery-json.js';

export interface BigQueryField {
  name: string;
  type: string;
  mode: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  description?: string;
}

export interface TableOptions {
  schema: { fields: BigQueryField[] };
  description?: string;
  timePartitioning?: { type: 'HOUR' | 'DAY' | 'MONTH' | 'YEAR'; field: string; expirationMs?: string };
  requirePartitionFilter?: boolean;
  clustering?: { fields: string[] };
  expirationTime?: string;
  labels?: Record<string, string>;
}

export const METADATA_FIELDS: BigQueryField[] = [
  { name: '_batch_id', type: 'STRING', mode: 'REQUIRED', description: 'Loader batch that landed this row (landform_raw.export_batches.batch_id).' },
  { name: '_extracted_at', type: 'TIMESTAMP', mode: 'REQUIRED', description: 'Start of the Postgres snapshot the row was read from (UTC).' },
  { name: '_contract_hash', type: 'STRING', mode: 'REQUIRED', description: 'sha256 of the table contract the row was shaped by.' },
];

/** Contract columns as staged and landed (privacy: drop columns never reach BigQuery). */
export function contractFields(contract: TableContract): BigQueryField[] {
  return contract.columns
    .filter((c) => c.privacy !== 'drop')
    .map((c) => ({ name: c.name, type: c.type, mode: c.mode, description: c.description }));
}

const DAY_MS = 86_400_000;

export function rawTableOptions(contract: TableContract): TableOptions {
  const { partition } = contract;
  return {
    schema: { fields: [...contractFields(contract), ...METADATA_FIELDS, ...(contract.deletes ? [{ ...DELETED_AT_FIELD, mode: 'NULLABLE' as const }] : [])] },
    description: `${contract.description} Raw layer, landed by the Landform loader from ${contract.source.schema}.${contract.source.table} (contract ${contract.name} v${contract.version}, load mode ${contract.load.mode}).`,
    timePartitioning: {
      type: partition.granularity.toUpperCase() as 'HOUR' | 'DAY' | 'MONTH' | 'YEAR',
      field: partition.column,
      ...(partition.expiration_days ? { expirationMs: String(partition.expiration_days * DAY_MS) } : {}),
    },
    requirePartitionFilter: contract.require_partition_filter,
    ...(contract.cluster_by.length > 0 ? { clustering: { fields: contract.cluster_by } } : {}),
    labels: { domain: contract.domain, managed_by: 'landform-loader' },
  };
}

/**
 * Per-batch staging table: the contract columns only (JSON columns as STRING when staged as
 * Parquet, parsed by the publish step); dropped a day later at the latest.
 */
export function stagingTableOptions(contract: TableContract, now = Date.now(), format: StageFormat = 'jsonl'): TableOptions {
  return {
    schema: { fields: contractFields(contract).map((f) => ({ ...f, type: stagedType(f.type as ColumnContract['type'], format) })) },
    description: `Staging table of one loader batch for ${contract.name}; published into the raw table, then dropped.`,
    expirationTime: String(now + DAY_MS),
  };
}

const f = (name: string, type: string, mode: 'NULLABLE' | 'REQUIRED', description: string): BigQueryField => ({ name, type, mode, description });

export const EXPORT_BATCHES_TABLE = 'export_batches';
export const LEASES_TABLE = 'load_leases';
export const QUARANTINE_TABLE = 'quarantine';

export const exportBatchesOptions: TableOptions = {
  schema: {
    fields: [
      f('batch_id', 'STRING', 'REQUIRED', 'Loader batch identifier (also in the stage file names and raw rows).'),
      f('table_name', 'STRING', 'REQUIRED', 'Raw table (= table contract name).'),
      f('contract_version', 'STRING', 'NULLABLE', 'Version of the table contract.'),
      f('contract_hash', 'STRING', 'NULLABLE', 'sha256 of the table contract the batch was shaped by.'),
      f('status', 'STRING', 'REQUIRED', 'succeeded or failed.'),
      f('started_at', 'TIMESTAMP', 'REQUIRED', 'When the batch started (UTC).'),
      f('finished_at', 'TIMESTAMP', 'NULLABLE', 'When the batch was published or failed (UTC).'),
      f('watermark_from', 'TIMESTAMP', 'NULLABLE', 'Cursor the window started from (previous watermark, or backfill start).'),
      f('watermark_to', 'TIMESTAMP', 'NULLABLE', 'Cursor of the last row read (backfill: range end).'),
      f('watermark_to_key', 'STRING', 'NULLABLE', 'JSON of the last row\'s primary key; null for backfills and full refreshes, which never move the watermark.'),
      f('stage_uri', 'STRING', 'NULLABLE', 'Manifest of the batch in the stage.'),
      f('rows_extracted', 'INT64', 'NULLABLE', 'Rows read from Postgres (valid + quarantined).'),
      f('rows_loaded', 'INT64', 'NULLABLE', 'Rows inserted into the raw table.'),
      f('rows_skipped_duplicate', 'INT64', 'NULLABLE', 'Rows already present (same primary key and cursor), not inserted again.'),
      f('rows_quarantined', 'INT64', 'NULLABLE', 'Rows that broke the contract, written to quarantine.'),
      f('load_job_id', 'STRING', 'NULLABLE', 'BigQuery load job that filled the staging table.'),
      f('error', 'STRING', 'NULLABLE', 'Why the batch failed.'),
      f('source_snapshot', 'STRING', 'NULLABLE', 'JSON of the Postgres snapshot taken just before an incremental batch read (pg_current_snapshot, system identifier, timeline); the next batch skips lookback rows older than it (loader/source/window.ts).'),
    ],
  },
  description: 'Lineage: one row per loader batch attempt, tied to the contract hash. The incremental watermark of a table is read back from its last succeeded batch.',
  timePartitioning: { type: 'DAY', field: 'started_at' },
  clustering: { fields: ['table_name'] },
};

export const quarantineOptions: TableOptions = {
  schema: {
    fields: [
      f('batch_id', 'STRING', 'REQUIRED', 'Batch that read the row.'),
      f('table_name', 'STRING', 'REQUIRED', 'Raw table the row was meant for.'),
      f('reason', 'STRING', 'REQUIRED', 'Rules the row breaks, each `<column>: <rule>`, separated by "; ", then ` (row <key>=<value>, ...)` naming its primary key.'),
      f('row_json', 'STRING', 'NULLABLE', 'The row as read, privacy policies already applied.'),
      f('quarantined_at', 'TIMESTAMP', 'REQUIRED', 'When the row was quarantined (UTC).'),
    ],
  },
  description:
    'Rows that broke their table contract (null in a REQUIRED column, wrong type, metrics not an object, a known metric of the wrong type) or hold a value BigQuery cannot (a date or timestamp outside 0001-01-01..9999-12-31, a number out of range, invalid UTF-8, a value over the row size limit). Never silently dropped.',
  timePartitioning: { type: 'DAY', field: 'quarantined_at' },
  clustering: { fields: ['table_name'] },
};

export const leasesOptions: TableOptions = {
  schema: {
    fields: [
      f('table_name', 'STRING', 'REQUIRED', 'Raw table the lease is for.'),
      f('owner', 'STRING', 'NULLABLE', 'Loader run holding the lease (host:pid); null when free.'),
      f('acquired_at', 'TIMESTAMP', 'NULLABLE', 'When the holder took the lease (UTC).'),
      f('expires_at', 'TIMESTAMP', 'NULLABLE', 'When the lease lapses unless renewed (UTC); a lapsed lease may be taken over.'),
    ],
  },
  description: 'One loader run per table at a time: a run takes the table\'s lease with a conditional UPDATE before extracting, renews it while the batch runs and frees it at the end.',
};
