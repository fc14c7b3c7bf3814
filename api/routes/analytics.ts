/** GET /api/v1/vendor/analytics (vendor: own store only) and GET /api/v1/admin/analytics (admin). */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { ProblemError } from '../problem.js';
import { marketplaceKpisQuery, vendorKpisQuery, type MarketplaceDayRow, type VendorDayRow } from '../queries/marketplace.js';
import { adminAnalytics, vendorAnalytics } from '../schemas.js';
import { daysOf, presetWindow } from '../window.js';
import { cachedReply } from './http-cache.js';

/** Cents per order to two decimals; null without orders (as the marts define it). */
export const averageOrderValue = (cents: number, orders: number): number | null => (orders === 0 ? null : Math.round((cents / orders) * 100) / 100);

function byDate<R extends { activity_date: string }>(rows: R[]): Map<string, R> {
  return new Map(rows.map((r) => [r.activity_date, r]));
}

export function registerAnalyticsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: { preset: string } }>('/api/v1/vendor/analytics', { schema: vendorAnalytics, config: { roles: ['vendor'] } }, async (request, reply) => {
    // The store is the token's, never the request's: the query string has no store parameter at all.
    const storeId = request.principal?.storeId;
    if (storeId === undefined) throw new ProblemError(403, 'a vendor token with a store id is required');
    const window = presetWindow(request.query.preset, ctx.config.now());
    return cachedReply(ctx, request, reply, `vendor|${storeId}|${window.from}|${window.to}`, async () => {
      const { rows, stats } = await ctx.warehouse.run<VendorDayRow>(vendorKpisQuery(ctx.datasets, storeId, window));
      const days = byDate(rows);
      const series = daysOf(window).map((date) => {
        const r = days.get(date);
        const orders = r?.order_count ?? 0;
        const revenue = r?.revenue_cents ?? 0;
        return { date, order_count: orders, revenue_cents: revenue, average_order_value_cents: averageOrderValue(revenue, orders), cash_collected_cents: r?.cash_collected_cents ?? 0 };
      });
      const orders = series.reduce((n, d) => n + d.order_count, 0);
      const revenue = series.reduce((n, d) => n + d.revenue_cents, 0);
      const totals = {
        order_count: orders,
        revenue_cents: revenue,
        average_order_value_cents: averageOrderValue(revenue, orders),
        cash_collected_cents: series.reduce((n, d) => n + d.cash_collected_cents, 0),
      };
      return { body: { store_id: storeId, window, totals, series }, stats: [stats] };
    });
  });

  app.get<{ Querystring: { preset: string } }>('/api/v1/admin/analytics', { schema: adminAnalytics, config: { roles: ['admin'] } }, async (request, reply) => {
    const window = presetWindow(request.query.preset, ctx.config.now());
    return cachedReply(ctx, request, reply, `admin|${window.from}|${window.to}`, async () => {
      const { rows, stats } = await ctx.warehouse.run<MarketplaceDayRow>(marketplaceKpisQuery(ctx.datasets, window));
      const days = byDate(rows);
      const series = daysOf(window).map((date) => {
        const r = days.get(date);
        const orders = r?.order_count ?? 0;
        const gmv = r?.gmv_cents ?? 0;
        return {
          date, gmv_cents: gmv, order_count: orders, average_order_value_cents: averageOrderValue(gmv, orders),
          cash_collected_cents: r?.cash_collected_cents ?? 0, payouts_completed: r?.payout_count ?? 0, payout_cents: r?.payout_cents ?? 0,
        };
      });
      const sum = (pick: (d: (typeof series)[number]) => number) => series.reduce((n, d) => n + pick(d), 0);
      const gmv = sum((d) => d.gmv_cents);
      const orders = sum((d) => d.order_count);
      const totals = {
        gmv_cents: gmv, order_count: orders, average_order_value_cents: averageOrderValue(gmv, orders),
        cash_collected_cents: sum((d) => d.cash_collected_cents), payouts_completed: sum((d) => d.payouts_completed), payout_cents: sum((d) => d.payout_cents),
      };
      return { body: { window, totals, series }, stats: [stats] };
    });
  });
}
