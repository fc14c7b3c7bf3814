/**
 * Time-series queries: recent news events (the news feed mart, partition filter on mentioned_at), entity
 * trending (the decayed-score mart) and risk trends rolled up from the hourly mart. The bucket is a
 * keyword, so it selects one of three fixed statements instead of reaching the SQL as text.
 */
import { bigQueryPath } from '../../common/identifiers.js';
import type { InstantRange } from '../window.js';
import type { QuerySpec } from '../warehouse.js';
import type { Datasets } from './marketplace.js';
import { MART_TABLES } from './tables.js';

export interface NewsEventRow {
  event_id: string;
  title: string;
  source_name: string;
  event_type: string;
  severity: string;
  risk_score: number;
  mentioned_at: { value: string };
}

export function recentEventsQuery(ds: Datasets, range: InstantRange, limit: number, eventType: string | undefined): QuerySpec {
  const typeFilter = eventType === undefined ? '' : '\n  and event_type = @event_type';
  return {
    name: 'recent_events',
    sql: `select
  event_id,
  title,
  source_name,
  event_type,
  severity,
  risk_score,
  mentioned_at,
from ${bigQueryPath(ds.projectId, ds.martsDataset, MART_TABLES.newsEvents)}
where mentioned_at >= @start
  and mentioned_at < @end${typeFilter}
order by mentioned_at desc, event_id
limit @limit`,
    params: { start: range.start, end: range.end, limit, ...(eventType === undefined ? {} : { event_type: eventType }) },
    types: { start: 'TIMESTAMP', end: 'TIMESTAMP', limit: 'INT64', ...(eventType === undefined ? {} : { event_type: 'STRING' as const }) },
  };
}

export interface TrendingRow {
  entity_id: string;
  trending_score: number;
  trending_rank: number;
  mention_count: number;
  mention_count_7d: number;
  last_mentioned_at: { value: string } | null;
  scored_as_of: { value: string };
}

export function trendingQuery(ds: Datasets, limit: number): QuerySpec {
  return {
    name: 'entity_trending',
    sql: `select
  entity_id,
  trending_score,
  trending_rank,
  mention_count,
  mention_count_7d,
  last_mentioned_at,
  scored_as_of,
from ${bigQueryPath(ds.projectId, ds.martsDataset, MART_TABLES.entityTrending)}
where trending_rank <= @limit
order by trending_rank`,
    params: { limit },
    types: { limit: 'INT64' },
  };
}

export const BUCKETS = ['HOUR', 'DAY', 'WEEK'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface RiskRow {
  bucket_start: { value: string };
  event_type: string;
  event_count: number;
  avg_risk_score: number;
  max_risk_score: number;
  high_severity_event_count: number;
  critical_event_count: number;
}

const TRUNC: Record<Bucket, string> = { HOUR: 'hour', DAY: 'day', WEEK: 'week' };

/** Hours whose start lies in [start, end), rolled up per bucket; the mean is exact (sum of scores over count). */
export function riskTrendsQuery(ds: Datasets, range: InstantRange, bucket: Bucket): QuerySpec {
  return {
    name: `risk_trends_${TRUNC[bucket]}`,
    sql: `with

hours as (
  select * from ${bigQueryPath(ds.projectId, ds.martsDataset, MART_TABLES.riskHourly)}
  where bucket_start >= @start
    and bucket_start < @end
),

buckets as (
  select
    timestamp_trunc(bucket_start, ${TRUNC[bucket]}) as bucket_start,
    event_type,
    sum(event_count) as event_count,
    round(sum(risk_score_sum) / sum(event_count), 4) as avg_risk_score,
    max(max_risk_score) as max_risk_score,
    sum(high_severity_event_count) as high_severity_event_count,
    sum(critical_event_count) as critical_event_count,
  from hours
  group by 1, 2
)

select * from buckets
order by bucket_start, event_type`,
    params: { start: range.start, end: range.end },
    types: { start: 'TIMESTAMP', end: 'TIMESTAMP' },
  };
}
