/**
 * What the API sends BigQuery, read off the wire by a recording HTTP proxy between the real client
 * and the embedded BigQuery: every job has maximumBytesBilled and uses the result cache; request
 * values travel only as named parameters, never in the SQL text; each query filters its table's
 * partition column; and nothing non-deterministic (CURRENT_DATE ...) stops BigQuery's cache.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { bigQueryClientFor, startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { startTestApi, type TestApi } from './support/api-server.js';
import { createFixtureMarts } from './support/fixture-marts.js';

interface JobsQueryBody {
  query: string;
  maximumBytesBilled?: string;
  useQueryCache?: boolean;
  parameterMode?: string;
  queryParameters?: { name: string; parameterValue: { value?: string | number } }[];
}

let bq: TestBigQuery;
let proxy: Server;
let api: TestApi;
const recorded: JobsQueryBody[] = [];

beforeAll(async () => {
  bq = await startTestBigQuery();
  await createFixtureMarts(bq.bigquery);
  const upstream = new URL(bq.server.url);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && /\/queries(\?|$)/.test(req.url ?? '')) recorded.push(JSON.parse(body.toString()) as JobsQueryBody);
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  api = await startTestApi({ bigquery: bigQueryClientFor(proxyUrl), env: { LANDFORM_API_MAX_BYTES_BILLED: '123456789' } });
});

afterAll(async () => {
  await api?.stop();
  await new Promise((resolve) => proxy?.close(resolve));
  await bq?.stop();
});

/** One request through the API, and the one BigQuery job it caused. */
async function jobOf(path: string, token: string): Promise<JobsQueryBody> {
  const before = recorded.length;
  const response = await api.get(path, token);
  expect({ path, status: response.status }).toEqual({ path, status: 200 });
  expect(recorded.length).toBe(before + 1);
  return recorded[recorded.length - 1] as JobsQueryBody;
}

// The client sends INT64 values as JSON numbers; compared as text.
const params = (job: JobsQueryBody) => Object.fromEntries((job.queryParameters ?? []).map((p) => [p.name, String(p.parameterValue.value)]));

describe('query jobs on the wire', () => {
  let jobs: Record<string, JobsQueryBody>;
  beforeAll(async () => {
    const vendor = await api.token({ role: 'vendor', storeId: 'vendor-a' });
    const analyst = await api.token({ role: 'analyst' });
    const admin = await api.token({ role: 'admin' });
    jobs = {
      vendor: await jobOf('/api/v1/vendor/analytics?preset=7d', vendor),
      admin: await jobOf('/api/v1/admin/analytics?preset=90d', admin),
      events: await jobOf('/api/v1/events/recent?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z&event_type=political&limit=7', analyst),
      trending: await jobOf('/api/v1/entities/trending?limit=3', analyst),
      risk: await jobOf('/api/v1/risk/trends?start=2026-11-18T06:00:00Z&end=2026-11-20T00:00:00Z&bucket=WEEK', analyst),
    };
  });

  test('every job is capped by maximumBytesBilled and may use the result cache', () => {
    for (const [name, job] of Object.entries(jobs)) {
      expect({ name, cap: job.maximumBytesBilled, cache: job.useQueryCache, mode: job.parameterMode?.toUpperCase() }).toEqual({ name, cap: '123456789', cache: true, mode: 'NAMED' });
    }
  });

  test('request values arrive as named parameters, and none of them is in the SQL text', () => {
    expect(params(jobs.vendor as JobsQueryBody)).toEqual({ from: '2026-11-14', to: '2026-11-20', store_id: 'vendor-a' });
    expect(params(jobs.admin as JobsQueryBody)).toEqual({ from: '2026-08-23', to: '2026-11-20' });
    expect(params(jobs.events as JobsQueryBody)).toMatchObject({ event_type: 'political', limit: '7' });
    expect(params(jobs.trending as JobsQueryBody)).toEqual({ limit: '3' });
    for (const [name, job] of Object.entries(jobs)) {
      // Values of three characters or more: a short number could be a literal in the SQL by chance.
      for (const value of Object.values(params(job)).filter((v) => v.length >= 3)) {
        expect({ name, leaks: job.query.includes(String(value)) }).toEqual({ name, leaks: false });
      }
    }
    expect(jobs.vendor?.query).not.toContain('vendor-a');
  });

  test('each query filters its partition column with the window parameters', () => {
    expect(jobs.vendor?.query).toContain('where activity_date between @from and @to');
    expect(jobs.vendor?.query).toContain('and vendor_store_id = @store_id');
    expect(jobs.admin?.query).toContain('where activity_date between @from and @to');
    expect(jobs.events?.query).toMatch(/where mentioned_at >= @start\s+and mentioned_at < @end/);
    expect(jobs.risk?.query).toMatch(/where bucket_start >= @start\s+and bucket_start < @end/);
    expect(jobs.risk?.query).toContain('timestamp_trunc(bucket_start, week)');
  });

  test('no job uses a non-deterministic function, so repeats can come from BigQuery’s cache', () => {
    for (const job of Object.values(jobs)) expect(job.query).not.toMatch(/current_(date|timestamp|datetime|time)|rand\(|session_user/i);
  });

  test('a repeat is answered from memory; a fresh server sends the identical job (text and parameters)', async () => {
    const before = recorded.length;
    expect((await api.get('/api/v1/vendor/analytics?preset=7d', await api.token({ role: 'vendor', storeId: 'vendor-a' }))).status).toBe(200);
    expect(recorded.length).toBe(before);
    const fresh = await startTestApi({ bigquery: bigQueryClientFor(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`) });
    try {
      expect((await fresh.get('/api/v1/vendor/analytics?preset=7d', await fresh.token({ role: 'vendor', storeId: 'vendor-a' }))).status).toBe(200);
      expect(recorded.length).toBe(before + 1);
      const job = recorded[recorded.length - 1] as JobsQueryBody;
      expect({ query: job.query, params: params(job) }).toEqual({ query: jobs.vendor?.query, params: params(jobs.vendor as JobsQueryBody) });
    } finally {
      await fresh.stop();
    }
  });
});
