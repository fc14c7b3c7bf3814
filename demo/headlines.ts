import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryPath } from '../common/identifiers.js';
import { formatPanelHeadline, panelChart, panelHeadline } from './country-panel.js';
import type { Chart } from './report/model.js';

export const MARTS_DATASET = 'landform_marts';

export interface MartFigures {
  /** One line per headline, ready to print. */
  headlines: string[];
  charts: Chart[];
  /** Queries that failed (a missing mart), named, so the summary can say so. */
  missing: string[];
}

type Row = Record<string, unknown>;

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value !== null && typeof value === 'object' && 'value' in value) return Number((value as { value: unknown }).value);
  return Number(value ?? 0);
}

function text(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return String(value ?? '');
}

function dollars(cents: number): string {
  return `$${(cents / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "2026-10-28 → 2026-11-27 (31 days)" for a series of days; empty when there are none. */
export function dayWindow(points: Array<{ label: string }>): string {
  const days = points.map((p) => p.label).filter((l) => DAY.test(l)).sort();
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return '';
  const span = Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000) + 1;
  return `${first} → ${last} (${span} ${span === 1 ? 'day' : 'days'})`;
}

/** Marks the days at or after the day of `dataEnd` (the newest landed cursor): they are still filling up. */
export function markPartialDays(charts: Chart[], dataEnd: string | null): void {
  if (dataEnd === null) return;
  const endDay = dataEnd.slice(0, 10);
  for (const chart of charts) {
    const partial = chart.points.map((p) => p.label).filter((l) => DAY.test(l) && l >= endDay);
    if (partial.length > 0) chart.partial = partial;
  }
}

/** Headline figures and chart series read back from the marts through the BigQuery client. */
export async function collectMartFigures(bigquery: BigQuery, projectId: string, location: string): Promise<MartFigures> {
  const mart = (name: string): string => bigQueryPath(projectId, MARTS_DATASET, name);
  const figures: MartFigures = { headlines: [], charts: [], missing: [] };
  const query = async (name: string, sql: string): Promise<Row[] | null> => {
    try {
      const [rows] = await bigquery.query({ query: sql, location });
      return rows as Row[];
    } catch (error) {
      figures.missing.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
      return null;
    }
  };

  const health = await query('mart_device_health_daily', `
    select reading_date, count(distinct device_id) as devices, sum(reading_count) as readings,
      sum(out_of_range_reading_count) as out_of_range
    from ${mart('mart_device_health_daily')}
    group by reading_date order by reading_date`);
  if (health !== null) {
    const days = health.map((r) => ({ day: text(r.reading_date), devices: num(r.devices), readings: num(r.readings), bad: num(r.out_of_range) }));
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const y = days.find((d) => d.day === yesterday) ?? days[days.length - 2] ?? days[days.length - 1];
    if (y !== undefined) {
      const inRange = y.readings > 0 ? (100 * (y.readings - y.bad)) / y.readings : 0;
      figures.headlines.push(`fleet health ${y.day}: ${y.devices} devices reporting, ${y.readings.toLocaleString('en-US')} readings, ${inRange.toFixed(2)}% in range (${y.bad} out of range)`);
    }
    const points = days.map((d) => ({ label: d.day, value: d.readings > 0 ? (100 * (d.readings - d.bad)) / d.readings : 0 }));
    figures.charts.push({
      id: 'fleet-health', title: 'Fleet health per day', unit: '% of readings in contract range', kind: 'bar', source: `${MARTS_DATASET}.mart_device_health_daily`,
      points, window: dayWindow(points),
    });
    figures.charts.push({
      id: 'fleet-readings', title: 'Out-of-range readings per day', unit: 'out-of-range readings', kind: 'bar', source: `${MARTS_DATASET}.mart_device_health_daily`,
      points: days.map((d) => ({ label: d.day, value: d.bad })), window: dayWindow(days.map((d) => ({ label: d.day }))),
    });
  }

  const vendors = await query('mart_vendor_kpis_daily', `
    select vendor_store_id, sum(revenue_cents) as gmv_cents, sum(order_count) as orders, sum(cash_collected_cents) as cash_cents
    from ${mart('mart_vendor_kpis_daily')}
    group by vendor_store_id order by gmv_cents desc, vendor_store_id limit 10`);
  if (vendors !== null) {
    const top = vendors.slice(0, 3).map((r) => `${text(r.vendor_store_id)} ${dollars(num(r.gmv_cents))} (${num(r.orders)} orders)`);
    if (top.length > 0) figures.headlines.push(`top vendors by GMV: ${top.join(', ')}`);
    figures.charts.push({
      id: 'vendor-gmv', title: 'Top vendors by GMV', unit: 'US dollars', kind: 'bar', source: `${MARTS_DATASET}.mart_vendor_kpis_daily`,
      points: vendors.map((r) => ({ label: text(r.vendor_store_id), value: num(r.gmv_cents) / 100 })),
      window: 'top 10 vendors, summed over the mart window (mart_window_days)',
    });
  }

  const market = await query('mart_marketplace_kpis_daily', `
    select activity_date, gmv_cents, order_count, cash_collected_cents, payout_cents
    from ${mart('mart_marketplace_kpis_daily')} order by activity_date`);
  if (market !== null && market.length > 0) {
    const gmv = market.reduce((s, r) => s + num(r.gmv_cents), 0);
    const orders = market.reduce((s, r) => s + num(r.order_count), 0);
    const payouts = market.reduce((s, r) => s + num(r.payout_cents), 0);
    figures.headlines.push(`marketplace: GMV ${dollars(gmv)} over ${orders.toLocaleString('en-US')} orders, payouts ${dollars(payouts)}`);
    figures.charts.push({
      id: 'marketplace-gmv', title: 'Marketplace GMV per day', unit: 'US dollars', kind: 'line', source: `${MARTS_DATASET}.mart_marketplace_kpis_daily`,
      points: market.map((r) => ({ label: text(r.activity_date), value: num(r.gmv_cents) / 100 })),
      window: dayWindow(market.map((r) => ({ label: text(r.activity_date) }))),
    });
  }

  const trending = await query('mart_entity_trending', `
    select entity_id, trending_score, mention_count from ${mart('mart_entity_trending')}
    order by trending_rank limit 10`);
  if (trending !== null) {
    const top = trending.slice(0, 3).map((r) => `${text(r.entity_id)} (${num(r.trending_score).toFixed(1)})`);
    if (top.length > 0) figures.headlines.push(`trending entities: ${top.join(', ')}`);
    figures.charts.push({
      id: 'entity-trending', title: 'Trending entities (7-day half-life)', unit: 'decayed mention score', kind: 'bar', source: `${MARTS_DATASET}.mart_entity_trending`,
      points: trending.map((r) => ({ label: text(r.entity_id).replace(/^ent-/, ''), value: num(r.trending_score) })),
      window: 'top 10 entities as of the newest mention',
    });
  }

  const risk = await query('mart_risk_trends', `
    select bucket_start, sum(avg_risk_score * event_count) / sum(event_count) as avg_risk, sum(event_count) as events,
      sum(high_severity_event_count) as high
    from ${mart('mart_risk_trends')} group by bucket_start order by bucket_start`);
  if (risk !== null && risk.length > 0) {
    // The newest bucket is usually partial (today): headline the last complete one and its change.
    const today = new Date().toISOString().slice(0, 10);
    const complete = risk.filter((r) => text(r.bucket_start).slice(0, 10) < today);
    const last = (complete[complete.length - 1] ?? risk[risk.length - 1]) as Row;
    const before = complete[complete.length - 2];
    const change = before === undefined ? '' : `, ${num(last.avg_risk) >= num(before.avg_risk) ? '+' : ''}${(num(last.avg_risk) - num(before.avg_risk)).toFixed(1)} on the day before`;
    figures.headlines.push(`risk trend: mean risk ${num(last.avg_risk).toFixed(1)} on ${text(last.bucket_start).slice(0, 10)}${change} (${num(last.high)} high-severity of ${num(last.events)} events)`);
    figures.charts.push({
      id: 'risk-trend', title: 'News risk trend', unit: 'mean risk score (0-100)', kind: 'line', source: `${MARTS_DATASET}.mart_risk_trends`,
      points: risk.map((r) => ({ label: text(r.bucket_start).slice(0, 10), value: num(r.avg_risk) })),
      window: dayWindow(risk.map((r) => ({ label: text(r.bucket_start).slice(0, 10) }))),
    });
  }
  const panel = await query('mart_country_panel_monthly', `
    select country_code, cast(month as string) as month, exports_usd, imports_usd, news_event_count, avg_risk_score
    from ${mart('mart_country_panel_monthly')} order by country_code, month`);
  if (panel !== null) {
    const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
    const rows = panel.map((r) => ({
      country_code: text(r.country_code), month: text(r.month), exports_usd: nullable(r.exports_usd), imports_usd: nullable(r.imports_usd),
      news_event_count: num(r.news_event_count), avg_risk_score: nullable(r.avg_risk_score),
    }));
    const headline = panelHeadline(rows);
    if (headline !== null) {
      figures.headlines.push(formatPanelHeadline(headline));
      figures.charts.push(panelChart(rows, headline, `${MARTS_DATASET}.mart_country_panel_monthly`));
    }
  }
  return figures;
}
