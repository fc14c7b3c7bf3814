/**
 * A query job whose statement is `EXPORT DATA OPTIONS (...) AS query` (engine/query/export-data.ts):
 * the query's result goes into a scratch table in a hidden dataset of its own, which the engine
 * writes exactly as an extract job writes a table (export-files.ts: BigQuery's type mapping and
 * formats) and which is uploaded to the `uri` (its `*` as the 12-digit shard number) in the Cloud
 * Storage the server was given; the scratch dataset is dropped whatever happens. With
 * overwrite = false (the default) the statement fails when objects matching the uri exist already.
 */
import { randomUUID } from 'node:crypto';
import { parseExportData } from '../engine/query/export-data.js';
import type { Engine } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import { shardName } from './extract-job.js';
import { matchSourceUri } from './gcs-read.js';
import { streamShardToGcs } from './gcs-stream.js';
import { parseGcsUri, uploadToGcs, type GcsTarget } from './gcs-upload.js';
import { runQueryJob, type JobOutcome } from './job-runners.js';
import type { QueryJobConfig } from './job-types.js';

export { isExportData } from '../engine/query/export-data.js';

/** Objects that already match the uri (none is not an error here). */
async function existing(gcs: GcsTarget, uri: string, signal?: AbortSignal): Promise<number> {
  try {
    return (await matchSourceUri(gcs, uri, signal)).length;
  } catch (error) {
    if (error instanceof BigQueryApiError && error.reason === 'notFound') return 0;
    throw error;
  }
}

export async function runExportDataJob(
  engine: Engine, projectId: string, location: string, config: QueryJobConfig, gcs: GcsTarget | undefined, signal?: AbortSignal,
): Promise<JobOutcome> {
  const statement = parseExportData(config.query);
  if (!gcs) throw new BigQueryApiError('invalid', 'EXPORT DATA needs Cloud Storage: start the embedded BigQuery with the `gcs` option (an embedded GCS url)');
  const destination = parseGcsUri(statement.uri);
  const found = await existing(gcs, statement.uri, signal);
  if (found > 0 && !statement.overwrite) {
    throw new BigQueryApiError('invalidQuery', `Invalid value: ${statement.uri} already holds ${found} object(s) matching the uri; set overwrite = true in EXPORT DATA OPTIONS to replace them, or export to another uri`);
  }
  const datasetId = `_export_data_${randomUUID().replace(/-/g, '')}`;
  const table = { projectId, datasetId, tableId: 'result' };
  await engine.createDataset({ datasetReference: { projectId, datasetId }, location });
  try {
    const query = await runQueryJob(engine, projectId, { ...config, query: statement.query, destinationTable: table, writeDisposition: 'WRITE_TRUNCATE', createDisposition: 'CREATE_IF_NEEDED' }, signal);
    let streamed: { file: string; done: Promise<void> } | undefined;
    const onShardStarted = (file: string, writtenOut: Promise<void>): void => {
      const done = streamShardToGcs(gcs, shardName(destination, 0), file, writtenOut, signal);
      done.catch(() => undefined);
      streamed = { file, done };
    };
    const request = { format: statement.format, compression: statement.compression, printHeader: statement.header, fieldDelimiter: statement.fieldDelimiter, onShardStarted };
    const written = await engine.exportTable(table, request, signal);
    try {
      await streamed?.done;
      for (const [i, file] of written.files.entries()) if (file !== streamed?.file) await uploadToGcs(gcs, shardName(destination, i), file, signal);
    } finally {
      await written.release();
    }
    const statistics = query.statistics.query as Record<string, unknown> | undefined;
    return {
      statistics: {
        ...query.statistics,
        query: {
          ...statistics,
          statementType: 'EXPORT_DATA',
          schema: { fields: [] },
          exportDataStatistics: { fileCount: String(written.files.length), rowCount: String(written.rows) },
        },
      },
      output: { kind: 'memory', result: { statementType: 'EXPORT_DATA', schema: { fields: [] }, rows: [], totalRows: 0, totalBytesProcessed: Number(statistics?.totalBytesProcessed ?? 0), statementCount: 1 } },
    };
  } finally {
    await engine.deleteDataset({ projectId, datasetId }, { deleteContents: true }).catch(() => undefined);
  }
}
