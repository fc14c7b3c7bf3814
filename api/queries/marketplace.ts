/**
 * Vendor and marketplace KPIs from the daily marts. The window is two DATE parameters on the
 * partition column, so a request scans only its days; the vendor's store is a parameter on the
 * clustering column. Table paths pass bigQueryPath (validated, quoted); nothing else is interpolated.
 */
import { bigQueryPath } from '../../common/identifiers.js';
import type { DayWindow } from '../window.js';
import type { QuerySpec } from '../warehouse.js';
import { MART_TABLES } from './tables.js';

export interface Datasets {
  projectId: string;
  martsDataset: string;
}

export interface VendorDayRow {
  activity_date: string;
  order_count: number;
  revenue_cents: number;
  cash_collected_cents: number;
}

export function vendorKpisQuery(ds: Datasets, storeId: string, window: DayWindow): QuerySpec {
  return {
    name: 'vendor_kpis',
    sql: `select
  cast(activity_date as string) as activity_date,
  order_count,
  revenue_cents,
  cash_collected_cents,
from ${bigQueryPath(ds.projectId, ds.martsDataset, MART_TABLES.vendorKpis)}
where activity_date between @from and @to
  and vendor_store_id = @store_id
order by activity_date`,
    params: { from: window.from, to: window.to, store_id: storeId },
    types: { from: 'DATE', to: 'DATE', store_id: 'STRING' },
  };
}

export interface MarketplaceDayRow {
  activity_date: string;
  gmv_cents: number;
  order_count: number;
  cash_collected_cents: number;
  payout_count: number;
  payout_cents: number;
}

export function marketplaceKpisQuery(ds: Datasets, window: DayWindow): QuerySpec {
  return {
    name: 'marketplace_kpis',
    sql: `select
  cast(activity_date as string) as activity_date,
  gmv_cents,
  order_count,
  cash_collected_cents,
  payout_count,
  payout_cents,
from ${bigQueryPath(ds.projectId, ds.martsDataset, MART_TABLES.marketplaceKpis)}
where activity_date between @from and @to
order by activity_date`,
    params: { from: window.from, to: window.to },
    types: { from: 'DATE', to: 'DATE' },
  };
}
