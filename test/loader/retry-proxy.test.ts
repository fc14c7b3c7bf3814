/**
 * Retries against real HTTP failures: a small proxy in front of the embedded BigQuery answers 503
 * (backendError) to the first requests of a kind, then forwards; a 403 accessDenied is never retried.
 * The client's own retries are switched off so the loader's policy is what is exercised.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { runLoad } from '../../loader/index.js';
import { rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;
let proxy: http.Server;
let proxyUrl: string;

interface Fault {
  match: (method: string, url: string) => boolean;
  remaining: number;
  status: number;
  reason: string;
  seen: number;
}
let faults: Fault[] = [];
const requests: string[] = [];

beforeAll(async () => {
  env = await startLoaderEnv();
  const upstream = new URL(env.bq.server.url);
  proxy = http.createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    const fault = faults.find((f) => f.match(req.method ?? '', req.url ?? ''));
    if (fault) fault.seen++;
    if (fault && fault.remaining > 0) {
      fault.remaining--;
      // Read the whole request first, as a real front end would, then refuse it.
      req.resume();
      req.on('end', () => {
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: fault.status, message: `injected ${fault.reason}`, errors: [{ reason: fault.reason, message: `injected ${fault.reason}` }] } }));
      });
      return;
    }
    // As a reverse proxy does, name the upstream as Host (the embedded BigQuery refuses other hosts).
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  await env.db.client.query(`insert into telemetry_readings select g, 'dev', '2026-06-01T00:00:00Z', '{}', timestamptz '2026-06-01T00:00:00Z' + g * interval '1 second' from generate_series(1, 50) g`);
});

beforeEach(() => {
  faults = [];
  requests.length = 0;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await env?.stop();
});

function proxiedClient(): BigQuery {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: env.bq.token, expiry_date: Date.now() + 3600_000 });
  return new BigQuery({ projectId: 'landform-local', apiEndpoint: proxyUrl, location: 'US', authClient, autoRetry: false });
}

const isUpload = (method: string, url: string) => method === 'POST' && url.startsWith('/upload/bigquery/v2/projects/landform-local/jobs');
const isJobInsert = (method: string, url: string) => method === 'POST' && /^\/bigquery\/v2\/projects\/landform-local\/jobs(\?|$)/.test(url);

describe('retries through an HTTP proxy that fails on purpose', () => {
  test('503 backendError on uploads and query jobs is retried until the batch lands', async () => {
    faults = [
      { match: isUpload, remaining: 2, status: 503, reason: 'backendError', seen: 0 },
      { match: isJobInsert, remaining: 3, status: 503, reason: 'backendError', seen: 0 },
    ];
    const [result] = await runLoad(env.config({ tables: ['telemetry_readings'], bigquery: proxiedClient(), retry: { attempts: 5, baseDelayMs: 5, maxDelayMs: 20 } }));
    expect(result).toMatchObject({ status: 'succeeded', rowsLoaded: 50 });
    expect(faults.map((f) => f.remaining)).toEqual([0, 0]);
    // Two refused uploads plus the one that went through.
    expect(faults[0]?.seen).toBe(3);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });

  test('403 accessDenied is permanent: one attempt, a failed batch with the reason', async () => {
    await env.db.client.query(`insert into telemetry_readings values (51, 'dev', '2026-06-01T00:00:00Z', '{}', '2026-06-01T01:00:00Z')`);
    faults = [{ match: isUpload, remaining: 10, status: 403, reason: 'accessDenied', seen: 0 }];
    const [result] = await runLoad(env.config({ tables: ['telemetry_readings'], bigquery: proxiedClient(), retry: { attempts: 5, baseDelayMs: 5, maxDelayMs: 20 } }));
    expect(result?.status).toBe('failed');
    expect(result?.error).toContain('injected accessDenied');
    expect(faults[0]?.seen).toBe(1);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db, 'reading_id <= 50'));
  });
});
