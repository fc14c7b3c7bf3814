/**
 * The endpoints over real HTTP against an embedded BigQuery holding hand-written mart rows
 * (support/fixture-marts.ts): the figures each window must give, vendor scoping, every 400, and
 * SQL-injection attempts in every parameter. Expected values are worked out by hand from the fixture.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestApi, type TestApi } from './support/api-server.js';

let api: TestApi;
let vendorA = '';
let vendorB = '';
let admin = '';
let analyst = '';

beforeAll(async () => {
  api = await startTestApi();
  vendorA = await api.token({ role: 'vendor', storeId: 'vendor-a' });
  vendorB = await api.token({ role: 'vendor', storeId: 'vendor-b' });
  admin = await api.token({ role: 'admin' });
  analyst = await api.token({ role: 'analyst' });
});
afterAll(async () => api?.stop());

async function json<T>(path: string, token: string, status = 200): Promise<T> {
  const response = await api.get(path, token);
  const body = (await response.json()) as T;
  expect({ path, status: response.status, body: response.status === status ? 'ok' : body }).toEqual({ path, status, body: 'ok' });
  return body;
}

interface VendorBody {
  store_id: string;
  window: { preset: string; from: string; to: string; days: number };
  totals: Record<string, number | null>;
  series: ({ date: string } & Record<string, number | null>)[];
}

describe('GET /api/v1/vendor/analytics', () => {
  test("7d: the token's store, whole days ending today, a point per day", async () => {
    const body = await json<VendorBody>('/api/v1/vendor/analytics?preset=7d', vendorA);
    expect(body.store_id).toBe('vendor-a');
    expect(body.window).toEqual({ preset: '7d', from: '2026-11-14', to: '2026-11-20', days: 7 });
    expect(body.totals).toEqual({ order_count: 3, revenue_cents: 6000, average_order_value_cents: 2000, cash_collected_cents: 1000 });
    expect(body.series.map((d) => d.date)).toEqual(['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(body.series[0]).toEqual({ date: '2026-11-14', order_count: 1, revenue_cents: 1000, average_order_value_cents: 1000, cash_collected_cents: 0 });
    expect(body.series[3]).toEqual({ date: '2026-11-17', order_count: 0, revenue_cents: 0, average_order_value_cents: null, cash_collected_cents: 0 });
    expect(body.series[6]).toEqual({ date: '2026-11-20', order_count: 2, revenue_cents: 5000, average_order_value_cents: 2500, cash_collected_cents: 1000 });
  });

  test('30d is the default; 90d starts on 2026-08-23, so the 2026-08-22 row stays out', async () => {
    const thirty = await json<VendorBody>('/api/v1/vendor/analytics', vendorA);
    expect(thirty.window).toEqual({ preset: '30d', from: '2026-10-22', to: '2026-11-20', days: 30 });
    expect(thirty.totals).toEqual({ order_count: 7, revenue_cents: 14000, average_order_value_cents: 2000, cash_collected_cents: 9000 });
    const ninety = await json<VendorBody>('/api/v1/vendor/analytics?preset=90d', vendorA);
    expect(ninety.window.from).toBe('2026-08-23');
    expect(ninety.series).toHaveLength(90);
    expect(ninety.totals).toEqual(thirty.totals);
  });

  test("vendor B gets only its own rows, and vendor A's cached answer is not served to it", async () => {
    await json<VendorBody>('/api/v1/vendor/analytics?preset=7d', vendorA);
    const body = await json<VendorBody>('/api/v1/vendor/analytics?preset=7d', vendorB);
    expect(body.store_id).toBe('vendor-b');
    expect(body.totals).toEqual({ order_count: 13, revenue_cents: 102900, average_order_value_cents: 7915.38, cash_collected_cents: 3500 });
  });

  test('no request can name another store: store parameters are rejected, headers ignored', async () => {
    for (const query of ['store_id=vendor-b', 'vendor_store_id=vendor-b', 'preset=7d&store_id=vendor-b', 'preset=7d&storeId=vendor-b']) {
      const response = await api.get(`/api/v1/vendor/analytics?${query}`, vendorA);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
    const viaHeader = await api.get('/api/v1/vendor/analytics?preset=7d', vendorA, { 'x-store-id': 'vendor-b', 'store-id': 'vendor-b' });
    const body = (await viaHeader.json()) as VendorBody;
    expect(body.store_id).toBe('vendor-a');
    expect(body.totals.revenue_cents).toBe(6000);
  });
});

describe('GET /api/v1/admin/analytics', () => {
  test('7d marketplace totals and series', async () => {
    const body = await json<{ window: VendorBody['window']; totals: Record<string, number | null>; series: VendorBody['series'] }>('/api/v1/admin/analytics?preset=7d', admin);
    expect(body.window).toEqual({ preset: '7d', from: '2026-11-14', to: '2026-11-20', days: 7 });
    expect(body.totals).toEqual({ gmv_cents: 105900, order_count: 13, average_order_value_cents: 8146.15, cash_collected_cents: 1500, payouts_completed: 3, payout_cents: 1000 });
    expect(body.series[6]).toEqual({ date: '2026-11-20', gmv_cents: 104900, order_count: 12, average_order_value_cents: 8741.67, cash_collected_cents: 1500, payouts_completed: 1, payout_cents: 700 });
  });

  test('30d includes 2026-11-13', async () => {
    const body = await json<{ totals: Record<string, number | null> }>('/api/v1/admin/analytics?preset=30d', admin);
    expect(body.totals).toEqual({ gmv_cents: 113900, order_count: 17, average_order_value_cents: 6700, cash_collected_cents: 9500, payouts_completed: 8, payout_cents: 6000 });
  });
});

describe('time series', () => {
  const day = 'start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z';
  const ids = (body: { events: { event_id: string }[] }) => body.events.map((e) => e.event_id);

  test('recent events: newest first, limit, type filter, end exclusive', async () => {
    expect(ids(await json(`/api/v1/events/recent?${day}`, analyst))).toEqual(['n4', 'n3', 'n2', 'n1']);
    expect(ids(await json(`/api/v1/events/recent?${day}&limit=2`, admin))).toEqual(['n4', 'n3']);
    expect(ids(await json(`/api/v1/events/recent?${day}&event_type=political`, analyst))).toEqual(['n3', 'n2', 'n1']);
    expect(ids(await json('/api/v1/events/recent?start=2026-11-19T00:00:00Z&end=2026-11-19T10:59:00Z', analyst))).toEqual(['n1']);
    const body = await json<{ events: Record<string, unknown>[] }>(`/api/v1/events/recent?${day}&limit=1`, analyst);
    expect(body.events[0]).toEqual({ event_id: 'n4', title: 'Pipeline leak', source_name: 'Energy News', event_type: 'energy', severity: 'medium', risk_score: 40, mentioned_at: '2026-11-19T11:45:00.000Z' });
  });

  test('trending entities by rank, limited', async () => {
    const body = await json<{ metric: string; scored_as_of: string; entities: { entity_id: string; rank: number; score: number }[] }>('/api/v1/entities/trending?metric=mentions&limit=2', analyst);
    expect(body.metric).toBe('mentions');
    expect(body.scored_as_of).toBe('2026-11-20T15:00:00.000Z');
    expect(body.entities.map((e) => [e.entity_id, e.rank, e.score])).toEqual([['entity-1', 1, 3.5], ['entity-2', 2, 2.25]]);
    expect((await json<{ entities: unknown[] }>('/api/v1/entities/trending', admin)).entities).toHaveLength(3);
  });

  const risk = (bucket: string) => `/api/v1/risk/trends?start=2026-11-19T00:00:00Z&end=2026-11-21T00:00:00Z&bucket=${bucket}`;
  type RiskBody = { buckets: { bucket_start: string; event_type: string; event_count: number; avg_risk_score: number; max_risk_score: number; high_severity_event_count: number; critical_event_count: number }[] };
  const rows = (body: RiskBody) => body.buckets.map((b) => [b.bucket_start.slice(0, 16), b.event_type, b.event_count, b.avg_risk_score, b.max_risk_score, b.high_severity_event_count, b.critical_event_count]);

  test('risk per hour, per day and per week: exact means from the hourly sums', async () => {
    expect(rows(await json<RiskBody>(risk('HOUR'), analyst))).toEqual([
      ['2026-11-19T10:00', 'political', 2, 55, 90, 1, 1],
      ['2026-11-19T11:00', 'energy', 1, 40, 40, 0, 0],
      ['2026-11-19T11:00', 'political', 1, 60, 60, 1, 0],
      ['2026-11-20T08:00', 'political', 3, 10, 20, 0, 0],
    ]);
    expect(rows(await json<RiskBody>(risk('DAY'), analyst))).toEqual([
      ['2026-11-19T00:00', 'energy', 1, 40, 40, 0, 0],
      ['2026-11-19T00:00', 'political', 3, 56.6667, 90, 2, 1],
      ['2026-11-20T00:00', 'political', 3, 10, 20, 0, 0],
    ]);
    // Weeks start on Sunday (BigQuery's WEEK): 2026-11-15.
    expect(rows(await json<RiskBody>(risk('WEEK'), admin))).toEqual([
      ['2026-11-15T00:00', 'energy', 1, 40, 40, 0, 0],
      ['2026-11-15T00:00', 'political', 6, 33.3333, 90, 2, 1],
    ]);
  });
});

describe('400: bad parameters, each named in a problem body', () => {
  const events = '/api/v1/events/recent';
  const cases: [string, string, string][] = [
    ['unknown preset', '/api/v1/vendor/analytics?preset=1y', 'preset'],
    ['preset twice', '/api/v1/vendor/analytics?preset=7d&preset=30d', 'preset'],
    ['start after end', `${events}?start=2026-11-20T00:00:00Z&end=2026-11-19T00:00:00Z`, 'start'],
    ['start equal to end', `${events}?start=2026-11-20T00:00:00Z&end=2026-11-20T00:00:00Z`, 'start'],
    ['a range over 400 days', `${events}?start=2025-01-01T00:00:00Z&end=2026-11-20T00:00:00Z`, 'end'],
    ['a start without a time zone', `${events}?start=2026-11-19T00:00:00&end=2026-11-20T00:00:00Z`, 'start'],
    ['a date for an instant', `${events}?start=2026-11-19&end=2026-11-20T00:00:00Z`, 'start'],
    ['no start', `${events}?end=2026-11-20T00:00:00Z`, 'start'],
    ['no end', `${events}?start=2026-11-20T00:00:00Z`, 'end'],
    ['limit 0', `${events}?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z&limit=0`, 'limit'],
    ['limit 1001', `${events}?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z&limit=1001`, 'limit'],
    ['limit not a number', `${events}?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z&limit=ten`, 'limit'],
    ['limit a fraction', `${events}?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z&limit=1.5`, 'limit'],
    ['an unknown bucket', '/api/v1/risk/trends?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z&bucket=MONTH', 'bucket'],
    ['an unknown metric', '/api/v1/entities/trending?metric=likes', 'metric'],
    ['trending limit 101', '/api/v1/entities/trending?limit=101', 'limit'],
    ['an unknown parameter', '/api/v1/entities/trending?order=asc', 'order'],
  ];
  test.each(cases)('%s', async (_what, path, parameter) => {
    const token = path.includes('vendor') ? vendorA : analyst;
    const response = await api.get(path, token);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, title: 'Bad request', parameter });
    expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'parameter', 'status', 'title', 'type']);
  });
});

describe('SQL injection attempts in every parameter', () => {
  const attacks = ["' OR '1'='1", "'; drop table landform_marts.mart_vendor_kpis_daily; --", '1) union all select * from `landform-local.landform_marts.mart_vendor_kpis_daily` --', '\\\' or 1=1 --'];
  const range = 'start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z';
  const routes = (attack: string): [string, string][] => {
    const a = encodeURIComponent(attack);
    return [
      [`/api/v1/vendor/analytics?preset=7d${a}`, vendorA],
      [`/api/v1/admin/analytics?preset=${a}`, admin],
      [`/api/v1/events/recent?start=2026-11-19T00:00:00Z${a}&end=2026-11-20T00:00:00Z`, analyst],
      [`/api/v1/events/recent?start=2026-11-19T00:00:00Z&end=${a}`, analyst],
      [`/api/v1/events/recent?${range}&event_type=political${a}`, analyst],
      [`/api/v1/events/recent?${range}&limit=1${a}`, analyst],
      [`/api/v1/entities/trending?metric=mentions${a}`, analyst],
      [`/api/v1/entities/trending?limit=2${a}`, analyst],
      [`/api/v1/risk/trends?${range}&bucket=DAY${a}`, analyst],
      [`/api/v1/admin/exports/${a}`, admin],
    ];
  };

  test.each(attacks)('%s is refused as a bad parameter, and every table is intact', async (attack) => {
    for (const [path, token] of routes(attack)) {
      const response = await api.get(path, token);
      const body = await response.text();
      expect({ path, status: response.status }).toEqual({ path, status: response.status === 403 ? 403 : 400 });
      expect(body).not.toMatch(/select|landform_marts|stack/i);
    }
    expect((await api.get('/readyz')).status).toBe(200);
    const [rows] = await api.bq.bigquery.query({ query: 'select count(*) as n from `landform-local.landform_marts.mart_vendor_kpis_daily`' });
    expect(rows).toEqual([{ n: 6 }]);
  });

  test('a well-formed but unknown event type is a value, not SQL: no rows', async () => {
    const body = await json<{ events: unknown[] }>(`/api/v1/events/recent?${range}&event_type=political_or_true`, analyst);
    expect(body.events).toEqual([]);
  });
});

describe('caching, ETag and Cache-Control', () => {
  test('a repeat is served from memory with the same ETag; If-None-Match gives 304', async () => {
    const path = '/api/v1/risk/trends?start=2026-11-19T00:00:00Z&end=2026-11-19T12:00:00Z&bucket=HOUR';
    const first = await api.get(path, analyst);
    const second = await api.get(path, admin);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['miss', 'hit']);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(second.headers.get('etag')).toBe(etag);
    expect(await second.text()).toBe(await first.text());
    expect(first.headers.get('cache-control')).toMatch(/^private, max-age=([1-9]|[1-5][0-9]|60)$/);
    expect(first.headers.get('vary')).toBe('Authorization');
    const notModified = await api.get(path, analyst, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect((await api.get(path, analyst, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  test('concurrent identical requests run one BigQuery job between them', async () => {
    const path = '/api/v1/events/recent?start=2026-11-18T00:00:00Z&end=2026-11-20T00:00:00Z&limit=3';
    const responses = await Promise.all(Array.from({ length: 12 }, () => api.get(path, analyst)));
    const sources = responses.map((r) => r.headers.get('x-cache'));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(sources.filter((s) => s === 'miss')).toHaveLength(1);
    expect(sources.every((s) => s === 'miss' || s === 'shared' || s === 'hit')).toBe(true);
  });
});

describe('export trigger when disabled', () => {
  test.each(['/api/v1/admin/exports/run', '/api/exports/bigquery/run'])('POST %s answers 403 saying how to enable it', async (path) => {
    const response = await fetch(`${api.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toContain('LANDFORM_EXPORT_ENABLED=true');
  });
});

describe('malformed bodies', () => {
  test.each([
    ['invalid JSON', 'application/json', '{"tables": [', 400],
    ['an unknown body field', 'application/json', '{"tables": ["devices"], "all": true}', 400],
    ['plain text instead of JSON', 'text/plain', 'devices', 400],
    ['a media type without a parser', 'application/xml', '<tables/>', 415],
  ])('%s is a problem body, not a stack', async (_what, type, body, status) => {
    const response = await fetch(`${api.url}/api/v1/admin/exports/run`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': type }, body });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.text()).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });
});

describe('OpenAPI', () => {
  test('/openapi.json documents every route with its parameters and bearer security', async () => {
    const doc = (await (await api.get('/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; schema: { enum?: string[] } }[]; security?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/exports/bigquery/run', '/api/v1/admin/analytics', '/api/v1/admin/exports/run', '/api/v1/admin/exports/{run_id}',
      '/api/v1/entities/trending', '/api/v1/events/recent', '/api/v1/risk/trends', '/api/v1/vendor/analytics', '/healthz', '/openapi.json', '/readyz',
    ]);
    const vendor = doc.paths['/api/v1/vendor/analytics']?.get;
    expect(vendor?.parameters.map((p) => [p.name, p.schema.enum])).toEqual([['preset', ['7d', '30d', '90d']]]);
    expect(vendor?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/risk/trends']?.get?.parameters.map((p) => p.name)).toEqual(['start', 'end', 'bucket']);
    expect(doc.paths['/healthz']?.get?.security).toBeUndefined();
  });
});
