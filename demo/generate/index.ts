import { economicIndicators } from './economic.js';
import { deviceRows } from './devices.js';
import { evalRuns, ingestionRuns, queryLogs } from './knowledge.js';
import { adEvents, marketplaceEvents } from './marketplace.js';
import { entityMentions, newsEvents } from './news.js';
import type { DemoRow } from './row.js';
import { sizeProfile, type DemoSize } from './sizes.js';
import { telemetryReadings } from './telemetry.js';
import type { TimeWindow } from './time.js';
import { unComtrade, worldBank } from './trade.js';
import { timelineFor, type Timeline } from './timeline.js';
import { buildWorld, type World } from './world.js';

export { DEMO_SIZES, isDemoSize, type DemoSize } from './sizes.js';
export type { DemoRow } from './row.js';
export type { TimeWindow } from './time.js';

/** Everything that determines the demo data: the same options always give the same rows. */
export interface DemoDataOptions {
  seed: number;
  size: DemoSize;
  scale: number;
  /** The seed's "now": history ends here. */
  anchor: Date;
}

export interface DemoData {
  world: World;
  timeline: Timeline;
  /** Rows of one table that arrive (append) or change (merge) inside the window; full_refresh tables give their whole content at window end. */
  rows(table: string, window: TimeWindow, state?: { nextReadingId?: number }): Iterable<DemoRow>;
}

export const DEMO_TABLES = [
  'devices', 'telemetry_readings', 'query_logs', 'ingestion_runs', 'eval_runs',
  'marketplace_events', 'ad_events', 'news_events', 'entity_mentions', 'economic_indicators',
  'un_comtrade', 'world_bank',
] as const;

export function demoData(options: DemoDataOptions): DemoData {
  const profile = sizeProfile(options.size, options.scale);
  const timeline = timelineFor(options.anchor, profile.days);
  const world = buildWorld(options.seed, profile, options.anchor);
  return {
    world,
    timeline,
    rows(table, window, state = {}) {
      switch (table) {
        case 'devices': return deviceRows(world, timeline, window);
        case 'telemetry_readings': return telemetryReadings(world, timeline, window, state.nextReadingId ?? 1);
        case 'query_logs': return queryLogs(world, timeline, window);
        case 'ingestion_runs': return ingestionRuns(world, timeline, window);
        case 'eval_runs': return evalRuns(world, timeline, window);
        case 'marketplace_events': return marketplaceEvents(world, timeline, window);
        case 'ad_events': return adEvents(world, timeline, window);
        case 'news_events': return newsEvents(world, timeline, window);
        case 'entity_mentions': return entityMentions(world, timeline, window);
        case 'economic_indicators': return economicIndicators(world, timeline, window.to);
        case 'un_comtrade': return unComtrade(world, timeline, window.to);
        case 'world_bank': return worldBank(world, timeline, window.to);
        default: throw new Error(`the demo has no data generator for table ${table}; add one in src/demo/generate/`);
      }
    },
  };
}
