import { describe, expect, test } from '@jest/globals';
import { demoData, type DemoRow } from '../../demo/generate/index.js';

const ANCHOR = new Date('2026-03-18T15:00:00.000Z');
const rowsAt = (table: string, to: Date, seed = 7): DemoRow[] =>
  [...demoData({ seed, size: 'small', scale: 1, anchor: ANCHOR }).rows(table, { from: null, to })];

const trade = rowsAt('un_comtrade', ANCHOR);
const indicators = rowsAt('world_bank', ANCHOR);
const sum = (rows: DemoRow[]): number => rows.reduce((s, r) => s + Number(r.value_usd), 0);

describe('demo UN Comtrade trade flows', () => {
  test('months released by the anchor: 2025-03 to 2026-01 (a month is out on the 10th of the month after next), 5 reporters x 4 chapters x 2 flows x 2 partners', () => {
    const periods = [...new Set(trade.map((r) => String(r.period)))].sort();
    expect(periods[0]).toBe('2025-03-01');
    expect(periods[periods.length - 1]).toBe('2026-01-01');
    expect(periods).toHaveLength(11);
    expect(trade).toHaveLength(11 * 5 * 4 * 2 * 2);
    expect(new Set(trade.map((r) => r.record_id)).size).toBe(trade.length);
    expect(new Set(trade.map((r) => r.trade_flow))).toEqual(new Set(['export', 'import']));
    for (const r of trade) {
      expect(r.partner_code).not.toBe(r.reporter_code);
      expect(Number(r.value_usd) % 1000).toBe(0);
      expect(Number(r.value_usd)).toBeGreaterThanOrEqual(0);
    }
  });

  test('values are believable: Venezuela exports mostly fuels (HS 27) and runs a surplus; the undisclosed share is small', () => {
    const venExports = trade.filter((r) => r.reporter_code === 'VEN' && r.trade_flow === 'export');
    expect(sum(venExports.filter((r) => r.commodity_code === '27')) / sum(venExports)).toBeGreaterThan(0.95);
    expect(sum(venExports)).toBeGreaterThan(sum(trade.filter((r) => r.reporter_code === 'VEN' && r.trade_flow === 'import')));
    // About 1.2-1.5 billion dollars of Venezuelan exports a month.
    expect(sum(venExports) / 11).toBeGreaterThan(1.0e9);
    expect(sum(venExports) / 11).toBeLessThan(2.0e9);
    const undisclosed = sum(trade.filter((r) => r.partner_code === null)) / sum(trade);
    expect(undisclosed).toBeGreaterThan(0.02);
    expect(undisclosed).toBeLessThan(0.1);
  });

  test('a later load only adds months: every earlier row is there unchanged', () => {
    const later = rowsAt('un_comtrade', new Date('2026-05-20T00:00:00Z'));
    const byId = new Map(later.map((r) => [r.record_id, r]));
    for (const r of trade) expect(byId.get(r.record_id)).toEqual(r);
    expect(later.length - trade.length).toBe(2 * 80);
  });
});

describe('demo World Bank indicators', () => {
  test('3 indicators x 5 countries x 2016-2025; 2025 not published by March 2026 (null), Venezuela GDP unreported since 2022', () => {
    expect(indicators).toHaveLength(3 * 5 * 10);
    const years = [...new Set(indicators.map((r) => String(r.date).slice(0, 4)))].sort();
    expect(years).toEqual(['2016', '2017', '2018', '2019', '2020', '2021', '2022', '2023', '2024', '2025']);
    const nulls = indicators.filter((r) => r.value === null).map((r) => `${String(r.indicator_id)}/${String(r.country_code)}/${String(r.date).slice(0, 4)}`);
    const expected = [
      ...['NY.GDP.MKTP.CD', 'FP.CPI.TOTL.ZG', 'SL.UEM.TOTL.ZS'].flatMap((i) => ['VEN', 'COL', 'BRA', 'MEX', 'USA'].map((c) => `${i}/${c}/2025`)),
      'NY.GDP.MKTP.CD/VEN/2022', 'NY.GDP.MKTP.CD/VEN/2023', 'NY.GDP.MKTP.CD/VEN/2024',
    ];
    expect(nulls.sort()).toEqual(expected.sort());
  });

  test('GDP in current dollars is of the right order per country; rates are non-negative', () => {
    const gdp2021 = (c: string): number => Number(indicators.find((r) => r.indicator_id === 'NY.GDP.MKTP.CD' && r.country_code === c && r.date === '2021-01-01')?.value);
    expect(gdp2021('USA')).toBeGreaterThan(1e13);
    expect(gdp2021('BRA')).toBeGreaterThan(gdp2021('COL'));
    for (const r of indicators.filter((x) => x.indicator_id !== 'NY.GDP.MKTP.CD' && x.value !== null)) expect(Number(r.value)).toBeGreaterThanOrEqual(0);
  });
});

describe('demo news events: the seed fields', () => {
  const news = rowsAt('news_events', ANCHOR);

  test('content, source_url, location, created_at and metadata are filled and consistent', () => {
    expect(news.length).toBeGreaterThan(0);
    const spanish = new Set(['El Nacional', 'Efecto Cocuyo', 'BBC Mundo']);
    for (const e of news) {
      expect(String(e.content).startsWith(String(e.title))).toBe(true);
      expect(String(e.source_url)).toMatch(/^https:\/\/[a-z.]+\//);
      expect([null, 'VEN', 'COL', 'BRA', 'MEX', 'USA']).toContain(e.location);
      expect((e.created_at as Date).getTime()).toBeGreaterThanOrEqual((e.mentioned_at as Date).getTime());
      expect((e.created_at as Date).getTime()).toBeLessThanOrEqual((e.updated_at as Date).getTime());
      const metadata = e.metadata as { language: string; word_count: number; tags: string[] };
      expect(metadata.language).toBe(spanish.has(String(e.source_name)) ? 'es' : 'en');
      expect(metadata.tags[0]).toBe(e.event_type);
    }
    // Most events happen in Venezuela; some are not located.
    const located = news.filter((e) => e.location === 'VEN').length / news.length;
    expect(located).toBeGreaterThan(0.4);
    expect(news.some((e) => e.location === null)).toBe(true);
  });
});
