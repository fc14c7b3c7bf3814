import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/types.js';
import type { Logger } from '../logger.js';
import { addDatasetRoutes } from './dataset-routes.js';
import { sendError } from './http-io.js';
import { addJobRoutes } from './job-routes.js';
import { JobManager } from './job-manager.js';
import { addMetadataRoutes } from './metadata-routes.js';
import { Router } from './router.js';
import type { ServerContext } from './server-context.js';
import { addTableDataRoutes } from './tabledata-routes.js';
import { addTableRoutes } from './table-routes.js';
import { addUploadRoutes } from './upload-routes.js';

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
}

export interface BigQueryServer {
  server: Server;
  port: number;
  jobs: JobManager;
  /** The engine behind the API, for benchmarks that separate engine time from HTTP time. */
  engine: Engine;
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
  const uploadDir = await mkdtemp(join(tmpdir(), 'landform-bq-upload-'));
  const jobs = new JobManager(engine, {
    location: options.location,
    userEmail: `embedded@${options.projectId}.iam.gserviceaccount.com`,
    concurrency: options.jobConcurrency ?? 8,
    retainedResults: 500,
    logger,
  });
  let baseUrl = '';
  const ctx: ServerContext = { engine, jobs, location: options.location, logger, uploadDir, baseUrl: () => baseUrl };
  const insertWaitMs = options.insertWaitMs ?? 1000;

  const router = new Router();
  addMetadataRoutes(router, options.projectId);
  addDatasetRoutes(router, ctx);
  addTableRoutes(router, ctx);
  addTableDataRoutes(router, ctx);
  addJobRoutes(router, ctx, insertWaitMs);
  addUploadRoutes(router, ctx, insertWaitMs);

  const server = createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = normalizePath(url.pathname);
    void (async () => {
      try {
        const { handler, params } = router.match(req.method ?? 'GET', path);
        await handler({ req, res, params, query: url.searchParams });
      } catch (error) {
        if (res.headersSent) {
          res.destroy(error instanceof Error ? error : undefined);
        } else {
          sendError(res, error);
        }
        // Drain what the client is still sending so the connection can be reused.
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
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${options.host}:${port}`;

  return {
    server,
    port,
    jobs,
    engine,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Let started jobs finish so no statement is cut off mid-write; waiting getQueryResults calls then answer.
      await jobs.drain();
      const force = setTimeout(() => server.closeAllConnections(), 250);
      await closed;
      clearTimeout(force);
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}
