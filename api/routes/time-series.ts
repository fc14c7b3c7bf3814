/** Events, trending and risk routes (analyst and admin). */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../config.js';
import type { ApiContext } from '../context.js';
import { recentEventsQuery, riskTrendsQuery, trendingQuery, type Bucket, type NewsEventRow, type RiskRow, type TrendingRow } from '../queries/time-series.js';
import { recentEvents, riskTrends, trendingEntities } from '../schemas.js';
import { instantRange } from '../window.js';
import { cachedReply } from './http-cache.js';

const READERS: readonly Role[] = ['analyst', 'admin'];
const iso = (v: { value: string } | null | undefined): string | null => (v ? new Date(v.value).toISOString() : null);

export function registerTimeSeriesRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: { start: string; end: string; event_type?: string; limit: number } }>(
    '/api/v1/events/recent',
    { schema: recentEvents, config: { roles: READERS } },
    async (request, reply) => {
      const { limit, event_type: eventType } = request.query;
      const range = instantRange(request.query.start, request.query.end);
      return cachedReply(ctx, request, reply, `events|${range.start}|${range.end}|${eventType ?? ''}|${limit}`, async () => {
        const { rows, stats } = await ctx.warehouse.run<NewsEventRow>(recentEventsQuery(ctx.datasets, range, limit, eventType));
        const events = rows.map((r) => ({ ...r, mentioned_at: iso(r.mentioned_at) }));
        return { body: { ...range, events }, stats: [stats] };
      });
    },
  );

  app.get<{ Querystring: { metric: string; limit: number } }>(
    '/api/v1/entities/trending',
    { schema: trendingEntities, config: { roles: READERS } },
    async (request, reply) => {
      const { metric, limit } = request.query;
      return cachedReply(ctx, request, reply, `trending|${metric}|${limit}`, async () => {
        const { rows, stats } = await ctx.warehouse.run<TrendingRow>(trendingQuery(ctx.datasets, limit));
        const entities = rows.map((r) => ({
          entity_id: r.entity_id, rank: r.trending_rank, score: r.trending_score, mention_count: r.mention_count,
          mention_count_7d: r.mention_count_7d, last_mentioned_at: iso(r.last_mentioned_at),
        }));
        return { body: { metric, scored_as_of: iso(rows[0]?.scored_as_of), entities }, stats: [stats] };
      });
    },
  );

  app.get<{ Querystring: { start: string; end: string; bucket: Bucket } }>(
    '/api/v1/risk/trends',
    { schema: riskTrends, config: { roles: READERS } },
    async (request, reply) => {
      const { bucket } = request.query;
      const range = instantRange(request.query.start, request.query.end);
      return cachedReply(ctx, request, reply, `risk|${range.start}|${range.end}|${bucket}`, async () => {
        const { rows, stats } = await ctx.warehouse.run<RiskRow>(riskTrendsQuery(ctx.datasets, range, bucket));
        const buckets = rows.map((r) => ({ ...r, bucket_start: iso(r.bucket_start) }));
        return { body: { ...range, bucket, buckets }, stats: [stats] };
      });
    },
  );
}
