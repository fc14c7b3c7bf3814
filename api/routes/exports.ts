/** The admin export trigger: POST starts a loader run (202), GET reports it. Off unless LANDFORM_EXPORT_ENABLED=true. */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import type { ExportRuns } from '../exports.js';
import { ProblemError } from '../problem.js';
import { getExport, startExport } from '../schemas.js';

function enabledRuns(ctx: ApiContext): ExportRuns {
  if (!ctx.config.exportEnabled || ctx.exports === null) {
    throw new ProblemError(403, 'exports are disabled on this server: start it with LANDFORM_EXPORT_ENABLED=true (and DATABASE_URL set) to allow them');
  }
  return ctx.exports;
}

export function registerExportRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const start = { schema: startExport, config: { roles: ['admin'] as const } };
  const handler = async (request: { body: { tables?: string[] } | null | undefined; principal: { id: string } | null }, reply: { code(n: number): unknown }) => {
    const runs = enabledRuns(ctx);
    const run = runs.start(request.body?.tables, request.principal?.id ?? 'unknown');
    reply.code(202);
    return run;
  };
  app.post<{ Body: { tables?: string[] } | null }>('/api/v1/admin/exports/run', start, handler);
  // The knowledge-platform spec's path (seed 001), kept as an alias.
  app.post<{ Body: { tables?: string[] } | null }>('/api/exports/bigquery/run', start, handler);

  app.get<{ Params: { run_id: string } }>('/api/v1/admin/exports/:run_id', { schema: getExport, config: { roles: ['admin'] } }, async (request) => {
    const run = enabledRuns(ctx).get(request.params.run_id);
    if (!run) throw new ProblemError(404, `no export run ${request.params.run_id} on this server (runs are kept in memory until it restarts)`);
    return run;
  });
}
