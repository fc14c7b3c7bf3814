/** The manifest and the SUCCESS / FAILURE markers, in the export specification's shape (seed 002 §5). */
import type { ExportConfig } from '../contracts/schema/exports.js';
import type { ObjectDigest } from './checksums.js';

export interface ManifestFile extends ObjectDigest {
  name: string;
}

export interface ManifestInput {
  exportId: string;
  startedAt: Date;
  finishedAt: Date;
  projectId: string;
  dataset: string;
  table: string;
  partition: string | null;
  destinationDir: string;
  config: ExportConfig;
  configHash: string;
  token: string;
  /** Rows the extract query produced (the staging table's count). */
  rowCount: number;
  /** Logical bytes of those rows in BigQuery. */
  sourceBytes: number;
  columnCount: number;
  schemaHash: string;
  files: ManifestFile[];
  jobId: string;
  trigger: 'cli' | 'schedule';
}

const FORMAT_NAMES = { parquet: 'PARQUET', jsonl: 'NEWLINE_DELIMITED_JSON', csv: 'CSV' } as const;

export function buildManifest(m: ManifestInput): Record<string, unknown> {
  const counted = m.files.every((f) => f.rows !== undefined);
  const readBackRows = m.files.reduce((sum, f) => sum + (f.rows ?? 0), 0);
  return {
    export_id: m.exportId,
    export_timestamp: m.startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    source: { project: m.projectId, dataset: m.dataset, table: m.table, partition: m.partition },
    destination: { uri: `${m.destinationDir}/`, format: FORMAT_NAMES[m.config.format], compression: m.config.compression.toUpperCase() },
    statistics: {
      row_count: m.rowCount,
      byte_size: m.sourceBytes,
      compressed_size: m.files.reduce((sum, f) => sum + f.bytes, 0),
      column_count: m.columnCount,
    },
    files: m.files.map((f) => ({ name: f.name, ...(f.rows !== undefined ? { rows: f.rows } : {}), bytes: f.bytes, checksum: `sha256:${f.sha256}` })),
    validation: {
      schema_hash: m.schemaHash,
      // Parquet files' row counts are not read back here: null says "not verified", never "verified"
      row_count_verified: counted ? readBackRows === m.rowCount : null,
      checksum_verified: true,
    },
    metadata: {
      export_type: m.trigger === 'schedule' ? 'scheduled' : 'on-demand',
      export_trigger: m.trigger,
      export_duration_ms: m.finishedAt.getTime() - m.startedAt.getTime(),
      bigquery_job_id: m.jobId,
      operator: 'landform extract',
      export_name: m.config.name,
      mode: m.config.mode,
      config_hash: m.configHash,
      idempotency_token: m.token,
      anonymized_columns: m.config.anonymize,
      excluded_columns: m.config.exclude,
    },
  };
}

export function successMarker(manifestName: string, rowCount: number, at: Date): Record<string, unknown> {
  return { status: 'SUCCESS', timestamp: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), manifest: manifestName, row_count: rowCount };
}

export function failureMarker(error: string, retryCount: number, at: Date): Record<string, unknown> {
  return { status: 'FAILURE', timestamp: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), error, retry_count: retryCount, next_retry: null };
}
