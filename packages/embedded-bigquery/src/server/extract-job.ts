/**
 * Extract jobs (`configuration.extract`): a table, or one partition of it (`table$20250916`),
 * written by the engine as PARQUET, NEWLINE_DELIMITED_JSON or CSV and uploaded to the Cloud
 * Storage the server was given. A `*` in a destination URI becomes BigQuery's 12-digit shard
 * number (000000000000, ...). AVRO is refused: nothing here writes Avro as BigQuery does.
 */
import type { Engine, TableReference } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import type { ExportCompression, ExportFormat, ExportRequest } from '../engine/export-types.js';
import { streamShardToGcs } from './gcs-stream.js';
import { parseGcsUri, uploadToGcs, type GcsObjectName, type GcsTarget } from './gcs-upload.js';
import type { JobOutcome } from './job-runners.js';
import type { ExtractJobConfig } from './job-types.js';

export type { ExtractJobConfig } from './job-types.js';

const FORMATS: readonly ExportFormat[] = ['PARQUET', 'NEWLINE_DELIMITED_JSON', 'CSV'];
const CODECS: Record<ExportFormat, readonly ExportCompression[]> = {
  PARQUET: ['NONE', 'SNAPPY', 'ZSTD', 'GZIP'],
  NEWLINE_DELIMITED_JSON: ['NONE', 'GZIP'],
  CSV: ['NONE', 'GZIP'],
};
const TABLE_WITH_DECORATOR = /^([^$]+)(?:\$(\d+))?$/;

function formatOf(config: ExtractJobConfig): ExportFormat {
  const format = (config.destinationFormat ?? 'CSV').toUpperCase();
  if (format === 'AVRO') throw new BigQueryApiError('invalid', 'destinationFormat AVRO is not supported by the embedded BigQuery (supported: PARQUET, NEWLINE_DELIMITED_JSON, CSV)');
  if (!(FORMATS as readonly string[]).includes(format)) throw new BigQueryApiError('invalid', `Invalid extract destinationFormat: ${format}`);
  return format as ExportFormat;
}

function compressionOf(config: ExtractJobConfig, format: ExportFormat): ExportCompression {
  const codec = (config.compression ?? 'NONE').toUpperCase();
  if (!(CODECS[format] as readonly string[]).includes(codec)) {
    throw new BigQueryApiError('invalid', `Compression ${codec} is not supported for ${format} extracts (supported: ${CODECS[format].join(', ')})`);
  }
  return codec as ExportCompression;
}

function delimiterOf(config: ExtractJobConfig): string {
  const d = config.fieldDelimiter ?? ',';
  const one = d === '\\t' || d.toLowerCase() === 'tab' ? '\t' : d;
  if ([...one].length !== 1 || one === '\n' || one === '\r' || one === '"') throw new BigQueryApiError('invalid', `Invalid field delimiter ${JSON.stringify(d)} for a CSV extract: one character, not a quote or line break`);
  return one;
}

/** Destination URIs, each with at most one `*`; a URI without one receives exactly one file. */
export function destinationsOf(config: ExtractJobConfig): { uri: string; object: GcsObjectName }[] {
  const uris = config.destinationUris ?? (config.destinationUri ? [config.destinationUri] : []);
  if (uris.length === 0) throw new BigQueryApiError('invalid', 'configuration.extract.destinationUris is required');
  return uris.map((uri) => {
    if ((uri.match(/\*/g) ?? []).length > 1) throw new BigQueryApiError('invalid', `Invalid extract destination URI '${uri}': only one wildcard '*' is allowed`);
    return { uri, object: parseGcsUri(uri) };
  });
}

/** Shard `n` of a destination: `*` → n as 12 zero-padded digits, as BigQuery names sharded exports. */
export function shardName(object: GcsObjectName, n: number): GcsObjectName {
  return { bucket: object.bucket, name: object.name.replace('*', String(n).padStart(12, '0')) };
}

export function extractRequest(config: ExtractJobConfig, projectId: string): { ref: TableReference; request: ExportRequest } {
  if (config.sourceModel) throw new BigQueryApiError('invalid', 'Extracting models is not supported by the embedded BigQuery');
  const source = config.sourceTable;
  const parts = source?.tableId ? TABLE_WITH_DECORATOR.exec(source.tableId) : null;
  if (!source || !parts || !source.datasetId) throw new BigQueryApiError('invalid', 'configuration.extract.sourceTable is required (projectId, datasetId, tableId)');
  const format = formatOf(config);
  const request: ExportRequest = {
    format,
    compression: compressionOf(config, format),
    printHeader: config.printHeader ?? true,
    fieldDelimiter: delimiterOf(config),
  };
  if (parts[2]) request.partition = parts[2];
  return { ref: { projectId: source.projectId ?? projectId, datasetId: source.datasetId, tableId: parts[1]! }, request };
}

export async function runExtractJob(engine: Engine, projectId: string, config: ExtractJobConfig, gcs: GcsTarget | undefined, signal?: AbortSignal): Promise<JobOutcome> {
  const { ref, request } = extractRequest(config, projectId);
  const destinations = destinationsOf(config);
  if (!gcs) throw new BigQueryApiError('invalid', 'Extract jobs need Cloud Storage: start the embedded BigQuery with the `gcs` option (an embedded GCS url)');
  const table = await engine.getTable(ref);
  const first = destinations[0]!;
  // the first shard goes out while DuckDB writes it (gcs-stream.ts)
  let streamed: { file: string; done: Promise<void> } | undefined;
  const onShardStarted = (file: string, writtenOut: Promise<void>): void => {
    const done = streamShardToGcs(gcs, shardName(first.object, 0), file, writtenOut, signal);
    done.catch(() => undefined);
    streamed = { file, done };
  };
  const written = await engine.exportTable(ref, { ...request, onShardStarted }, signal);
  try {
    if (written.files.length > 1 && !first.uri.includes('*')) {
      throw new BigQueryApiError('invalid', `Table ${ref.tableId} is too large to be exported to a single file. Specify a uri including a * to shard export.`);
    }
    await streamed?.done;
    // one engine shard goes to the first destination; BigQuery also reports 0 for URIs it did not need
    for (const [i, file] of written.files.entries()) if (file !== streamed?.file) await uploadToGcs(gcs, shardName(first.object, i), file, signal);
    const counts = destinations.map((_, i) => String(i === 0 ? written.files.length : 0));
    return { statistics: { extract: { destinationUriFileCounts: counts, inputBytes: table.numBytes ?? '0' } } };
  } finally {
    await written.release();
  }
}
