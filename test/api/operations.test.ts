/**
 * Operations: readiness at start-up and on /readyz, structured request logs (never the token),
 * per-principal rate limits, the cache switched off, and shutdown.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import { apiConfigFromEnv } from '../../api/config.js';
import { ApiNotReadyError, startApi } from '../../api/server.js';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { silentLogger, startTestApi, type TestApi } from './support/api-server.js';
import { createFixtureMarts } from './support/fixture-marts.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(options: Parameters<typeof startTestApi>[0] = {}): Promise<TestApi> {
  const api = await startTestApi(options);
  cleanups.push(() => api.stop());
  return api;
}

async function bigQueryWith(skip: string[] | null): Promise<TestBigQuery> {
  const bq = await startTestBigQuery();
  cleanups.push(() => bq.stop());
  if (skip !== null) await createFixtureMarts(bq.bigquery, { skip });
  return bq;
}

const config = () => apiConfigFromEnv({ env: { LANDFORM_API_PUBLIC_KEY: 'unused', LANDFORM_API_ISSUER: 'i', LANDFORM_API_AUDIENCE: 'a' }, projectId: 'landform-local', local: null, port: 0 });

describe('readiness', () => {
  test('a missing mart table stops the start with one sentence naming it', async () => {
    const bq = await bigQueryWith(['mart_risk_trends_hourly']);
    const start = startApi({ config: config(), bigquery: bq.bigquery, logger: silentLogger });
    await expect(start).rejects.toBeInstanceOf(ApiNotReadyError);
    await expect(start).rejects.toThrow(/^landform serve: not ready: table landform-local\.landform_marts\.mart_risk_trends_hourly does not exist \([^\n]*\)$/);
  });

  test('a missing dataset is named before any of its tables', async () => {
    const bq = await bigQueryWith(null);
    await expect(startApi({ config: config(), bigquery: bq.bigquery, logger: silentLogger })).rejects.toThrow(/not ready: dataset landform-local\.landform_marts does not exist/);
  });

  test('/readyz turns 503, naming the table, when one disappears after start', async () => {
    const api = await started();
    expect((await api.get('/readyz')).status).toBe(200);
    await api.bq.bigquery.dataset('landform_marts').table('mart_news_events').delete();
    const response = await api.get('/readyz');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/^table landform-local\.landform_marts\.mart_news_events does not exist/);
    expect((await api.get('/healthz')).status).toBe(200);
  });
});

describe('request logs', () => {
  test('one line per request with request id, principal, route, status, latency, job id and bytes; never the token', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
    const api = await started({ server: { logger: pino({ level: 'info' }, sink) } });
    const token = await api.token({ role: 'vendor', storeId: 'vendor-a', subject: 'user-42' });
    const miss = await api.get('/api/v1/vendor/analytics?preset=7d', token);
    await api.get('/api/v1/vendor/analytics?preset=7d', token);
    await api.get('/api/v1/admin/analytics', token);
    await new Promise((resolve) => setImmediate(resolve));
    const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests.map((r) => [r.principal, r.route, r.status, r.cache])).toEqual([
      ['user-42', '/api/v1/vendor/analytics', 200, 'miss'],
      ['user-42', '/api/v1/vendor/analytics', 200, 'hit'],
      ['user-42', '/api/v1/admin/analytics', 403, null],
    ]);
    const first = requests[0] as Record<string, unknown>;
    expect(first.reqId).toBe(miss.headers.get('x-request-id'));
    expect(typeof first.latencyMs).toBe('number');
    expect((first.jobIds as string[])[0]).toMatch(/^job_/);
    expect(first.bytesProcessed).toEqual(expect.any(Number));
    expect(first.bytesProcessed as number).toBeGreaterThan(0);
    expect(requests[1]?.jobIds).toEqual([]);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token.split('.')[2] as string);
  });
});

describe('rate limits', () => {
  test('each principal has its own budget; the excess gets 429 with Retry-After', async () => {
    const api = await started({ config: { rateLimitPerMinute: 3 } });
    const one = await api.token({ role: 'analyst', subject: 'analyst-1' });
    const two = await api.token({ role: 'analyst', subject: 'analyst-2' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await api.get('/api/v1/entities/trending', one)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await api.get('/api/v1/entities/trending', one);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited.json()) as { status: number }).status).toBe(429);
    expect((await api.get('/api/v1/entities/trending', two)).status).toBe(200);
    // Health checks are never limited.
    for (let i = 0; i < 5; i += 1) expect((await api.get('/healthz')).status).toBe(200);
  });
});

describe('cache off and shutdown', () => {
  test('with a TTL of 0 every request asks BigQuery and says no-cache', async () => {
    const api = await started({ config: { cacheTtlSeconds: 0 } });
    const token = await api.token({ role: 'admin' });
    const responses = [await api.get('/api/v1/admin/analytics', token), await api.get('/api/v1/admin/analytics', token)];
    expect(responses.map((r) => r.headers.get('x-cache'))).toEqual(['miss', 'miss']);
    expect(responses[0]?.headers.get('cache-control')).toBe('private, no-cache');
    expect(responses[0]?.headers.get('etag')).toBe(responses[1]?.headers.get('etag'));
  });

  test('close() stops accepting connections', async () => {
    const api = await startTestApi();
    expect((await api.get('/healthz')).status).toBe(200);
    await api.stop();
    await expect(api.get('/healthz')).rejects.toThrow();
  });
});
