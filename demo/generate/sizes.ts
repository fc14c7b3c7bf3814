/** How much demo data to make. `scale` multiplies the per-day volumes and the fleet size of a profile. */
export type DemoSize = 'tiny' | 'small' | 'medium' | 'large';

export interface SizeProfile {
  /** Days of history before the anchor time. */
  days: number;
  devices: number;
  /** Minutes between two readings of one device. */
  readingIntervalMinutes: number;
  vendors: number;
  buyerStores: number;
  ordersPerDay: number;
  adImpressionsPerDay: number;
  queriesPerDay: number;
  /** Hours between two ingestion runs of one document source. */
  ingestionEveryHours: number;
  newsPerDay: number;
  entities: number;
  /** Days of history for the daily economic series. */
  dailySeriesDays: number;
}

const PROFILES: Record<DemoSize, SizeProfile> = {
  // For the end-to-end test: a few hundred rows per table.
  tiny: {
    days: 2, devices: 4, readingIntervalMinutes: 30, vendors: 3, buyerStores: 6, ordersPerDay: 16,
    adImpressionsPerDay: 60, queriesPerDay: 40, ingestionEveryHours: 12, newsPerDay: 8, entities: 8, dailySeriesDays: 20,
  },
  small: {
    days: 3, devices: 24, readingIntervalMinutes: 10, vendors: 8, buyerStores: 40, ordersPerDay: 120,
    adImpressionsPerDay: 1200, queriesPerDay: 600, ingestionEveryHours: 3, newsPerDay: 40, entities: 30, dailySeriesDays: 120,
  },
  medium: {
    days: 7, devices: 200, readingIntervalMinutes: 5, vendors: 40, buyerStores: 400, ordersPerDay: 2000,
    adImpressionsPerDay: 20000, queriesPerDay: 8000, ingestionEveryHours: 1, newsPerDay: 300, entities: 120, dailySeriesDays: 365,
  },
  // About 2 million telemetry rows (one loader batch) plus 1.6 million of everything else.
  large: {
    days: 14, devices: 500, readingIntervalMinutes: 5, vendors: 120, buyerStores: 2000, ordersPerDay: 10000,
    adImpressionsPerDay: 100000, queriesPerDay: 30000, ingestionEveryHours: 1, newsPerDay: 1000, entities: 300, dailySeriesDays: 730,
  },
};

export const DEMO_SIZES = Object.keys(PROFILES) as DemoSize[];

export function isDemoSize(value: string): value is DemoSize {
  return (DEMO_SIZES as string[]).includes(value);
}

export function sizeProfile(size: DemoSize, scale = 1): SizeProfile {
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`demo scale must be a positive number, got ${scale}`);
  const base = PROFILES[size];
  const times = (n: number): number => Math.max(1, Math.round(n * scale));
  return {
    ...base,
    devices: times(base.devices),
    vendors: times(base.vendors),
    buyerStores: times(base.buyerStores),
    ordersPerDay: times(base.ordersPerDay),
    adImpressionsPerDay: times(base.adImpressionsPerDay),
    queriesPerDay: times(base.queriesPerDay),
    newsPerDay: times(base.newsPerDay),
    entities: times(base.entities),
  };
}
