/**
 * Fills a per-batch staging table (`_stage_<table>_<batch>`, expiring after a day) from the staged
 * file with a BigQuery load job. WRITE_TRUNCATE makes a retried load replace, never add to, what a
 * lost-response attempt may already have written.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Job, JobLoadMetadata, Table } from '@google-cloud/bigquery';
import { sqlIdentifier } from '../../common/identifiers.js';
import type { LoadSource } from '../stage/stage.js';
import { withRetry } from '../retry.js';
import type { BigQueryTarget } from './bigquery-target.js';
import type { TableOptions } from './raw-schema.js';

export function stagingTableName(table: string, batchId: string, suffix = ''): string {
  return sqlIdentifier(`_stage_${table}_${batchId}${suffix}`, 'staging table');
}

/** Creates the staging table and loads `source` into it; with no source (no valid rows) the table stays empty. Returns the load job id. */
export async function loadStagingTable(target: BigQueryTarget, name: string, options: TableOptions, source: LoadSource | null): Promise<string> {
  const table = target.bigquery.dataset(target.dataset).table(name);
  return withRetry(
    async () => {
      const [exists] = await table.exists();
      if (!exists) {
        try {
          await table.create(options);
        } catch (error) {
          if ((error as { code?: unknown }).code !== 409) throw error;
        }
      }
      if (!source) return '';
      const metadata: JobLoadMetadata = {
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        schema: options.schema,
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_NEVER',
        jobPrefix: 'landform_load_',
        ...(target.location ? { location: target.location } : {}),
      };
      let job: Job;
      if (source.kind === 'file') {
        job = await uploadDecompressed(table, source.path, metadata);
      } else {
        const { Storage } = await import('@google-cloud/storage');
        const file = new Storage({ projectId: target.projectId }).bucket(source.bucket).file(source.name);
        [job] = await table.createLoadJob(file, metadata);
      }
      await job.promise();
      const [done] = await job.getMetadata();
      const output = Number(done.statistics?.load?.outputRows ?? NaN);
      target.logger?.info({ table: name, jobId: job.id, rows: Number.isNaN(output) ? undefined : output }, 'load job done');
      return job.id ?? '';
    },
    { label: `load ${name}`, ...(target.logger ? { logger: target.logger } : {}), ...target.retry },
  );
}

export async function dropStagingTable(target: BigQueryTarget, name: string): Promise<void> {
  await target.bigquery
    .dataset(target.dataset)
    .table(name)
    .delete({ ignoreNotFound: true })
    .catch((error: unknown) => target.logger?.warn({ table: name, err: (error as Error).message }, 'could not drop staging table; it expires within a day'));
}

/**
 * Uploads a staged file as plain NDJSON (a .gz file is decompressed on the way). The upload is
 * on-host or close to it, BigQuery cannot split a gzip file across workers anyway, and the embedded
 * BigQuery reads uploads as plain text.
 */
async function uploadDecompressed(table: Table, path: string, metadata: JobLoadMetadata): Promise<Job> {
  const upload = table.createWriteStream_(metadata);
  const job = new Promise<Job>((resolve, reject) => {
    upload.once('job', (created: Job) => resolve(created));
    upload.once('error', reject);
  });
  // Both settle on an upload error; awaiting them together leaves no rejection unhandled.
  const sent = path.endsWith('.gz') ? pipeline(createReadStream(path), createGunzip(), upload) : pipeline(createReadStream(path), upload);
  const [created] = await Promise.all([job, sent]);
  return created;
}
