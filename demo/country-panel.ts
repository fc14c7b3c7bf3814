/** The country panel's headline and chart (landform_marts.mart_country_panel_monthly). */
import type { Chart } from './report/model.js';

/** One mart row, the fields the headline reads; months as `YYYY-MM-DD`. */
export interface PanelRow {
  country_code: string;
  month: string;
  exports_usd: number | null;
  imports_usd: number | null;
  news_event_count: number;
  avg_risk_score: number | null;
}

export interface PanelHeadline {
  country: string;
  /** Latest month with trade reported by the country, and its figures; null when none. */
  trade: { month: string; exports: number; imports: number } | null;
  /** Latest month with news events located in the country; null when none. */
  news: { month: string; events: number; avgRisk: number } | null;
}

/**
 * The country the headline is about: the one with the most news events located in it over the
 * panel; ties (also when no news is located at all) go to the first code.
 */
export function panelHeadline(rows: readonly PanelRow[]): PanelHeadline | null {
  const events = new Map<string, number>();
  for (const r of rows) events.set(r.country_code, (events.get(r.country_code) ?? 0) + r.news_event_count);
  const ranked = [...events.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const country = ranked[0]?.[0];
  if (country === undefined) return null;
  const own = rows.filter((r) => r.country_code === country).sort((a, b) => a.month.localeCompare(b.month));
  const traded = own.filter((r) => r.exports_usd !== null && r.imports_usd !== null).pop();
  const newsy = own.filter((r) => r.news_event_count > 0).pop();
  return {
    country,
    trade: traded === undefined ? null : { month: traded.month, exports: traded.exports_usd ?? 0, imports: traded.imports_usd ?? 0 },
    news: newsy === undefined ? null : { month: newsy.month, events: newsy.news_event_count, avgRisk: newsy.avg_risk_score ?? 0 },
  };
}

const millions = (usd: number): string => `$${Math.round(Math.abs(usd) / 1e6).toLocaleString('en-US')}M`;

/** "country panel VEN: trade balance +$1,234M in 2026-10 (exports $1,500M, imports $266M); 12 events located there in 2026-11, mean risk 61.3". */
export function formatPanelHeadline(h: PanelHeadline): string {
  const parts: string[] = [];
  if (h.trade !== null) {
    const balance = h.trade.exports - h.trade.imports;
    parts.push(`trade balance ${balance < 0 ? '-' : '+'}${millions(balance)} in ${h.trade.month.slice(0, 7)} (exports ${millions(h.trade.exports)}, imports ${millions(h.trade.imports)})`);
  } else {
    parts.push('no trade reported');
  }
  if (h.news !== null) parts.push(`${h.news.events} news ${h.news.events === 1 ? 'event' : 'events'} located there in ${h.news.month.slice(0, 7)}, mean risk ${h.news.avgRisk.toFixed(1)}`);
  else parts.push('no news events located there');
  return `country panel ${h.country}: ${parts.join('; ')}`;
}

/** Monthly trade balance of the headline's country, in US$ millions. */
export function panelChart(rows: readonly PanelRow[], h: PanelHeadline, source: string): Chart {
  const points = rows
    .filter((r) => r.country_code === h.country && r.exports_usd !== null && r.imports_usd !== null)
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((r) => ({ label: r.month.slice(0, 7), value: Math.round(((r.exports_usd ?? 0) - (r.imports_usd ?? 0)) / 1e5) / 10 }));
  const first = points[0]?.label;
  const last = points[points.length - 1]?.label;
  return {
    id: 'country-trade-balance', title: `Trade balance per month: ${h.country}`, unit: 'US$ millions (exports minus imports)', kind: 'bar', source,
    points, window: first === undefined || last === undefined ? '' : `${first} → ${last} (${points.length} ${points.length === 1 ? 'month' : 'months'})`,
  };
}
