/** Every table the API reads; readiness checks exactly these. Marts first, curated only where no mart fits. */
import type { ApiConfig } from '../config.js';
import type { TableRef } from '../warehouse.js';

export const MART_TABLES = {
  vendorKpis: 'mart_vendor_kpis_daily',
  marketplaceKpis: 'mart_marketplace_kpis_daily',
  entityTrending: 'mart_entity_trending',
  riskHourly: 'mart_risk_trends_hourly',
} as const;

/** Recent events need every event row, which no mart keeps: the curated table, filtered on its partition column. */
export const CURATED_TABLES = { newsEvents: 'cur_news_events' } as const;

export function requiredTables(config: Pick<ApiConfig, 'martsDataset' | 'curatedDataset'>): TableRef[] {
  return [
    ...Object.values(MART_TABLES).map((table) => ({ dataset: config.martsDataset, table })),
    ...Object.values(CURATED_TABLES).map((table) => ({ dataset: config.curatedDataset, table })),
  ];
}
