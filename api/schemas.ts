/**
 * Request and response schemas, declared once: Fastify validates requests and serializes responses
 * with them, and /openapi.json is built from the same objects.
 */
import { MAX_RANGE_DAYS, PRESETS } from './window.js';
import { BUCKETS } from './queries/time-series.js';

const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const str = { type: 'string' } as const;
const date = { type: 'string', format: 'date' } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] });

const instantParam = (what: string) => ({
  type: 'string',
  maxLength: 40,
  description: `${what} (RFC 3339 with a time zone, e.g. 2026-11-20T00:00:00Z); at most ${MAX_RANGE_DAYS} days from start to end`,
});

const presetQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { preset: { type: 'string', enum: Object.keys(PRESETS), default: '30d', description: 'Whole UTC days ending today.' } },
} as const;

const windowSchema = {
  type: 'object',
  required: ['preset', 'from', 'to', 'days'],
  properties: { preset: str, from: date, to: date, days: int },
} as const;

const vendorFigures = {
  order_count: int,
  revenue_cents: int,
  average_order_value_cents: nullable(num),
  cash_collected_cents: int,
} as const;

export const vendorAnalytics = {
  summary: "KPIs and a daily series for the caller's own store (vendor tokens only)",
  querystring: presetQuery,
  response: {
    200: {
      type: 'object',
      required: ['store_id', 'window', 'totals', 'series'],
      properties: {
        store_id: str,
        window: windowSchema,
        totals: { type: 'object', properties: vendorFigures },
        series: { type: 'array', items: { type: 'object', properties: { date, ...vendorFigures } } },
      },
    },
  },
} as const;

const marketplaceFigures = {
  gmv_cents: int,
  order_count: int,
  average_order_value_cents: nullable(num),
  cash_collected_cents: int,
  payouts_completed: int,
  payout_cents: int,
} as const;

export const adminAnalytics = {
  summary: 'Marketplace-wide KPIs and a daily series (admin tokens only)',
  querystring: presetQuery,
  response: {
    200: {
      type: 'object',
      required: ['window', 'totals', 'series'],
      properties: {
        window: windowSchema,
        totals: { type: 'object', properties: marketplaceFigures },
        series: { type: 'array', items: { type: 'object', properties: { date, ...marketplaceFigures } } },
      },
    },
  },
} as const;

export const recentEvents = {
  summary: 'News events first reported in [start, end), newest first',
  querystring: {
    type: 'object',
    additionalProperties: false,
    required: ['start', 'end'],
    properties: {
      start: instantParam('first instant, inclusive'),
      end: instantParam('last instant, exclusive'),
      event_type: { type: 'string', pattern: '^[a-z][a-z_]{0,63}$', description: 'only this category (political, economic, ...)' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['start', 'end', 'events'],
      properties: {
        start: instant,
        end: instant,
        events: {
          type: 'array',
          items: {
            type: 'object',
            properties: { event_id: str, title: str, source_name: str, event_type: str, severity: str, risk_score: num, mentioned_at: instant },
          },
        },
      },
    },
  },
} as const;

export const trendingEntities = {
  summary: 'Entities ranked by mentions with a 7-day half-life exponential decay',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      metric: { type: 'string', enum: ['mentions'], default: 'mentions' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['metric', 'scored_as_of', 'entities'],
      properties: {
        metric: str,
        scored_as_of: nullable(instant),
        entities: {
          type: 'array',
          items: {
            type: 'object',
            properties: { entity_id: str, rank: int, score: num, mention_count: int, mention_count_7d: int, last_mentioned_at: nullable(instant) },
          },
        },
      },
    },
  },
} as const;

export const riskTrends = {
  summary: 'News volume and risk per time bucket and event type',
  querystring: {
    type: 'object',
    additionalProperties: false,
    required: ['start', 'end'],
    properties: {
      start: instantParam('first instant, inclusive'),
      end: instantParam('last instant, exclusive'),
      bucket: { type: 'string', enum: [...BUCKETS], default: 'DAY' },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['start', 'end', 'bucket', 'buckets'],
      properties: {
        start: instant,
        end: instant,
        bucket: str,
        buckets: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              bucket_start: instant, event_type: str, event_count: int, avg_risk_score: num, max_risk_score: num,
              high_severity_event_count: int, critical_event_count: int,
            },
          },
        },
      },
    },
  },
} as const;

const exportRun = {
  type: 'object',
  properties: {
    run_id: str,
    status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
    tables: nullable({ type: 'array', items: str }),
    started_at: instant,
    finished_at: nullable(instant),
    rows_exported: int,
    batches: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          table: str, batch_id: str, status: str, rows_loaded: int, rows_quarantined: int,
          load_job_id: nullable(str), error: nullable(str),
        },
      },
    },
    error: nullable(str),
  },
} as const;

export const startExport = {
  summary: 'Start a loader run (admin; needs LANDFORM_EXPORT_ENABLED=true); 409 while one runs',
  body: {
    anyOf: [
      {
        type: 'object',
        additionalProperties: false,
        properties: { tables: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,127}$' } } },
      },
      { type: 'null' },
    ],
  },
  response: { 202: exportRun },
} as const;

export const getExport = {
  summary: 'Status, batches, rows and load job ids of an export run',
  params: { type: 'object', required: ['run_id'], properties: { run_id: { type: 'string', format: 'uuid' } } },
  response: { 200: exportRun },
} as const;

export const health = {
  summary: 'The process is up',
  response: { 200: { type: 'object', properties: { status: str } } },
} as const;

export const readiness = {
  summary: 'Every dataset and table the API reads exists (503 naming the first one missing)',
  response: { 200: { type: 'object', properties: { status: str } } },
} as const;
