/**
 * One attempt at one export: the extract query (anonymization applied in BigQuery) into a staging
 * table in the raw dataset, the extract job from it into GCS, then every written object read back
 * (size, sha256, record count) into the manifest, and the SUCCESS marker. The staging table is
 * dropped whatever happens. Safe to repeat: the staging table is replaced and the files of a run
 * keep their names, so a retried attempt overwrites its own earlier output.
 */
import type { BigQuery, TableField } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import type { LoadedExport } from '../contracts/schema/exports.js';
import { extractQuery, unknownColumns, type SourceField } from './anonymize-sql.js';
import { digestObject } from './checksums.js';
import { schemaHash, type RunNames } from './layout.js';
import { buildManifest, successMarker, type ManifestFile } from './manifest.js';
import type { ObjectStore } from './object-store.js';
import type { CopyTargetFactory } from './copy-target.js';

export interface ExportEnvironment {
  bigquery: BigQuery;
  storage: Storage;
  projectId: string;
  /** Where staging tables and extract_runs live. */
  rawDataset: string;
  env: string;
  /** Salt of the `hash` policy (as the loader's); required when an export hashes a column. */
  hashSalt?: string;
  trigger: 'cli' | 'schedule';
  /** Clients of the S3 / Azure destinations (required when an export names one). */
  copyTargets?: CopyTargetFactory;
  /** The GCS bucket every export writes to instead of its configuration's (`--bucket`, LANDFORM_EXPORT_BUCKET). */
  bucket?: string;
}

export interface PlannedExport {
  loaded: LoadedExport;
  dataset: string;
  entity: string;
  /** The partition filtered on (YYYY-MM-DD), or null for the whole source. */
  partition: string | null;
  names: RunNames;
  runId: string;
  runAt: Date;
  /** The GCS bucket written to: the override, else the configuration's gcs destination. */
  bucket: string;
  store: ObjectStore;
}

export interface AttemptResult {
  jobId: string;
  rowCount: number;
  bytes: number;
  files: ManifestFile[];
  manifestUri: string;
}

/** A problem no retry can fix (bad config against the real schema, a read-back mismatch). */
export class ExportCheckError extends Error {
  readonly reason = 'invalid';
}

const FORMATS = { parquet: 'PARQUET', jsonl: 'NEWLINE_DELIMITED_JSON', csv: 'CSV' } as const;

async function sourceFields(env: ExportEnvironment, plan: PlannedExport): Promise<SourceField[]> {
  const { source } = plan.loaded.config;
  if ('table' in source) {
    const [dataset, table] = source.table.split('.') as [string, string];
    const [meta] = await env.bigquery.dataset(dataset).table(table).getMetadata();
    return ((meta.schema?.fields ?? []) as TableField[]).map((f) => ({ name: f.name ?? '', type: f.type ?? 'STRING' }));
  }
  const [job] = await env.bigquery.createQueryJob({ query: source.query, dryRun: true });
  const fields = (job.metadata?.statistics?.query?.schema?.fields ?? []) as TableField[];
  return fields.map((f) => ({ name: f.name ?? '', type: f.type ?? 'STRING' }));
}

function queryParams(env: ExportEnvironment, plan: PlannedExport): { params: Record<string, string>; types: Record<string, string> } {
  const params: Record<string, string> = {};
  const types: Record<string, string> = {};
  if (plan.partition && plan.loaded.config.source.partition_column) {
    params.partition = plan.partition;
    types.partition = 'STRING';
  }
  if (Object.values(plan.loaded.config.anonymize).includes('hash')) {
    if (!env.hashSalt) throw new ExportCheckError(`export ${plan.loaded.config.name} hashes columns: set LANDFORM_HASH_SALT (the loader's salt)`);
    params.hash_salt = env.hashSalt;
    types.hash_salt = 'STRING';
  }
  return { params, types };
}

/** Overwrite mode: this export's earlier files, manifests and markers in the folder go first. */
async function clearFolder(plan: PlannedExport): Promise<void> {
  const own = (name: string): boolean => {
    const base = name.slice(plan.names.dir.length + 1);
    return base.startsWith(`${plan.entity}_`) || base.startsWith('manifest_') || base === 'SUCCESS' || base === 'FAILURE';
  };
  for (const object of await plan.store.list(`${plan.names.dir}/`)) if (own(object.name)) await plan.store.remove(object.name);
}

export async function attemptExport(env: ExportEnvironment, plan: PlannedExport): Promise<AttemptResult> {
  const { config } = plan.loaded;
  const fields = await sourceFields(env, plan);
  const unknown = unknownColumns(config, fields);
  if (unknown.length > 0) throw new ExportCheckError(`export ${config.name}: the source has no column ${unknown.join(', ')} (anonymize/exclude)`);
  const staging = env.bigquery.dataset(env.rawDataset).table(`_extract_${config.name}_${plan.runId}`);
  try {
    const [queryJob] = await env.bigquery.createQueryJob({
      query: extractQuery(config, fields, plan.partition !== null),
      ...queryParams(env, plan),
      destination: staging,
      writeDisposition: 'WRITE_TRUNCATE',
      createDisposition: 'CREATE_IF_NEEDED',
    });
    await queryJob.promise();
    const [meta] = await staging.getMetadata();
    const rowCount = Number(meta.numRows ?? 0);
    if (config.mode === 'overwrite') await clearFolder(plan);

    const [extractJob] = await staging.createExtractJob(env.storage.bucket(plan.bucket).file(plan.names.filePattern), {
      destinationFormat: FORMATS[config.format],
      compression: config.compression.toUpperCase(),
      ...(config.format === 'csv' ? { printHeader: config.csv?.header ?? true, fieldDelimiter: config.csv?.delimiter ?? ',' } : {}),
    } as never);
    await extractJob.promise();
    const jobId = extractJob.id ?? '';

    const prefix = plan.names.filePattern.slice(0, plan.names.filePattern.indexOf('*'));
    const files: ManifestFile[] = [];
    for (const object of await plan.store.list(prefix)) {
      const digest = await digestObject(plan.store.read(object.name), config);
      files.push({ name: object.name.slice(plan.names.dir.length + 1), ...digest });
    }
    if (files.length === 0) throw new ExportCheckError(`export ${config.name}: the extract job ${jobId} wrote no file under ${plan.store.uri(prefix)}`);
    const readBack = files.every((f) => f.rows !== undefined) ? files.reduce((n, f) => n + (f.rows ?? 0), 0) : rowCount;
    if (readBack !== rowCount) throw new ExportCheckError(`export ${config.name}: ${readBack} rows read back from the files, ${rowCount} extracted`);

    const finishedAt = new Date();
    const manifest = buildManifest({
      exportId: `exp_${plan.names.manifest.slice(plan.names.dir.length + 'manifest_'.length + 1, -'.json'.length)}`,
      startedAt: plan.runAt,
      finishedAt,
      projectId: env.projectId,
      dataset: plan.dataset,
      table: plan.entity,
      partition: plan.partition,
      destinationDir: plan.store.uri(plan.names.dir),
      config,
      configHash: plan.loaded.hash,
      token: plan.names.token.slice(plan.names.token.lastIndexOf('/') + 1),
      rowCount,
      sourceBytes: Number(meta.numBytes ?? 0),
      columnCount: (meta.schema?.fields ?? []).length,
      schemaHash: schemaHash(((meta.schema?.fields ?? []) as TableField[]).map((f) => ({ name: f.name ?? '', type: f.type ?? '', mode: f.mode ?? 'NULLABLE' }))),
      files,
      jobId,
      trigger: env.trigger,
    });
    await plan.store.writeText(plan.names.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    await plan.store.remove(plan.names.failure);
    const manifestName = plan.names.manifest.slice(plan.names.dir.length + 1);
    await plan.store.writeText(plan.names.success, `${JSON.stringify(successMarker(manifestName, rowCount, finishedAt), null, 2)}\n`);
    return { jobId, rowCount, bytes: files.reduce((n, f) => n + f.bytes, 0), files, manifestUri: plan.store.uri(plan.names.manifest) };
  } finally {
    await staging.delete({ ignoreNotFound: true }).catch(() => undefined);
  }
}
