/**
 * Names in the destination, as the export specification lays them out:
 * `{env}/{dataset}/{entity}/{yyyy}/{MM}/{dd}/{entity}_{yyyymmdd}_{HHMMSS}_{uuid}_{shard}.{format}.{compression}`,
 * the manifest and the SUCCESS / FAILURE markers beside the files, idempotency tokens under
 * `{env}/_idempotency/`, and exports that ran out of retries under `{env}/_dead_letter/`.
 * The date folders are the exported partition's (the run's date for a full export).
 */
import { createHash } from 'node:crypto';
import type { ExportConfig } from '../contracts/schema/exports.js';

const EXTENSIONS: Record<ExportConfig['format'], string> = { parquet: 'parquet', jsonl: 'jsonl', csv: 'csv' };
const CODEC_SUFFIX: Record<ExportConfig['compression'], string> = { none: '', gzip: '.gz', snappy: '.snappy', zstd: '.zst' };

export interface RunNames {
  /** Folder of the files, manifest and markers (no trailing slash). */
  dir: string;
  /** The extract job's destination URI pattern: BigQuery replaces `*` with a 12-digit shard number. */
  filePattern: string;
  manifest: string;
  success: string;
  failure: string;
  token: string;
  deadLetter: string;
}

/** `{table}_{partition}_{config-hash}`: the same export of the same partition with the same config. */
export function idempotencyToken(entity: string, partition: string, configHash: string): string {
  return `${entity}_${partition.replace(/-/g, '')}_${configHash.slice(0, 12)}`;
}

export function runNames(options: { env: string; dataset: string; entity: string; partition: string; runAt: Date; runId: string; config: ExportConfig; configHash: string }): RunNames {
  const [yyyy, mm, dd] = options.partition.split('-') as [string, string, string];
  const iso = options.runAt.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}_${iso.slice(11, 19).replace(/:/g, '')}`;
  const dir = `${options.env}/${options.dataset}/${options.entity}/${yyyy}/${mm}/${dd}`;
  const base = `${options.entity}_${stamp}_${options.runId}`;
  const ext = `${EXTENSIONS[options.config.format]}${CODEC_SUFFIX[options.config.compression]}`;
  const token = idempotencyToken(options.entity, options.partition, options.configHash);
  return {
    dir,
    filePattern: `${dir}/${base}_*.${ext}`,
    manifest: `${dir}/manifest_${stamp}_${options.runId}.json`,
    success: `${dir}/SUCCESS`,
    failure: `${dir}/FAILURE`,
    token: `${options.env}/_idempotency/${token}`,
    deadLetter: `${options.env}/_dead_letter/${options.entity}/${base}`,
  };
}

/** sha256 of a schema's names and types in order: what changes when a consumer's reader must. */
export function schemaHash(fields: { name: string; type: string; mode?: string }[]): string {
  const canonical = fields.map((f) => `${f.name}:${f.type}:${f.mode ?? 'NULLABLE'}`).join(',');
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}
