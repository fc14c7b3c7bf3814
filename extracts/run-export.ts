/**
 * One export, end to end: the idempotency token is looked up in the destination first (found: the
 * export is a no-op), then attempts with exponential backoff and full jitter for transient errors
 * (the loader's classification and backoff), then either the token and a SUCCESS lineage row, or
 * a FAILURE marker, the request, error and retry history under the dead-letter prefix and a
 * FAILURE lineage row.
 */
import { randomUUID } from 'node:crypto';
import type { LoadedExport } from '../contracts/schema/exports.js';
import { exportEntity } from '../contracts/schema/exports.js';
import { backoffDelay, classifyError, type RetryOptions } from '../loader/retry.js';
import { attemptExport, type AttemptResult, type ExportEnvironment, type PlannedExport } from './export-attempt.js';
import { runNames } from './layout.js';
import { recordExtractRun, type ExtractRunRow } from './lineage.js';
import { failureMarker } from './manifest.js';
import { GcsObjectStore } from './object-store.js';
import { copyVerified, type CopyReport } from './copy-target.js';

export interface RetryPolicy extends RetryOptions {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ExportOutcome {
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'SKIPPED' | 'PLANNED';
  token: string;
  destination: string;
  partition: string | null;
  attempts: number;
  /** From the start of the export to its outcome (the token check included). */
  durationMs: number;
  rowCount?: number;
  bytes?: number;
  files?: { name: string; bytes: number; sha256: string }[];
  manifestUri?: string;
  jobId?: string;
  error?: string;
  deadLetterUri?: string;
  /** Verified copies in S3 / Azure. */
  copies?: CopyReport[];
}

interface AttemptRecord {
  attempt: number;
  at: string;
  error: string;
  reason: string;
  transient: boolean;
  delay_ms?: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function plan(env: ExportEnvironment, loaded: LoadedExport, partition: string | null, now: Date): PlannedExport {
  const gcs = loaded.config.destinations.find((d) => d.kind === 'gcs');
  if (gcs?.kind !== 'gcs') throw new Error(`export ${loaded.config.name} has no gcs destination`);
  const { dataset, entity } = exportEntity(loaded.config);
  const runId = randomUUID().replace(/-/g, '').slice(0, 8);
  // a run without --partition is a snapshot of the whole source, filed (and tokened) under its run date
  const folderDate = partition ?? now.toISOString().slice(0, 10);
  const names = runNames({ env: env.env, dataset, entity, partition: folderDate, runAt: now, runId, config: loaded.config, configHash: loaded.hash });
  const bucket = env.bucket ?? gcs.bucket;
  return { loaded, dataset, entity, partition, names, runId, runAt: now, bucket, store: new GcsObjectStore(env.storage, bucket) };
}

function lineageRow(p: PlannedExport, outcome: ExportOutcome, finishedAt: Date): ExtractRunRow {
  const { config } = p.loaded;
  return {
    run_id: p.runId,
    export_name: config.name,
    source: 'table' in config.source ? config.source.table : `query:${p.dataset}.${p.entity}`,
    partition_date: p.partition,
    idempotency_token: outcome.token,
    status: outcome.status === 'PLANNED' ? 'SKIPPED' : outcome.status,
    destination_uri: outcome.destination,
    format: config.format,
    compression: config.compression,
    row_count: outcome.rowCount ?? null,
    byte_count: outcome.bytes ?? null,
    file_count: outcome.files?.length ?? null,
    manifest_uri: outcome.manifestUri ?? null,
    bigquery_job_id: outcome.jobId ?? null,
    attempts: outcome.attempts,
    error: outcome.error ?? null,
    started_at: p.runAt.toISOString(),
    finished_at: finishedAt.toISOString(),
  };
}

/** The run's files, manifest and SUCCESS marker, copied to every S3 and Azure destination and verified. */
async function copyAll(env: ExportEnvironment, p: PlannedExport): Promise<CopyReport[]> {
  const others = p.loaded.config.destinations.filter((d) => d.kind !== 'gcs');
  if (others.length === 0) return [];
  if (!env.copyTargets) throw new Error(`export ${p.loaded.config.name} names s3/azure destinations but no client for them was configured`);
  const filePrefix = p.names.filePattern.slice(0, p.names.filePattern.indexOf('*'));
  const objects = (await p.store.list(`${p.names.dir}/`)).filter((o) => o.name.startsWith(filePrefix) || o.name === p.names.manifest || o.name === p.names.success);
  const reports: CopyReport[] = [];
  for (const destination of others) {
    reports.push(await copyVerified(p.store, await env.copyTargets(destination), destination.prefix, objects));
  }
  return reports;
}

async function deadLetter(p: PlannedExport, error: string, history: AttemptRecord[]): Promise<string> {
  const { store, names } = p;
  const request = { export: p.loaded.config, config_hash: p.loaded.hash, partition: p.partition, run_id: p.runId, destination: store.uri(names.filePattern), token: names.token };
  await store.writeText(`${names.deadLetter}/export_request.json`, `${JSON.stringify(request, null, 2)}\n`);
  await store.writeText(`${names.deadLetter}/error_details.json`, `${JSON.stringify({ error, at: new Date().toISOString() }, null, 2)}\n`);
  await store.writeText(`${names.deadLetter}/retry_history.json`, `${JSON.stringify(history, null, 2)}\n`);
  return store.uri(`${names.deadLetter}/`);
}

export async function runExport(env: ExportEnvironment, loaded: LoadedExport, options: { partition: string | null; dryRun: boolean; now: Date; retry: RetryPolicy }): Promise<ExportOutcome> {
  const p = plan(env, loaded, options.partition, options.now);
  const token = p.names.token.slice(p.names.token.lastIndexOf('/') + 1);
  const started = Date.now();
  const base: ExportOutcome = { name: loaded.config.name, status: 'PLANNED', token, destination: p.store.uri(p.names.filePattern), partition: p.partition, attempts: 0, durationMs: 0 };
  if (await p.store.exists(p.names.token)) {
    const done = JSON.parse(await p.store.readText(p.names.token)) as { manifest_uri?: string };
    return { ...base, status: 'SKIPPED', durationMs: Date.now() - started, ...(done.manifest_uri ? { manifestUri: done.manifest_uri } : {}) };
  }
  if (options.dryRun) return { ...base, durationMs: Date.now() - started };

  const attempts = Math.max(1, options.retry.attempts ?? 4);
  const sleep = options.retry.sleep ?? defaultSleep;
  const history: AttemptRecord[] = [];
  let result: AttemptResult | undefined;
  let copies: CopyReport[] | undefined;
  let failure: string | undefined;
  // a failed copy is retried alone: the extract that succeeded is not run again
  for (let attempt = 0; attempt < attempts && !(result && copies); attempt++) {
    try {
      result ??= await attemptExport(env, p);
      copies ??= await copyAll(env, p);
    } catch (error) {
      const { transient, reason } = classifyError(error);
      const record: AttemptRecord = { attempt: attempt + 1, at: new Date().toISOString(), error: (error as Error).message, reason, transient };
      history.push(record);
      failure = record.error;
      if (!transient || attempt + 1 >= attempts) break;
      record.delay_ms = backoffDelay(attempt, options.retry, options.retry.random);
      await sleep(record.delay_ms);
    }
  }
  const finishedAt = new Date();
  const tried = history.length + (result && copies ? 1 : 0);
  if (result && copies) {
    const outcome: ExportOutcome = {
      ...base,
      status: 'SUCCESS',
      attempts: tried,
      durationMs: finishedAt.getTime() - started,
      rowCount: result.rowCount,
      bytes: result.bytes,
      files: result.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
      manifestUri: result.manifestUri,
      jobId: result.jobId,
      ...(copies.length > 0 ? { copies } : {}),
    };
    await recordExtractRun(env.bigquery, env.projectId, env.rawDataset, lineageRow(p, outcome, finishedAt));
    // the token last: a crash before it leaves an export that the next run redoes, never one it skips unfinished
    await p.store.writeText(p.names.token, `${JSON.stringify({ token, run_id: p.runId, manifest_uri: result.manifestUri, finished_at: finishedAt.toISOString() })}\n`);
    return outcome;
  }
  const error = failure ?? 'unknown error';
  // the GCS part may have succeeded before a copy failed: the export as a whole did not
  await p.store.remove(p.names.success);
  await p.store.writeText(p.names.failure, `${JSON.stringify(failureMarker(error, Math.max(0, tried - 1), finishedAt), null, 2)}\n`);
  const deadLetterUri = await deadLetter(p, error, history);
  const outcome: ExportOutcome = { ...base, status: 'FAILURE', attempts: tried, durationMs: finishedAt.getTime() - started, error, deadLetterUri };
  await recordExtractRun(env.bigquery, env.projectId, env.rawDataset, lineageRow(p, outcome, finishedAt)).catch(() => undefined);
  return outcome;
}
