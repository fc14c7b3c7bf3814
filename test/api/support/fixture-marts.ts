/**
 * Hand-written mart and curated rows in an embedded BigQuery, with the columns and partitioning the
 * Dataform models give them. "Today" is FIXTURE_NOW's date; each figure below is chosen so a wrong
 * window edge, a missing store filter or a wrong roll-up changes an expected value.
 */
import type { BigQuery } from '@google-cloud/bigquery';

export const FIXTURE_NOW = new Date('2026-11-20T15:30:00Z');

async function run(bigquery: BigQuery, sql: string): Promise<void> {
  await bigquery.query({ query: sql, location: 'US' });
}

export async function createFixtureMarts(bigquery: BigQuery, options: { skip?: string[] } = {}): Promise<void> {
  const skip = new Set(options.skip ?? []);
  await bigquery.createDataset('landform_marts', { location: 'US' });
  const statements: Record<string, string> = {
    mart_vendor_kpis_daily: `create table \`landform-local.landform_marts.mart_vendor_kpis_daily\` partition by activity_date cluster by vendor_store_id as
      select * from unnest([
        struct('vendor-a' as vendor_store_id, date '2026-11-20' as activity_date, 2 as order_count, 5000 as revenue_cents, 1000 as cash_collected_cents, 1 as paid_order_count, 0 as payout_cents, 0 as ad_impression_count, 0 as ad_click_count, 0 as ad_cost_micros, 2500.0 as average_order_value_cents),
        struct('vendor-a', date '2026-11-14', 1, 1000, 0, 0, 0, 0, 0, 0, 1000.0),
        struct('vendor-a', date '2026-11-13', 4, 8000, 8000, 0, 0, 0, 0, 0, 2000.0),
        struct('vendor-a', date '2026-08-22', 100, 100000, 0, 0, 0, 0, 0, 0, 1000.0),
        struct('vendor-b', date '2026-11-20', 10, 99900, 500, 0, 0, 0, 0, 0, 9990.0),
        struct('vendor-b', date '2026-11-18', 3, 3000, 3000, 0, 0, 0, 0, 0, 1000.0)
      ])`,
    mart_marketplace_kpis_daily: `create table \`landform-local.landform_marts.mart_marketplace_kpis_daily\` partition by activity_date as
      select * from unnest([
        struct(date '2026-11-20' as activity_date, 104900 as gmv_cents, 12 as order_count, 8741.67 as average_order_value_cents, 1500 as cash_collected_cents, 2 as paid_order_count, 1 as payout_count, 700 as payout_cents, 2 as active_vendor_count),
        struct(date '2026-11-14', 1000, 1, 1000.0, 0, 0, 2, 300, 1),
        struct(date '2026-11-13', 8000, 4, 2000.0, 8000, 4, 5, 5000, 1)
      ])`,
    mart_entity_trending: `create table \`landform-local.landform_marts.mart_entity_trending\` as
      select * from unnest([
        struct('entity-1' as entity_id, 3.5 as trending_score, 1 as trending_rank, 5 as mention_count, 4 as mention_count_7d, timestamp '2026-11-20T14:10:00Z' as last_mentioned_at, timestamp '2026-11-20T15:00:00Z' as scored_as_of),
        struct('entity-2', 2.25, 2, 3, 3, timestamp '2026-11-19T09:00:00Z', timestamp '2026-11-20T15:00:00Z'),
        struct('entity-3', 0.5, 3, 1, 0, timestamp '2026-11-10T09:00:00Z', timestamp '2026-11-20T15:00:00Z')
      ])`,
    mart_risk_trends_hourly: `create table \`landform-local.landform_marts.mart_risk_trends_hourly\` partition by timestamp_trunc(bucket_start, day) cluster by event_type as
      select * from unnest([
        struct(timestamp '2026-11-19T10:00:00Z' as bucket_start, 'political' as event_type, 2 as event_count, 110.0 as risk_score_sum, 90.0 as max_risk_score, 1 as high_severity_event_count, 1 as critical_event_count),
        struct(timestamp '2026-11-19T11:00:00Z', 'political', 1, 60.0, 60.0, 1, 0),
        struct(timestamp '2026-11-19T11:00:00Z', 'energy', 1, 40.0, 40.0, 0, 0),
        struct(timestamp '2026-11-20T08:00:00Z', 'political', 3, 30.0, 20.0, 0, 0),
        struct(timestamp '2026-11-09T08:00:00Z', 'political', 1, 10.0, 10.0, 0, 0)
      ])`,
    mart_news_events: `create table \`landform-local.landform_marts.mart_news_events\` partition by timestamp_trunc(mentioned_at, day) cluster by event_type as
      select * from unnest([
        struct('n1' as event_id, 'Election called' as title, 'Wire' as source_name, 'political' as event_type, 'low' as severity, 20.0 as risk_score, timestamp '2026-11-19T10:00:00Z' as mentioned_at),
        struct('n2', 'Coup rumours', 'Daily', 'political', 'critical', 90.0, timestamp '2026-11-19T10:59:00Z'),
        struct('n3', 'Protests', 'Wire', 'political', 'high', 60.0, timestamp '2026-11-19T11:30:00Z'),
        struct('n4', 'Pipeline leak', 'Energy News', 'energy', 'medium', 40.0, timestamp '2026-11-19T11:45:00Z'),
        struct('n5', 'Old story', 'Wire', 'political', 'low', 10.0, timestamp '2026-11-09T08:00:00Z')
      ])`,
  };
  for (const [table, sql] of Object.entries(statements)) if (!skip.has(table)) await run(bigquery, sql);
}
