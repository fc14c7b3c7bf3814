import { prngFor } from './prng.js';
import type { DemoRow } from './row.js';
import { DAY } from './time.js';
import type { Timeline } from './timeline.js';
import type { World } from './world.js';

/** The countries the trade and development data (and news locations) cover, ISO 3166-1 alpha-3. */
export const PANEL_COUNTRIES = ['VEN', 'COL', 'BRA', 'MEX', 'USA'] as const;

/** HS chapters: 27 mineral fuels and oils, 10 cereals, 30 pharmaceutical products, 84 machinery. */
const COMMODITIES = ['27', '10', '30', '84'] as const;

/** Typical monthly trade in USD millions per reporter and HS chapter: [exports, imports]. */
const MONTHLY_USD_M: Record<string, Record<string, readonly [number, number]>> = {
  VEN: { 27: [1400, 40], 10: [1, 70], 30: [2, 55], 84: [5, 160] },
  COL: { 27: [1300, 250], 10: [5, 280], 30: [40, 220], 84: [60, 900] },
  BRA: { 27: [3500, 2200], 10: [1200, 150], 30: [150, 700], 84: [900, 3200] },
  MEX: { 27: [2200, 4000], 10: [60, 900], 30: [200, 500], 84: [12000, 11000] },
  USA: { 27: [24000, 17000], 10: [2500, 700], 30: [8000, 15000], 84: [20000, 33000] },
};
/** Main partner per reporter: [for exports, for imports]; the rest is reported as undisclosed (partner null). */
const MAIN_PARTNER: Record<string, readonly [string, string]> = {
  VEN: ['CHN', 'USA'], COL: ['USA', 'USA'], BRA: ['CHN', 'CHN'], MEX: ['USA', 'USA'], USA: ['MEX', 'CHN'],
};
const TRADE_MONTHS = 12;

function monthStart(t: number, offset: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

const isoDate = (t: number): string => new Date(t).toISOString().slice(0, 10);

/**
 * UN Comtrade monthly merchandise trade published by `to`: a month is released on the 10th of the
 * month after next, for the 12 months before the anchor's and every month since. Each reporter,
 * HS chapter and flow has a main partner (about 94% of the value) and an undisclosed remainder.
 * Values are drawn per observation from a fixed label, so a later `to` only adds months.
 */
export function* unComtrade(world: World, timeline: Timeline, to: Date): Generator<DemoRow> {
  const toMs = to.getTime();
  for (let period = monthStart(timeline.anchor, -TRADE_MONTHS); monthStart(period, 2) + 9 * DAY <= toMs; period = monthStart(period, 1)) {
    const month = new Date(period).getUTCMonth();
    for (const reporter of PANEL_COUNTRIES) {
      for (const commodity of COMMODITIES) {
        const base = MONTHLY_USD_M[reporter]?.[commodity] ?? [0, 0];
        for (const [flowIndex, flow] of (['export', 'import'] as const).entries()) {
          const rng = prngFor(world.seed, `trade:${reporter}:${commodity}:${flow}:${isoDate(period)}`);
          // A mild seasonal swing (northern winter fuel demand) and month-to-month noise.
          const seasonal = commodity === '27' ? 1 + 0.08 * Math.cos((month / 12) * 2 * Math.PI) : 1;
          const total = (base[flowIndex] ?? 0) * 1e6 * seasonal * Math.max(0.5, rng.normal(1, 0.09));
          const disclosed = rng.uniform(0.9, 0.98);
          const partner = MAIN_PARTNER[reporter]?.[flowIndex] ?? null;
          for (const [partnerCode, share] of [[partner, disclosed], [null, 1 - disclosed]] as const) {
            yield {
              record_id: [isoDate(period), reporter, partnerCode ?? 'WLD', commodity, flow].join('-'),
              period: isoDate(period), reporter_code: reporter, partner_code: partnerCode, commodity_code: commodity,
              trade_flow: flow, value_usd: Math.round((total * share) / 1000) * 1000,
            };
          }
        }
      }
    }
  }
}

interface Indicator {
  id: string;
  /** Value per country in the first year. */
  start: Record<string, number>;
  /** Levels (GDP): yearly growth per country (mean) and its volatility. */
  growth?: Record<string, number>;
  /** Rates: yearly shock (standard deviation, per country) around a pull back to the start value. */
  volatility: Record<string, number>;
  digits: number;
}

const INDICATORS: Indicator[] = [
  // GDP, current US$: Venezuela's contracts year after year.
  {
    id: 'NY.GDP.MKTP.CD', start: { VEN: 2.6e11, COL: 2.9e11, BRA: 1.8e12, MEX: 1.1e12, USA: 1.87e13 },
    growth: { VEN: -0.15, COL: 0.04, BRA: 0.04, MEX: 0.04, USA: 0.045 }, volatility: { VEN: 0.08, COL: 0.05, BRA: 0.07, MEX: 0.04, USA: 0.02 }, digits: -6,
  },
  // Inflation, consumer prices (annual %).
  { id: 'FP.CPI.TOTL.ZG', start: { VEN: 180, COL: 5.5, BRA: 6.3, MEX: 4.0, USA: 2.1 }, volatility: { VEN: 60, COL: 1.5, BRA: 1.5, MEX: 1.0, USA: 1.0 }, digits: 2 },
  // Unemployment, total (% of the labour force, modelled ILO estimate).
  { id: 'SL.UEM.TOTL.ZS', start: { VEN: 7.5, COL: 9.8, BRA: 11.5, MEX: 3.9, USA: 4.9 }, volatility: { VEN: 0.8, COL: 0.8, BRA: 1.0, MEX: 0.4, USA: 0.6 }, digits: 2 },
];
const WB_YEARS = 10;
/** Venezuela has not reported GDP to the World Bank for its last years: those values stay null. */
const VEN_GDP_UNREPORTED_YEARS = 4;

/**
 * World Bank indicators published by `to`: one value per indicator, country and year for the ten
 * years before the anchor's, a year's value published on July 1st of the next year (null before).
 */
export function* worldBank(world: World, timeline: Timeline, to: Date): Generator<DemoRow> {
  const toMs = to.getTime();
  const lastYear = new Date(toMs).getUTCFullYear() - 1;
  const firstYear = new Date(timeline.anchor).getUTCFullYear() - WB_YEARS;
  for (const indicator of INDICATORS) {
    for (const country of PANEL_COUNTRIES) {
      const rng = prngFor(world.seed, `worldbank:${indicator.id}:${country}`);
      const start = indicator.start[country] ?? 0;
      const volatility = indicator.volatility[country] ?? 0;
      let value = start;
      for (let year = firstYear; year <= lastYear; year += 1) {
        if (indicator.growth !== undefined) value *= Math.max(0.5, 1 + rng.normal(indicator.growth[country] ?? 0, volatility));
        // A rate is pulled halfway back to its usual level each year, then shocked; never below 0.1.
        else value = Math.max(0.1, value + 0.5 * (start - value) + rng.normal(0, volatility));
        const published = Date.UTC(year + 1, 6, 1) <= toMs;
        const unreported = indicator.id === 'NY.GDP.MKTP.CD' && country === 'VEN' && year > lastYear - VEN_GDP_UNREPORTED_YEARS;
        const rounded = indicator.digits >= 0 ? Math.round(value * 10 ** indicator.digits) / 10 ** indicator.digits : Math.round(value / 10 ** -indicator.digits) * 10 ** -indicator.digits;
        yield {
          indicator_id: indicator.id, date: `${year}-01-01`, country_code: country,
          value: published && !unreported ? rounded : null,
        };
      }
    }
  }
}
