import { describe, expect, test } from '@jest/globals';
import { formatPanelHeadline, panelChart, panelHeadline, type PanelRow } from '../../demo/country-panel.js';

const row = (country: string, month: string, exports: number | null, imports: number | null, events: number, risk: number | null): PanelRow => ({
  country_code: country, month, exports_usd: exports, imports_usd: imports, news_event_count: events, avg_risk_score: risk,
});

describe('country panel headline', () => {
  // COL and VEN tie on located events (3 each): the first code wins. Rows given out of month order.
  const rows = [
    row('VEN', '2026-09-01', 1.2e9, 0.3e9, 0, null),
    row('VEN', '2026-11-01', null, null, 2, 61.25),
    row('VEN', '2026-08-01', 1.0e9, 0.5e9, 1, 40),
    row('COL', '2026-09-01', 0.9e9, 1.4e9, 3, 55.55),
    row('BRA', '2026-09-01', 3e9, 1e9, 0, null),
  ];

  test('picks the country with the most located news, its latest trade month and latest news month', () => {
    expect(panelHeadline(rows)).toEqual({
      country: 'COL', trade: { month: '2026-09-01', exports: 0.9e9, imports: 1.4e9 }, news: { month: '2026-09-01', events: 3, avgRisk: 55.55 },
    });
    const venOnly = rows.filter((r) => r.country_code !== 'COL');
    expect(formatPanelHeadline(panelHeadline(venOnly)!)).toBe(
      'country panel VEN: trade balance +$900M in 2026-09 (exports $1,200M, imports $300M); 2 news events located there in 2026-11, mean risk 61.3',
    );
    expect(formatPanelHeadline(panelHeadline(rows)!)).toBe(
      'country panel COL: trade balance -$500M in 2026-09 (exports $900M, imports $1,400M); 3 news events located there in 2026-09, mean risk 55.5',
    );
  });

  test('without located news the first country with rows is named; without trade or news it says so; an empty panel has no headline', () => {
    expect(panelHeadline([])).toBeNull();
    const quiet = [row('USA', '2026-09-01', 2e10, 3e10, 0, null), row('BRA', '2026-09-01', null, null, 0, null)];
    expect(formatPanelHeadline(panelHeadline(quiet)!)).toBe('country panel BRA: no trade reported; no news events located there');
    expect(formatPanelHeadline({ country: 'VEN', trade: null, news: { month: '2026-11-01', events: 1, avgRisk: 70 } })).toBe(
      'country panel VEN: no trade reported; 1 news event located there in 2026-11, mean risk 70.0',
    );
  });

  test('the chart is the monthly trade balance of the headline country, in month order, US$ millions', () => {
    const venOnly = rows.filter((r) => r.country_code !== 'COL');
    const chart = panelChart(venOnly, panelHeadline(venOnly)!, 'landform_marts.mart_country_panel_monthly');
    expect(chart.points).toEqual([{ label: '2026-08', value: 500 }, { label: '2026-09', value: 900 }]);
    expect(chart.window).toBe('2026-08 → 2026-09 (2 months)');
  });
});
