/**
 * The manifest written beside each batch's files, and the SUCCESS / FAILURE markers, after the
 * export spec: enough to audit a batch (what, from where, how many rows, which bytes) without
 * opening BigQuery.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../contracts/schema/index.js';
import type { BigQueryField } from '../publish/raw-schema.js';
import type { StagedPart } from './part-writer.js';
import type { StagedFileInfo } from './staged-file.js';

export interface ManifestInput {
  batchId: string;
  table: string;
  env: string;
  dataset: string;
  source: { database: string; schema: string; table: string };
  createdAt: string;
  contract: { version: number; hash: string; file: string };
  schema: BigQueryField[];
  loadMode: string;
  rows: number;
  rowsQuarantined: number;
  watermark: { from: string | null; to: string | null; toKey: string | null };
  parts: StagedPart[];
  quarantine: StagedFileInfo | null;
  compression: 'gzip' | 'none';
  /** Stage format of the data parts (quarantine files are always NDJSON). */
  format?: 'parquet' | 'csv' | 'jsonl';
}

/** sha256 of the staged schema's canonical JSON (names, types, modes, in order). */
export function schemaHash(schema: BigQueryField[]): string {
  const shape = schema.map((f) => ({ name: f.name, type: f.type, mode: f.mode }));
  return createHash('sha256').update(canonicalJson(shape)).digest('hex');
}

export function buildManifest(input: ManifestInput): Record<string, unknown> {
  const file = (info: StagedFileInfo, rows: number) => ({ name: info.path.split('/').pop(), uri: info.uri, rows, bytes: info.bytes, sha256: `sha256:${info.sha256}` });
  return {
    batch_id: input.batchId,
    created_at: input.createdAt,
    source: { database: input.source.database, schema: input.source.schema, table: input.source.table },
    destination:
      input.format === 'parquet'
        ? { env: input.env, dataset: input.dataset, table: input.table, format: 'PARQUET', compression: input.compression === 'gzip' ? 'SNAPPY' : 'NONE' }
        : { env: input.env, dataset: input.dataset, table: input.table, format: input.format === 'csv' ? 'CSV' : 'NEWLINE_DELIMITED_JSON', compression: input.compression === 'gzip' ? 'GZIP' : 'NONE' },
    contract: input.contract,
    load_mode: input.loadMode,
    statistics: { row_count: input.rows, rows_quarantined: input.rowsQuarantined, byte_size: input.parts.reduce((n, p) => n + p.bytes, 0), column_count: input.schema.length },
    watermark: { from: input.watermark.from, to: input.watermark.to, to_key: input.watermark.toKey },
    files: input.parts.map((part) => file(part, part.rows)),
    quarantine_files: input.quarantine ? [file(input.quarantine, input.rowsQuarantined)] : [],
    validation: { schema_hash: `sha256:${schemaHash(input.schema)}` },
  };
}

export function successMarker(manifestPath: string, rows: number, at: string, loadJobId: string | null): string {
  return `${JSON.stringify({ status: 'SUCCESS', timestamp: at, manifest: manifestPath.split('/').pop(), row_count: rows, bigquery_job_id: loadJobId }, null, 2)}\n`;
}

export function failureMarker(error: string, at: string, attempts: number): string {
  return `${JSON.stringify({ status: 'FAILURE', timestamp: at, error, retry_count: Math.max(0, attempts - 1), next_retry: 'next scheduled run' }, null, 2)}\n`;
}
