/** Liveness and readiness. Readiness asks BigQuery for every dataset and table the API reads. */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { ProblemError } from '../problem.js';
import { health, readiness } from '../schemas.js';

export function registerHealthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/healthz', { schema: health, config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: readiness, config: { rateLimit: false } }, async () => {
    const missing = await ctx.warehouse.missing(ctx.tables);
    if (missing.length > 0) throw new ProblemError(503, missing[0] as string);
    return { status: 'ready' };
  });
}
