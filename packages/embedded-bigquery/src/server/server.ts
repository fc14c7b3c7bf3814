import { createServer, type Server } from 'node:http';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/types.js';
import type { Logger } from '../logger.js';
import { addDatasetRoutes } from './dataset-routes.js';
import { sendEmpty, sendError, toHttpError } from './http-io.js';
import { addJobRoutes } from './job-routes.js';
import { JobManager } from './job-manager.js';
import { FileJobStore, type JobStore, type StoredJob } from './job-store.js';
import { addMetadataRoutes } from './metadata-routes.js';
import { corsHeaders, guardRequest, isOwnHost, type GuardOptions } from './request-guard.js';
import { Router } from './router.js';
import type { GcsTarget } from './gcs-upload.js';
import type { ServerContext, ServerLimits } from './server-context.js';
import { addTableDataRoutes } from './tabledata-routes.js';
import { addTableRoutes } from './table-routes.js';
import { addRoutineRoutes } from './routine-routes.js';
import { createUploadDir } from './upload-dir.js';
import { addUploadRoutes } from './upload-routes.js';

const MiB = 1024 * 1024;

/**
 * Defaults, sized for Landform's own parts: insertAll's real request limit is 10 MB and the
 * loader's JSON requests are small; the loader uploads gzip parts of about 64 MiB that expand to
 * a few hundred MiB; 6 h is BigQuery's own limit on a query job's run time.
 */
export const SERVER_DEFAULTS = {
  maxJsonBodyBytes: 16 * MiB,
  maxUploadBytes: 5 * 1024 * MiB,
  defaultJobTimeoutMs: 6 * 3600 * 1000,
  shutdownGraceMs: 2000,
} as const;

/** Job records kept across restarts (older ones are dropped at start). */
const RETAINED_JOB_RECORDS = 10_000;

export interface BigQueryServerOptions {
  engine: Engine;
  logger: Logger;
  host: string;
  port: number;
  projectId: string;
  location: string;
  /** How long jobs.insert waits for a short job to finish before answering (BigQuery answers fast jobs DONE). */
  insertWaitMs?: number;
  /** Jobs executing at once; more wait as PENDING. */
  jobConcurrency?: number;
  /** Every request except metadata ones must send `Authorization: Bearer <token>`; the metadata server hands it out. */
  token?: string;
  /** Browser origins allowed to call the server (default none: any request with an Origin is refused). */
  allowedOrigins?: readonly string[];
  maxJsonBodyBytes?: number;
  /** Largest load-job upload, as received and after gunzip. */
  maxUploadBytes?: number;
  /** Timeout of a job whose configuration sets no jobTimeoutMs. */
  defaultJobTimeoutMs?: number;
  /** On close, how long running jobs may go on before they are interrupted. */
  shutdownGraceMs?: number;
  /** Where uploads are saved (created, and removed on close, when not given). */
  uploadDir?: string;
  /** A data directory: job records are kept there (jobs.jsonl) and read back at start. */
  dataDir?: string;
  /** The Cloud Storage extract jobs write to (see gcs-upload.ts). */
  gcs?: GcsTarget;
}

export interface BigQueryServer {
  server: Server;
  port: number;
  jobs: JobManager;
  /** The engine behind the API, for benchmarks that separate engine time from HTTP time. */
  engine: Engine;
  /** Where uploads wait for their load job (removed on close). */
  uploadDir: string;
  close(): Promise<void>;
}

/** `/bigquery/v2/projects/...` (apiEndpoint) and `/projects/...` (BIGQUERY_EMULATOR_HOST) are the same API. */
function normalizePath(path: string): string {
  if (path.startsWith('/upload/bigquery/v2/')) return `/upload/${path.slice('/upload/bigquery/v2/'.length)}`;
  if (path.startsWith('/bigquery/v2/')) return path.slice('/bigquery/v2'.length);
  return path;
}

export async function startBigQueryServer(options: BigQueryServerOptions): Promise<BigQueryServer> {
  const { engine, logger } = options;
  const limits: ServerLimits = {
    maxJsonBodyBytes: options.maxJsonBodyBytes ?? SERVER_DEFAULTS.maxJsonBodyBytes,
    maxUploadBytes: options.maxUploadBytes ?? SERVER_DEFAULTS.maxUploadBytes,
  };
  let store: JobStore | undefined;
  let restored: Map<string, StoredJob> | undefined;
  if (options.dataDir) ({ store, jobs: restored } = await FileJobStore.open(options.dataDir, RETAINED_JOB_RECORDS));
  const ownsUploadDir = options.uploadDir === undefined;
  const uploadDir = options.uploadDir ?? (await createUploadDir());
  const jobs = new JobManager(engine, {
    location: options.location,
    userEmail: `embedded@${options.projectId}.iam.gserviceaccount.com`,
    concurrency: options.jobConcurrency ?? 8,
    retainedResults: 500,
    retainedJobs: RETAINED_JOB_RECORDS,
    defaultJobTimeoutMs: options.defaultJobTimeoutMs ?? SERVER_DEFAULTS.defaultJobTimeoutMs,
    maxUploadBytes: limits.maxUploadBytes,
    logger,
    ...(options.gcs ? { gcs: options.gcs } : {}),
    uploadDir,
    ...(store ? { store } : {}),
    ...(restored ? { restored } : {}),
  });
  let baseUrl = '';
  let port = 0;
  const ctx: ServerContext = { engine, jobs, location: options.location, logger, uploadDir, limits, baseUrl: () => baseUrl };
  const insertWaitMs = options.insertWaitMs ?? 1000;
  const guard: GuardOptions = { port: () => port, allowedOrigins: options.allowedOrigins ?? [], ...(options.token !== undefined ? { token: options.token } : {}) };

  const router = new Router();
  addMetadataRoutes(router, options.projectId, options.token);
  addDatasetRoutes(router, ctx);
  addTableRoutes(router, ctx);
  addTableDataRoutes(router, ctx);
  addRoutineRoutes(router, ctx);
  addJobRoutes(router, ctx, insertWaitMs);
  addUploadRoutes(router, ctx, insertWaitMs);

  const server = createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = normalizePath(url.pathname);
    void (async () => {
      try {
        // Only once the Host is known to be ours does an allowed origin get to read the answer.
        if (isOwnHost(req, port)) for (const [name, value] of Object.entries(corsHeaders(req, guard))) res.setHeader(name, value);
        const decision = guardRequest(req, path, guard);
        for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
        if (decision.kind === 'preflight') {
          sendEmpty(res, 204);
          return;
        }
        const { handler, params } = router.match(req.method ?? 'GET', path);
        await handler({ req, res, params, query: url.searchParams });
      } catch (error) {
        if (res.headersSent) {
          res.destroy(error instanceof Error ? error : undefined);
        } else {
          const e = toHttpError(error);
          // A refused or oversized request is not worth keeping the connection for.
          const refused = [401, 403, 413, 415].includes(e.httpStatus);
          sendError(res, e, refused ? { Connection: 'close' } : {});
        }
        // Drain what the client is still sending, so it reads the answer instead of a reset.
        req.resume();
      } finally {
        logger.debug({ method: req.method, path, status: res.statusCode, ms: Date.now() - started }, 'request');
      }
    })();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    if (ownsUploadDir) await rm(uploadDir, { recursive: true, force: true });
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  baseUrl = `http://${options.host}:${port}`;
  const shutdownGraceMs = options.shutdownGraceMs ?? SERVER_DEFAULTS.shutdownGraceMs;

  return {
    server,
    port,
    jobs,
    engine,
    uploadDir,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Running jobs get a moment to finish; then they are interrupted, so close never waits on a query.
      await jobs.shutdown(shutdownGraceMs);
      // Every job is DONE now, so waiting getQueryResults calls answer; whatever is left is cut.
      const force = setTimeout(() => server.closeAllConnections(), 250);
      await closed;
      clearTimeout(force);
      if (ownsUploadDir) await rm(uploadDir, { recursive: true, force: true });
    },
  };
}
