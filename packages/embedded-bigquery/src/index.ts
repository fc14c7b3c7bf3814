import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLogger, type Logger } from './logger.js';
import { createEngine } from './engine/index.js';
import { startBigQueryServer, type BigQueryServer } from './server/server.js';
import { checkToken } from './server/token.js';
import type { GcsTarget } from './server/gcs-upload.js';
import { createUploadDir, sweepStaleUploadDirs } from './server/upload-dir.js';

export type { Logger } from './logger.js';
export { waitForStopSignal } from './signals.js';
export { createEngine } from './engine/index.js';
export type { Engine } from './engine/types.js';
export type { GcsTarget } from './server/gcs-upload.js';
export { SERVER_DEFAULTS } from './server/server.js';
export { chooseToken, generateToken, tokenUsage, TOKEN_ENV, type TokenChoice } from './server/token.js';

export interface EmbeddedBigQueryOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** DuckDB storage: a directory/file path, or ':memory:' (default). */
  dataPath?: string;
  /** Loopback only; requests must also name it (or localhost) as their Host. */
  host?: '127.0.0.1';
  /**
   * Every request (but the metadata server's) must send `Authorization: Bearer <token>`; the
   * metadata token endpoint hands it out, so clients pointed there by `env` keep working.
   * Default: none (any local client is served).
   */
  token?: string;
  /** Browser origins allowed to call the server, with CORS (default none: requests with an Origin are refused). */
  allowedOrigins?: readonly string[];
  /** Largest JSON request body (default 16 MiB). */
  maxJsonBodyBytes?: number;
  /** Largest load-job upload, as received and after gunzip (default 5 GiB). */
  maxUploadBytes?: number;
  /** Timeout of jobs that set no configuration.jobTimeoutMs (default 6 h). */
  defaultJobTimeoutMs?: number;
  /** On stop, how long running jobs may go on before they are interrupted (default 2 s). */
  shutdownGraceMs?: number;
  /** Project reported by the metadata server and used in `env` (default `landform-local`). */
  projectId?: string;
  /** Location of datasets, tables and jobs that name none (default `US`). */
  location?: string;
  logger?: Logger;
  /** How long jobs.insert waits for a short job before answering (default 1000 ms; 0 answers at once). */
  insertWaitMs?: number;
  /**
   * The Cloud Storage extract jobs write `gs://` URIs to: the JSON API at `url` (an embedded GCS's
   * `url`, with its `token` if it has one). Without it extract jobs fail with `invalid`.
   */
  gcs?: GcsTarget;
}

export interface EmbeddedBigQuery {
  url: string;
  port: number;
  /**
   * Environment for a child process (Dataform CLI, loader) so that @google-cloud/bigquery and
   * google-auth-library talk to this server instead of Google. Never applied to this process.
   */
  env: Record<string, string>;
  /** The HTTP server, for tests that need it. */
  server: BigQueryServer;
  stop(): Promise<void>;
}

/**
 * Variables that point Google's Node clients at the embedded server:
 * - BIGQUERY_EMULATOR_HOST: @google-cloud/bigquery uses it as its API base (`$HOST/projects/...`).
 * - GCE_METADATA_IP / GCE_METADATA_HOST: gcp-metadata's metadata-server address (IP wins over HOST,
 *   so both are set), where google-auth-library's Compute client gets its token (the server's own
 *   token when it has one, so the token itself need not be in the environment).
 * - METADATA_SERVER_DETECTION=assume-present: skip gcp-metadata's availability probe.
 * - GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT: the project id clients fall back to.
 * - GOOGLE_APPLICATION_CREDENTIALS='' and CLOUDSDK_CONFIG=<empty dir>: keep a developer's real key file
 *   or gcloud application-default credentials from being picked up before the metadata server
 *   (a key file always calls Google's token endpoint, which fails offline).
 */
export function embeddedBigQueryEnv(host: string, port: number, projectId: string): Record<string, string> {
  const hostPort = `${host}:${port}`;
  return {
    BIGQUERY_EMULATOR_HOST: `http://${hostPort}`,
    GCE_METADATA_HOST: hostPort,
    GCE_METADATA_IP: hostPort,
    METADATA_SERVER_DETECTION: 'assume-present',
    GOOGLE_CLOUD_PROJECT: projectId,
    GCLOUD_PROJECT: projectId,
    GOOGLE_APPLICATION_CREDENTIALS: '',
    CLOUDSDK_CONFIG: join(tmpdir(), 'landform-embedded-bigquery-no-gcloud'),
  };
}

/** Starts the BigQuery-compatible REST endpoint (and metadata server) on DuckDB, on 127.0.0.1. */
export async function startEmbeddedBigQuery(options: EmbeddedBigQueryOptions = {}): Promise<EmbeddedBigQuery> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`embedded BigQuery binds to 127.0.0.1 only (got host ${String(host)})`);
  const projectId = options.projectId ?? 'landform-local';
  if (options.token !== undefined) checkToken(options.token);
  const logger = options.logger ?? defaultLogger();
  const dataPath = options.dataPath ?? ':memory:';
  // Directories of servers that were killed (no stop() removed them).
  await sweepStaleUploadDirs();
  const uploadDir = await createUploadDir();
  let engine: Awaited<ReturnType<typeof createEngine>> | undefined;
  let server: BigQueryServer;
  try {
    engine = await createEngine({ dataPath });
    server = await startBigQueryServer({
      engine,
      logger,
      host,
      port: options.port ?? 0,
      projectId,
      location: options.location ?? 'US',
      uploadDir,
      ...(dataPath !== ':memory:' ? { dataDir: dataPath } : {}),
      ...pick(options, ['insertWaitMs', 'token', 'allowedOrigins', 'maxJsonBodyBytes', 'maxUploadBytes', 'defaultJobTimeoutMs', 'shutdownGraceMs', 'gcs']),
    });
  } catch (error) {
    await engine?.close();
    await rm(uploadDir, { recursive: true, force: true });
    throw error;
  }
  const running = engine;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port,
    env: embeddedBigQueryEnv(host, server.port, projectId),
    server,
    stop() {
      stopping ??= (async () => {
        try {
          await server.close();
        } finally {
          await running.close();
          await rm(uploadDir, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}

/** The options that are set, so `exactOptionalPropertyTypes` sees no explicit undefined. */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
