/**
 * Requests a web page (or a process without the token) could send to the embedded BigQuery, each
 * of which must be refused without effect: a text/plain POST with a foreign Origin (what a
 * browser sends cross-site with no preflight), a wrong Host, a DNS-rebinding Host, no token, a
 * wrong token, metadata calls without Metadata-Flavor. Sent with node:http, which (unlike fetch)
 * lets a test set Host and Origin to anything.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(port: number, options: { method: string; path: string; headers: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function reasonOf(answer: Answer): string | undefined {
  return (JSON.parse(answer.body) as { error?: { errors?: { reason?: string }[] } }).error?.errors?.[0]?.reason;
}

describe('cross-site and unauthenticated requests are refused', () => {
  let bq: TestBigQuery;
  let port: number;
  let host: string;
  let auth: Record<string, string>;
  /** A statement that would leave a trace (a dataset) if it ran. */
  const attack = (datasetId: string) => JSON.stringify({ configuration: { query: { query: `create schema ${datasetId}`, useLegacySql: false } } });

  beforeAll(async () => {
    bq = await startTestBigQuery({ allowedOrigins: ['http://localhost:5173'] });
    port = bq.server.port;
    host = `127.0.0.1:${port}`;
    auth = { Authorization: `Bearer ${bq.token ?? ''}` };
  });
  afterAll(async () => {
    await bq?.stop();
  });

  async function datasetExists(datasetId: string): Promise<boolean> {
    const [exists] = await bq.bigquery.dataset(datasetId).exists();
    return exists;
  }

  test('a text/plain POST from a foreign Origin (a simple cross-site request) is refused, token or not', async () => {
    for (const headers of [{}, auth]) {
      const answer = await send(port, {
        method: 'POST',
        path: '/bigquery/v2/projects/landform-local/jobs',
        headers: { Host: host, Origin: 'https://evil.example', 'Content-Type': 'text/plain', ...headers },
        body: attack('attack_text_plain'),
      });
      expect(answer.status).toBe(403);
      expect(reasonOf(answer)).toBe('accessDenied');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(await datasetExists('attack_text_plain')).toBe(false);
  });

  test('a foreign Origin is refused even with the token and a JSON body; a preflight from it gets no CORS headers', async () => {
    const answer = await send(port, {
      method: 'POST',
      path: '/bigquery/v2/projects/landform-local/jobs',
      headers: { Host: host, Origin: 'null', 'Content-Type': 'application/json', ...auth },
      body: attack('attack_null_origin'),
    });
    expect(answer.status).toBe(403);
    const preflight = await send(port, {
      method: 'OPTIONS',
      path: '/bigquery/v2/projects/landform-local/jobs',
      headers: { Host: host, Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(await datasetExists('attack_null_origin')).toBe(false);
  });

  test('a wrong Host (another port, another name, a DNS-rebinding name) is refused, for the API and the metadata server', async () => {
    const hosts = [`127.0.0.1:${port + 1}`, `evil.example:${port}`, `attacker.rebind.example:${port}`, '127.0.0.1', `[::1]:${port}`, `0.0.0.0:${port}`];
    for (const wrong of hosts) {
      const answer = await send(port, {
        method: 'POST',
        path: '/bigquery/v2/projects/landform-local/jobs',
        headers: { Host: wrong, 'Content-Type': 'application/json', ...auth },
        body: attack('attack_wrong_host'),
      });
      expect([wrong, answer.status]).toEqual([wrong, 403]);
      expect(answer.body).toContain('is not this server');
      const token = await send(port, { method: 'GET', path: '/computeMetadata/v1/instance/service-accounts/default/token', headers: { Host: wrong, 'Metadata-Flavor': 'Google' } });
      expect([wrong, token.status]).toEqual([wrong, 403]);
      expect(token.body).not.toContain(bq.token ?? 'no token');
    }
    expect(await datasetExists('attack_wrong_host')).toBe(false);
  });

  test('without the token, or with a wrong one, every API route answers 401 and the token never appears in the answer', async () => {
    const wrongTokens: Record<string, string>[] = [{}, { Authorization: 'Bearer embedded' }, { Authorization: `Bearer ${bq.token ?? ''}x` }, { Authorization: `Basic ${bq.token ?? ''}` }, { Authorization: 'Bearer' }];
    for (const headers of wrongTokens) {
      for (const [method, path] of [
        ['GET', '/bigquery/v2/projects/landform-local/datasets'],
        ['GET', '/projects/landform-local/jobs'],
        ['POST', '/bigquery/v2/projects/landform-local/jobs'],
        ['POST', '/upload/bigquery/v2/projects/landform-local/jobs?uploadType=multipart'],
      ] as const) {
        const answer = await send(port, {
          method,
          path,
          headers: { Host: host, ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}), ...headers },
          ...(method === 'POST' ? { body: attack('attack_no_token') } : {}),
        });
        expect([path, headers, answer.status]).toEqual([path, headers, 401]);
        expect(reasonOf(answer)).toBe('authError');
        expect(answer.body).not.toContain(bq.token ?? 'no token');
      }
    }
    expect(await datasetExists('attack_no_token')).toBe(false);
  });

  test('with the token, a body that is not application/json is refused (415) and not run', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const answer = await send(port, {
        method: 'POST',
        path: '/bigquery/v2/projects/landform-local/jobs',
        headers: { Host: host, ...auth, ...(type ? { 'Content-Type': type } : {}) },
        body: attack('attack_wrong_type'),
      });
      expect([type, answer.status]).toEqual([type, 415]);
    }
    // A form post to the upload endpoint is not a multipart/related upload either.
    const form = await send(port, {
      method: 'POST',
      path: '/upload/bigquery/v2/projects/landform-local/jobs?uploadType=multipart',
      headers: { Host: host, ...auth, 'Content-Type': 'multipart/form-data; boundary=b' },
      body: `--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b\r\n\r\nx\r\n--b--\r\n`,
    });
    expect(form.status).toBe(400);
    expect(form.body).toContain('multipart/related');
    expect(await datasetExists('attack_wrong_type')).toBe(false);
    // The control: the same statement, sent as the API expects, does leave its trace.
    const proper = await send(port, {
      method: 'POST',
      path: '/bigquery/v2/projects/landform-local/jobs',
      headers: { Host: host, ...auth, 'Content-Type': 'application/json; charset=utf-8' },
      body: attack('attack_control'),
    });
    expect(proper.status).toBe(200);
    await bq.bigquery.job((JSON.parse(proper.body) as { jobReference: { jobId: string } }).jobReference.jobId).promise();
    expect(await datasetExists('attack_control')).toBe(true);
  });

  test('metadata calls without Metadata-Flavor: Google are refused; with it the token endpoint hands out the server token', async () => {
    const unflavored: Record<string, string>[] = [{}, { 'Metadata-Flavor': 'google' }, { 'Metadata-Flavor': 'Google', Origin: 'https://evil.example' }];
    for (const headers of unflavored) {
      const answer = await send(port, { method: 'GET', path: '/computeMetadata/v1/instance/service-accounts/default/token', headers: { Host: host, ...headers } });
      expect([headers, answer.status]).toEqual([headers, 403]);
      expect(answer.body).not.toContain(bq.token ?? 'no token');
    }
    const flavored = await send(port, { method: 'GET', path: '/computeMetadata/v1/instance/service-accounts/default/token', headers: { Host: `localhost:${port}`, 'Metadata-Flavor': 'Google' } });
    expect(flavored.status).toBe(200);
    expect(JSON.parse(flavored.body)).toEqual({ access_token: bq.token, expires_in: 3600, token_type: 'Bearer' });
  });

  test('an allowed Origin is served with CORS headers (and its preflight answered); localhost is a valid Host', async () => {
    const origin = 'http://localhost:5173';
    const preflight = await send(port, {
      method: 'OPTIONS',
      path: '/bigquery/v2/projects/landform-local/datasets',
      headers: { Host: `localhost:${port}`, Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const answer = await send(port, { method: 'GET', path: '/bigquery/v2/projects/landform-local/datasets', headers: { Host: `localhost:${port}`, Origin: origin, ...auth } });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(origin);
    // The allowed origin still needs the token.
    const anonymous = await send(port, { method: 'GET', path: '/bigquery/v2/projects/landform-local/datasets', headers: { Host: host, Origin: origin } });
    expect(anonymous.status).toBe(401);
    // ...and may read why it was refused.
    expect(anonymous.headers['access-control-allow-origin']).toBe(origin);
    const rebound = await send(port, { method: 'GET', path: '/bigquery/v2/projects/landform-local/datasets', headers: { Host: `evil.example:${port}`, Origin: origin, ...auth } });
    expect(rebound.status).toBe(403);
    expect(rebound.headers['access-control-allow-origin']).toBeUndefined();
  });
});
