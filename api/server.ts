/**
 * The analytics API server: Fastify with bearer-JWT authentication and role checks before anything
 * else runs, schema validation, per-principal rate limits, problem-details errors, one structured log
 * line per request, and a readiness check that refuses to start when a table it reads is missing.
 */
import { randomUUID } from 'node:crypto';
import type { BigQuery } from '@google-cloud/bigquery';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../common/logger.js';
import { bearerToken, createVerifier, type VerifyToken } from './auth/verifier.js';
import { ResponseCache } from './cache.js';
import type { ApiConfig } from './config.js';
import type { ApiContext } from './context.js';
import { ExportRuns, type LoadRunner } from './exports.js';
import { OpenApiCollector } from './openapi.js';
import { ProblemError, problem, type Problem } from './problem.js';
import { requiredTables } from './queries/tables.js';
import { registerAnalyticsRoutes } from './routes/analytics.js';
import { registerExportRoutes } from './routes/exports.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerTimeSeriesRoutes } from './routes/time-series.js';
import { Warehouse } from './warehouse.js';

export interface ApiServerOptions {
  config: ApiConfig;
  bigquery: BigQuery;
  logger: Logger;
  /** Runs the loader for the export trigger; without one the trigger answers 403 even when enabled. */
  loadRunner?: LoadRunner | null;
  /** Error text of export runs passes through this (a database URL must not reach a client). */
  redact?: (text: string) => string;
}

export class ApiNotReadyError extends Error {
  constructor(readonly problems: string[]) {
    super(`landform serve: not ready: ${problems[0] ?? 'unknown problem'}`);
    this.name = 'ApiNotReadyError';
  }
}

async function authenticate(verify: VerifyToken, request: FastifyRequest): Promise<void> {
  request.principal = null;
  request.queryStats = [];
  request.cacheSource = null;
  const roles = request.routeOptions.config.roles;
  if (roles === undefined) return;
  const principal = await verify(bearerToken(request.headers.authorization));
  // Known before the role check, so a refused request is still logged (and rate-limited) under its principal.
  request.principal = principal;
  if (!roles.includes(principal.role)) throw new ProblemError(403, `this route is for ${roles.join(' or ')} tokens; yours has role ${principal.role}`);
}

/** The parameter a schema validation error is about, and a sentence for it. */
function validationProblem(error: FastifyError): { parameter: string; detail: string } {
  const first = error.validation?.[0];
  const params = (first?.params ?? {}) as { additionalProperty?: string; missingProperty?: string };
  const where = error.validationContext === 'body' ? 'body field' : 'parameter';
  if (params.additionalProperty) return { parameter: params.additionalProperty, detail: `unknown ${where} ${params.additionalProperty}` };
  const parameter = params.missingProperty ?? (first?.instancePath ?? '').split('/').filter(Boolean)[0] ?? error.validationContext ?? 'request';
  const message = params.missingProperty ? 'is required' : (first?.message ?? 'is invalid');
  return { parameter, detail: `${where} ${parameter} ${message}` };
}

function toProblem(error: FastifyError | ProblemError, request: FastifyRequest, logger: Logger): { body: Problem; headers: Record<string, string> } {
  if (error instanceof ProblemError) return { body: error.toProblem(request.id), headers: error.headers };
  if (error.validation) {
    const { parameter, detail } = validationProblem(error);
    return { body: problem(400, detail, parameter, request.id), headers: {} };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { body: problem(status, error.message, undefined, request.id), headers: {} };
  logger.error({ reqId: request.id, err: { message: error.message, code: error.code } }, 'request failed');
  return { body: problem(500, 'unexpected error; quote the request id (instance) when asking about it', undefined, request.id), headers: {} };
}

function logRequest(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const stats = request.queryStats ?? [];
  logger.info(
    {
      reqId: request.id,
      principal: request.principal?.id ?? null,
      role: request.principal?.role ?? null,
      method: request.method,
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      latencyMs: Math.round(reply.elapsedTime * 100) / 100,
      cache: request.cacheSource ?? null,
      jobIds: stats.map((s) => s.jobId),
      bytesProcessed: stats.reduce((n, s) => n + (s.bytesProcessed ?? 0), 0),
    },
    'request',
  );
}

/** The Fastify instance with every route, not yet listening (tests and the bench listen on port 0). */
export async function buildApi(options: ApiServerOptions): Promise<FastifyInstance> {
  const { config, logger } = options;
  const verify = await createVerifier(config.auth);
  const warehouse = new Warehouse(options.bigquery, { projectId: config.projectId, location: config.location, maximumBytesBilled: config.maximumBytesBilled, logger });
  const ctx: ApiContext = {
    config,
    datasets: { projectId: config.projectId, martsDataset: config.martsDataset },
    warehouse,
    cache: new ResponseCache(config.cacheTtlSeconds * 1000),
    exports: options.loadRunner ? new ExportRuns(options.loadRunner, logger, options.redact) : null,
    tables: requiredTables(config),
  };
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance's default type for the route modules.
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request from the onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 16 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } },
  });
  const openapi = new OpenApiCollector();
  app.addHook('onRoute', openapi.onRoute);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    await authenticate(verify, request);
  });
  app.addHook('onResponse', async (request, reply) => logRequest(logger, request, reply));
  app.addHook('onClose', async () => ctx.exports?.idle());
  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    const { body, headers } = toProblem(error, request, logger);
    void reply.code(body.status).headers(headers).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).type('application/problem+json').send(problem(404, `no route ${request.method} ${request.url.split('?')[0]}`, undefined, request.id));
  });
  // After authentication (onRequest), so the key is the principal, not an address shared by many users.
  await app.register(rateLimit, {
    global: true,
    hook: 'preValidation',
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.principal ? `p:${request.principal.id}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => new ProblemError(429, `at most ${context.max} requests per minute per principal; retry in ${context.after}`, undefined, { 'retry-after': String(Math.ceil(context.ttl / 1000)) }),
  });
  registerHealthRoutes(app, ctx);
  registerAnalyticsRoutes(app, ctx);
  registerTimeSeriesRoutes(app, ctx);
  registerExportRoutes(app, ctx);
  app.get('/openapi.json', { config: { rateLimit: false } }, async () => openapi.document());
  return app;
}

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  /** Stops accepting, lets in-flight requests and a running export finish, then resolves. */
  close(): Promise<void>;
}

/** Readiness first (a missing dataset or table stops the start with one sentence naming it), then listen. */
export async function startApi(options: ApiServerOptions): Promise<RunningApi> {
  const { config } = options;
  const warehouse = new Warehouse(options.bigquery, { projectId: config.projectId, location: config.location, maximumBytesBilled: config.maximumBytesBilled, logger: options.logger });
  const missing = await warehouse.missing(requiredTables(config));
  if (missing.length > 0) throw new ApiNotReadyError(missing);
  const app = await buildApi(options);
  const address = await app.listen({ host: config.host, port: config.port });
  return { app, url: address.replace('[::1]', '127.0.0.1'), close: () => app.close() };
}
