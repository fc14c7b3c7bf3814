/** Every table the API reads; readiness checks exactly these. Marts only, so its account needs the marts dataset only. */
import type { ApiConfig } from '../config.js';
import type { TableRef } from '../warehouse.js';

export const MART_TABLES = {
  vendorKpis: 'mart_vendor_kpis_daily',
  marketplaceKpis: 'mart_marketplace_kpis_daily',
  entityTrending: 'mart_entity_trending',
  riskHourly: 'mart_risk_trends_hourly',
  newsEvents: 'mart_news_events',
} as const;

export function requiredTables(config: Pick<ApiConfig, 'martsDataset'>): TableRef[] {
  return Object.values(MART_TABLES).map((table) => ({ dataset: config.martsDataset, table }));
}
