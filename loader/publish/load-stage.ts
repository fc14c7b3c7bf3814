/**
 * Fills a per-batch staging table (`_stage_<table>_<batch>`, expiring after a day) from staged part
 * files, one BigQuery load job (WRITE_APPEND) per part, started as soon as the part is written, so
 * loading overlaps extraction. A part's load is idempotent: each attempt has a deterministic job id,
 * and before trying again the earlier attempts are looked up, so an attempt that succeeded but whose
 * response was lost is never loaded twice.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Job, JobLoadMetadata, Table } from '@google-cloud/bigquery';
import { sqlIdentifier } from '../../common/identifiers.js';
import type { LoadSource } from '../stage/stage.js';
import { withRetry } from '../retry.js';
import { DEFAULT_TIMEOUTS, LoaderTimeoutError } from '../timeouts.js';
import { jobTimeoutMs, type BigQueryTarget } from './bigquery-target.js';
import { JobLostError, waitForJob } from './job-wait.js';
import type { TableOptions } from './raw-schema.js';
import { CSV_DIALECT, type StageFormat } from '../source/stage-format.js';

/**
 * What each stage format tells the load job. CSV as Postgres writes it (stage-format.ts's
 * CSV_DIALECT): its delimiter and quote byte, `\N` for null (so an empty string stays a string),
 * quoted fields may hold newlines, control characters kept as they are.
 */
const SOURCE_FORMAT: Record<StageFormat, Partial<JobLoadMetadata>> = {
  jsonl: { sourceFormat: 'NEWLINE_DELIMITED_JSON' },
  parquet: { sourceFormat: 'PARQUET' },
  csv: {
    sourceFormat: 'CSV',
    fieldDelimiter: CSV_DIALECT.delimiter,
    quote: CSV_DIALECT.quote,
    nullMarker: CSV_DIALECT.nullMarker,
    allowQuotedNewlines: true,
    preserveAsciiControlCharacters: true,
    skipLeadingRows: 0,
  },
};

export function stagingTableName(table: string, batchId: string, suffix = ''): string {
  return sqlIdentifier(`_stage_${table}_${batchId}${suffix}`, 'staging table');
}

const retryContext = (target: BigQueryTarget, label: string) => ({ label, ...(target.logger ? { logger: target.logger } : {}), ...target.retry });

/**
 * A fresh, empty staging table: one tables.insert when the name is free (batch ids are random, so
 * it nearly always is); an older table of the same name (an abandoned attempt, or a create whose
 * response was lost) is dropped and created again.
 */
export async function createStagingTable(target: BigQueryTarget, name: string, options: TableOptions): Promise<void> {
  const table = target.bigquery.dataset(target.dataset).table(name);
  await withRetry(async () => {
    try {
      await table.create(options);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 409) throw error;
      await table.delete({ ignoreNotFound: true });
      await table.create(options);
    }
  }, retryContext(target, `create ${name}`));
}

type JobState = 'absent' | 'running' | 'succeeded' | 'failed';

async function jobState(target: BigQueryTarget, jobId: string): Promise<JobState> {
  try {
    const [metadata] = await target.bigquery.job(jobId, target.location ? { location: target.location } : {}).getMetadata();
    const status = metadata.status as { state?: string; errorResult?: unknown } | undefined;
    if (status?.state !== 'DONE') return 'running';
    return status.errorResult ? 'failed' : 'succeeded';
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return 'absent';
    throw error;
  }
}

/**
 * Appends one staged file to the staging table. `jobIdBase` is unique per batch, extraction attempt
 * and part; attempt k runs as job `<jobIdBase>_<k>`. Returns the id of the job that loaded the part.
 */
export async function appendToStagingTable(
  target: BigQueryTarget,
  name: string,
  options: TableOptions,
  source: LoadSource,
  jobIdBase: string,
  format: StageFormat = 'jsonl',
): Promise<string> {
  const table = target.bigquery.dataset(target.dataset).table(name);
  return withRetry(async (attempt) => {
    for (let earlier = 0; earlier < attempt; earlier++) {
      const id = `${jobIdBase}_${earlier}`;
      const state = await jobState(target, id);
      if (state === 'running') await waitForJob(target.bigquery.job(id, target.location ? { location: target.location } : {}), jobTimeoutMs(target), target.logger);
      if (state === 'running' || state === 'succeeded') return id;
    }
    const jobId = `${jobIdBase}_${attempt}`;
    const metadata: JobLoadMetadata = {
      ...SOURCE_FORMAT[format],
      schema: options.schema,
      writeDisposition: 'WRITE_APPEND',
      createDisposition: 'CREATE_NEVER',
      jobId,
      ...(target.location ? { location: target.location } : {}),
    };
    let job: Job;
    if (source.kind === 'file') {
      job = await uploadFile(table, source.path, metadata, target.timeouts?.requestMs ?? DEFAULT_TIMEOUTS.requestMs);
    } else {
      const { Storage } = await import('@google-cloud/storage');
      const file = new Storage({ projectId: target.projectId, timeout: target.timeouts?.requestMs ?? DEFAULT_TIMEOUTS.requestMs }).bucket(source.bucket).file(source.name);
      [job] = await table.createLoadJob(file, metadata);
    }
    const done = await waitForJob(job, jobTimeoutMs(target), target.logger);
    const output = Number(done.statistics?.load?.outputRows ?? NaN);
    target.logger?.info({ table: name, jobId, rows: Number.isNaN(output) ? undefined : output }, 'load job done');
    return jobId;
    // A lost job may have loaded its rows: appending the part again here could land them twice, so
    // the caller starts the whole attempt over with a fresh staging table instead.
  }, { ...retryContext(target, `load ${name}`), retryIf: (error) => !(error instanceof JobLostError) });
}

export async function dropStagingTable(target: BigQueryTarget, name: string): Promise<void> {
  await target.bigquery
    .dataset(target.dataset)
    .table(name)
    .delete({ ignoreNotFound: true })
    .catch((error: unknown) => target.logger?.warn({ table: name, err: (error as Error).message }, 'could not drop staging table; it expires within a day'));
}

/**
 * Uploads a staged file as it is: a .gz part goes compressed (7x fewer bytes on the wire, no
 * decompression here). BigQuery reads gzip'd NDJSON in load jobs (see the embedded BigQuery's
 * server/gzip-upload.ts for what is documented), and so does the embedded BigQuery.
 * The client sends uploads without a timeout, so a watchdog ends one that stops moving: no bytes
 * taken for `requestMs`, or no job created within `requestMs` of the last byte.
 */
async function uploadFile(table: Table, path: string, metadata: JobLoadMetadata, requestMs: number): Promise<Job> {
  const upload = table.createWriteStream_(metadata);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => upload.destroy(Object.assign(new LoaderTimeoutError(`upload of ${path.split('/').pop() ?? path}`, requestMs), { code: 'ETIMEDOUT' })), requestMs);
  };
  file.on('data', arm);
  arm();
  const job = new Promise<Job>((resolve, reject) => {
    upload.once('job', (created: Job) => resolve(created));
    upload.once('error', reject);
  });
  try {
    // Both settle on an upload error; awaiting them together leaves no rejection unhandled.
    const [created] = await Promise.all([job, pipeline(file, upload)]);
    return created;
  } finally {
    clearTimeout(timer);
  }
}
