import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invalid } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Catalog } from '../store/catalog.js';
import { addBucketRoutes } from './bucket-routes.js';
import { addCopyRoutes } from './copy-routes.js';
import { answerPreflight, checkRequest, corsHeaders } from './guard.js';
import { sendError } from './http-io.js';
import { addMetadataRoutes } from './metadata-routes.js';
import { addObjectRoutes } from './object-routes.js';
import { Router } from './router.js';
import type { ServerContext } from './server-context.js';
import { addUploadRoutes } from './upload-routes.js';

export interface GcsServerOptions {
  catalog: Catalog;
  logger: Logger;
  host: string;
  port: number;
  token?: string;
  allowedOrigins: string[];
  /** Project the metadata endpoint reports. */
  projectId: string;
}

export interface GcsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * `/storage/v1/b/...` (apiEndpoint) and `/b/...` (STORAGE_EMULATOR_HOST used verbatim as the JSON
 * API base) are the same API; uploads and downloads keep their own prefix.
 */
function normalizePath(path: string): string {
  for (const [from, to] of [
    ['/upload/storage/v1/', '/upload/'],
    ['/download/storage/v1/', '/download/'],
    ['/storage/v1/', '/'],
  ] as const) {
    if (path.startsWith(from)) return `${to}${path.slice(from.length)}`;
  }
  return path;
}

export async function startGcsServer(options: GcsServerOptions): Promise<GcsServer> {
  const { catalog, logger } = options;
  let baseUrl = '';
  let port = options.port;
  const ctx: ServerContext = { catalog, logger, baseUrl: () => baseUrl };
  const router = new Router();
  addMetadataRoutes(router, options.projectId);
  addBucketRoutes(router, ctx);
  addObjectRoutes(router, ctx);
  addCopyRoutes(router, ctx);
  const resumable = addUploadRoutes(router, ctx);

  const server = createServer((req, res) => {
    const started = Date.now();
    // The raw target, split by hand: URL parsing would resolve `..` and `%2E%2E` segments of object names.
    const target = req.url ?? '/';
    const at = target.indexOf('?');
    const rawPath = at < 0 ? target : target.slice(0, at);
    const path = normalizePath(rawPath);
    void (async () => {
      try {
        const origin = checkRequest(req, { port, allowedOrigins: options.allowedOrigins, ...(options.token !== undefined ? { token: options.token } : {}) });
        if (origin) {
          if (req.method === 'OPTIONS') {
            answerPreflight(res, origin);
            return;
          }
          for (const [name, value] of Object.entries(corsHeaders(origin, false))) res.setHeader(name, value);
        }
        if (!rawPath.startsWith('/')) throw invalid('The request target must be a path.');
        const { handler, params } = router.match(req.method ?? 'GET', path);
        await handler({ req, res, params, query: new URLSearchParams(at < 0 ? '' : target.slice(at + 1)) });
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
  port = (server.address() as AddressInfo).port;
  baseUrl = `http://${options.host}:${port}`;

  return {
    server,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 250);
      await closed;
      clearTimeout(force);
      await resumable.abortAll();
      await catalog.flush();
    },
  };
}
