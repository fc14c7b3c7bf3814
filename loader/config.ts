/** The loader's configuration: what callers pass in, checked once here and read-only afterwards. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { BigQuery } from '@google-cloud/bigquery';
import { databaseUrlProblem } from '../common/redact.js';
import { datasetId, projectId, sqlIdentifier, InvalidIdentifierError } from '../common/identifiers.js';
import type { Logger } from '../common/logger.js';
import type { RetryOptions } from './retry.js';
import { resolveTimeouts, type LoaderTimeouts } from './timeouts.js';

/** `apiEndpoint`: a GCS JSON API other than Google's (the demo's embedded GCS); default Google, or STORAGE_EMULATOR_HOST. */
export type StageConfig = { kind: 'local'; dir: string } | { kind: 'gcs'; bucket: string; apiEndpoint?: string };

/** Points where a test may stop the loader the way a crash would (e.g. SIGKILL in a child process). */
export interface LoaderHooks {
  /** After the staging table is loaded, before the publish transaction. */
  beforePublish?(table: string, batchId: string): Promise<void> | void;
  /** After the publish transaction committed, before the staging table is dropped. */
  afterPublish?(table: string, batchId: string): Promise<void> | void;
  /** After a delete key scan's keys are loaded, before its tombstone transaction (deletes/key-scan.ts). */
  beforeTombstones?(table: string, batchId: string): Promise<void> | void;
}

export interface LoaderConfig {
  databaseUrl: string;
  projectId: string;
  location?: string;
  /** Raw dataset, `landform_raw` by convention. */
  rawDataset: string;
  /** Environment segment of the stage layout (`local`, `dev`, `prod`). */
  env: string;
  stage: StageConfig;
  bigquery: BigQuery;
  contractsDir?: string;
  /** Table contract names to land; all when omitted. */
  tables?: string[];
  /** Largest tolerated share of quarantined rows per batch (default 0.01 = 1%). */
  quarantineThreshold?: number;
  logger?: Logger;
  progress?: boolean;
  /** Rows whose cursor is newer than now() minus this lag wait for the next run (default 0 s; lookback covers late commits). */
  safetyLagSeconds?: number;
  /** Re-land a cursor range instead of the incremental window; never moves the watermark. */
  backfill?: { from: string; to: string };
  /** A backfill is split into batches of at most this cursor range, each committed on its own (default 1 day; backfill/batches.ts). */
  backfillBatchSeconds?: number;
  /** Salt for privacy: hash (default env LANDFORM_HASH_SALT, else none). */
  hashSalt?: string;
  retry?: RetryOptions;
  /** Network waits in ms (defaults in timeouts.ts); the BigQuery client gets `requestMs` unless it has a timeout of its own. */
  timeouts?: Partial<LoaderTimeouts>;
  /** Who this run is, in leases and skip messages (default `<hostname>:<pid>:<random>`). */
  owner?: string;
  /** How long a table's lease holds without renewal (default 2 min, which is also how long a crashed run blocks the table); renewed at a third of it while the batch runs. */
  leaseMs?: number;
  hooks?: LoaderHooks;
  /**
   * Compression of staged files (default gzip, for a bucket stage and a local one alike; manifests
   * and load jobs record the choice). A local stage is still uploaded to BigQuery, so `none` sends
   * about five times the bytes: on the bench (2M telemetry rows, CSV parts, load average ~7.7) it
   * cost 17.4 CPU seconds against gzip's 16.0 (embedded BigQuery 8.2 s vs 6.9 s, loader 5.0 vs 5.2).
   */
  compression?: 'gzip' | 'none';
  /** Largest staged row in bytes (default BigQuery's 100 MB load limit); larger rows are quarantined. Tests set it small. */
  maxRowBytes?: number;
  /** Uncompressed bytes per staged part file (default 64 MiB); each part is loaded while the next is extracted. */
  stagePartBytes?: number;
  /** Stage format: `auto` (default) stages Parquet when every column of the table has a Parquet mapping, NDJSON otherwise; `jsonl` always NDJSON. */
  stageFormat?: 'auto' | 'jsonl';
}

export class LoaderConfigError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`invalid loader configuration: ${field} ${rule}`);
    this.name = 'LoaderConfigError';
  }
}

export const DEFAULT_QUARANTINE_THRESHOLD = 0.01;
const ENV_SEGMENT = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** The same config with defaults applied; throws LoaderConfigError naming the field that is wrong. */
export function resolveConfig(
  config: LoaderConfig,
  needs: { database: boolean } = { database: true },
): Required<Pick<LoaderConfig, 'quarantineThreshold' | 'safetyLagSeconds' | 'hashSalt' | 'compression' | 'stagePartBytes' | 'owner' | 'leaseMs'>> &
  LoaderConfig & { timeoutsMs: LoaderTimeouts } {
  const check = (field: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof InvalidIdentifierError) throw new LoaderConfigError(field, error.rule);
      throw error;
    }
  };
  if (needs.database) {
    if (!config.databaseUrl) throw new LoaderConfigError('databaseUrl', 'is required (env DATABASE_URL)');
    const problem = databaseUrlProblem(config.databaseUrl);
    if (problem) throw new LoaderConfigError('databaseUrl', problem);
  }
  check('projectId', () => projectId(config.projectId));
  check('rawDataset', () => datasetId(config.rawDataset));
  if (!ENV_SEGMENT.test(config.env)) throw new LoaderConfigError('env', 'must be lowercase letters, digits, - or _ (it is a path segment)');
  if (config.stage.kind === 'gcs' && !BUCKET.test(config.stage.bucket)) throw new LoaderConfigError('stage.bucket', 'is not a valid bucket name');
  if (config.stage.kind === 'local' && !config.stage.dir) throw new LoaderConfigError('stage.dir', 'is required for a local stage');
  for (const name of config.tables ?? []) check('tables', () => sqlIdentifier(name, 'table'));
  const threshold = config.quarantineThreshold ?? DEFAULT_QUARANTINE_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) throw new LoaderConfigError('quarantineThreshold', 'must be between 0 and 1');
  const lag = config.safetyLagSeconds ?? 0;
  if (!(lag >= 0) || !Number.isFinite(lag)) throw new LoaderConfigError('safetyLagSeconds', 'must be a non-negative number');
  if (config.backfill) {
    for (const key of ['from', 'to'] as const) {
      if (Number.isNaN(Date.parse(config.backfill[key]))) throw new LoaderConfigError(`backfill.${key}`, 'must be an ISO timestamp');
    }
    if (Date.parse(config.backfill.from) > Date.parse(config.backfill.to)) throw new LoaderConfigError('backfill', 'from must not be after to');
  }
  if (config.backfillBatchSeconds !== undefined && !(config.backfillBatchSeconds >= 1 && Number.isFinite(config.backfillBatchSeconds))) {
    throw new LoaderConfigError('backfillBatchSeconds', 'must be a number of seconds of at least 1');
  }
  const compression = config.compression ?? 'gzip';
  if (compression !== 'gzip' && compression !== 'none') throw new LoaderConfigError('compression', 'must be gzip or none');
  let timeoutsMs: LoaderTimeouts;
  try {
    timeoutsMs = resolveTimeouts(config.timeouts);
  } catch (error) {
    const [field = 'timeouts', ...rule] = (error as Error).message.split(' ');
    throw new LoaderConfigError(field, rule.join(' '));
  }
  const leaseMs = config.leaseMs ?? 120_000;
  if (!(leaseMs >= 1000)) throw new LoaderConfigError('leaseMs', 'must be at least 1000 ms');
  const stagePartBytes = config.stagePartBytes ?? 64 * 1024 * 1024;
  if (!(stagePartBytes >= 1)) throw new LoaderConfigError('stagePartBytes', 'must be a positive number of bytes');
  return {
    ...config,
    compression,
    stagePartBytes,
    quarantineThreshold: threshold,
    safetyLagSeconds: lag,
    hashSalt: config.hashSalt ?? process.env.LANDFORM_HASH_SALT ?? '',
    // A suffix per run: two runs in one process (tests, a long-lived service) are two owners.
    owner: config.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    leaseMs,
    timeoutsMs,
  };
}

export type ResolvedConfig = ReturnType<typeof resolveConfig>;
