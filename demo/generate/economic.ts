import { prngFor } from './prng.js';
import type { DemoRow } from './row.js';
import { DAY, floorTo } from './time.js';
import type { Timeline } from './timeline.js';
import type { World } from './world.js';

interface Series {
  id: string;
  name: string;
  units: string;
  frequency: 'monthly' | 'daily';
  start: number;
  /** Relative change per step (mean, volatility). */
  drift: number;
  volatility: number;
}

const SERIES: Series[] = [
  { id: 'CPIAUCSL', name: 'Consumer Price Index for All Urban Consumers', units: 'Index 1982-1984=100', frequency: 'monthly', start: 290, drift: 0.0025, volatility: 0.002 },
  { id: 'UNRATE', name: 'Unemployment Rate', units: 'Percent', frequency: 'monthly', start: 3.9, drift: 0, volatility: 0.03 },
  { id: 'FEDFUNDS', name: 'Federal Funds Effective Rate', units: 'Percent', frequency: 'monthly', start: 5.3, drift: -0.004, volatility: 0.01 },
  { id: 'DCOILWTICO', name: 'Crude Oil Prices: West Texas Intermediate', units: 'Dollars per Barrel', frequency: 'daily', start: 78, drift: 0, volatility: 0.018 },
  { id: 'DEXVZUS', name: 'Bolivar to U.S. Dollar Exchange Rate', units: 'Bolivars to One U.S. Dollar', frequency: 'daily', start: 36, drift: 0.002, volatility: 0.006 },
];
const MONTHS = 36;

function monthStart(t: number, offset: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Every observation published by `to`: monthly series released mid-next-month (and the latest month revised
 * a month later), daily series the next day with gaps on weekends. The table is replaced whole on each load.
 */
export function* economicIndicators(world: World, timeline: Timeline, to: Date): Generator<DemoRow> {
  const toMs = to.getTime();
  for (const series of SERIES) {
    const rng = prngFor(world.seed, `econ:${series.id}`);
    let value = series.start;
    const dates: number[] = [];
    if (series.frequency === 'monthly') {
      for (let t = monthStart(timeline.anchor, -MONTHS); t <= toMs; t = monthStart(t, 1)) dates.push(t);
    } else {
      for (let t = floorTo(timeline.anchor, DAY) - world.profile.dailySeriesDays * DAY; t <= toMs; t += DAY) dates.push(t);
    }
    // Walk from a fixed origin so a later `to` extends the same path instead of drawing a new one.
    for (const date of dates) {
      value *= 1 + series.drift + rng.normal(0, series.volatility);
      const released = series.frequency === 'monthly' ? monthStart(date, 1) + 14 * DAY : date + DAY + 16 * 3600_000;
      if (released > toMs) continue;
      const weekend = [0, 6].includes(new Date(date).getUTCDay());
      if (series.frequency === 'daily' && weekend) continue;
      // A revision lands a month after the first release; before it the first print differs a little.
      const revisedBy = released + 30 * DAY;
      const firstPrint = value * (1 + ((date / DAY) % 7 - 3) * 0.0008);
      const shown = revisedBy <= toMs ? value : firstPrint;
      const missing = series.frequency === 'daily' && rng.chance(0.03);
      yield {
        series_id: series.id, observation_date: isoDate(date), value: missing ? null : Math.round(shown * 1000) / 1000,
        series_name: series.name, units: series.units,
      };
    }
  }
}
