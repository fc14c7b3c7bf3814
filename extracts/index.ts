/**
 * `landform extract`: the export configurations in contracts/exports, each run as run-export.ts
 * describes, one after another. Public surface of the extracts module.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import { loadExportConfigs, type LoadedExport } from '../contracts/schema/exports.js';
import { ensureExtractRuns } from './lineage.js';
import { runExport, type ExportOutcome, type RetryPolicy } from './run-export.js';
import type { CopyTargetFactory } from './copy-target.js';

export type { ExportOutcome, RetryPolicy } from './run-export.js';
export { EXTRACT_RUNS_TABLE } from './lineage.js';
export type { CopyTarget, CopyTargetFactory, CopyReport } from './copy-target.js';

export interface ExtractOptions {
  bigquery: BigQuery;
  storage: Storage;
  projectId: string;
  rawDataset: string;
  env: string;
  exportsDir: string;
  /** Names of the exports to run (default all). */
  only?: string[];
  /** YYYY-MM-DD: the partition to export (default: the whole source, filed under today's date). */
  partition?: string;
  dryRun?: boolean;
  hashSalt?: string;
  retry?: RetryPolicy;
  now?: Date;
  onProgress?: (outcome: ExportOutcome) => void;
  /** Clients of S3 / Azure destinations (default: from the environment, see copyTargetsFromEnv). */
  copyTargets?: CopyTargetFactory;
  /** Write every export to this GCS bucket instead of the one its configuration names (a deployment's own bucket). */
  bucket?: string;
}

/** S3 from AWS_* (and LANDFORM_S3_ENDPOINT), Azure from AZURE_STORAGE_CONNECTION_STRING; SDKs load only when used. */
export const copyTargetsFromEnv: CopyTargetFactory = async (destination) => {
  if (destination.kind === 's3') return (await import('./s3-target.js')).s3TargetFromEnv(destination.bucket);
  return (await import('./azure-target.js')).azureTargetFromEnv(destination.container);
};

export class ExtractConfigError extends Error {}

export async function selectExports(exportsDir: string, only: string[] | undefined): Promise<LoadedExport[]> {
  const loaded = await loadExportConfigs(exportsDir);
  if (!loaded.ok) throw new ExtractConfigError(loaded.errors.map((e) => e.message).join('\n'));
  if (!only) return loaded.exports;
  const unknown = only.filter((n) => !loaded.exports.some((e) => e.config.name === n));
  if (unknown.length > 0) throw new ExtractConfigError(`unknown export(s): ${unknown.join(', ')} (known: ${loaded.exports.map((e) => e.config.name).join(', ')})`);
  return loaded.exports.filter((e) => only.includes(e.config.name));
}

export async function runExtracts(options: ExtractOptions): Promise<ExportOutcome[]> {
  const exports = await selectExports(options.exportsDir, options.only);
  const env = {
    bigquery: options.bigquery,
    storage: options.storage,
    projectId: options.projectId,
    rawDataset: options.rawDataset,
    env: options.env,
    trigger: 'cli' as const,
    copyTargets: options.copyTargets ?? copyTargetsFromEnv,
    ...(options.hashSalt ? { hashSalt: options.hashSalt } : {}),
    ...(options.bucket ? { bucket: options.bucket } : {}),
  };
  if (!options.dryRun) await ensureExtractRuns(options.bigquery, options.projectId, options.rawDataset);
  const outcomes: ExportOutcome[] = [];
  for (const loaded of exports) {
    const outcome = await runExport(env, loaded, { partition: options.partition ?? null, dryRun: options.dryRun ?? false, now: options.now ?? new Date(), retry: options.retry ?? {} });
    options.onProgress?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}
