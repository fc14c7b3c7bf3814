/**
 * The protections of a loopback server: a foreign Host (DNS rebinding), a foreign Origin (a web page's
 * fetch or form), `Sec-Fetch-Site: cross-site`, and a JSON body sent as text/plain are refused;
 * allowed origins get CORS headers; with a token, only requests bearing it pass (the real client
 * with the token works, one without it does not). Raw requests go through node:http so the test
 * controls every header (fetch would set Host and forbid Origin).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { request } from 'node:http';
import { startEmbeddedGcs, type EmbeddedGcs } from '@landform/embedded-gcs';
import { storageClientFor } from '../support/embedded-gcs.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(server: EmbeddedGcs, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...headers };
    // An empty Host means none at all: node:http would otherwise fill in its own.
    if (all.Host === '') delete all.Host;
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: all, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let open: EmbeddedGcs;
let guarded: EmbeddedGcs;
const TOKEN = 'test-token-4d1c';
const ALLOWED = 'http://localhost:5173';

beforeAll(async () => {
  open = await startEmbeddedGcs({ port: 0, allowedOrigins: [ALLOWED] });
  guarded = await startEmbeddedGcs({ port: 0, token: TOKEN });
  await storageClientFor(open.url).createBucket('site');
});
afterAll(async () => {
  await open.stop();
  await guarded.stop();
});

describe('cross-site requests', () => {
  test('a request for another Host is refused (DNS rebinding)', async () => {
    for (const host of ['evil.example:80', `evil.example:${open.port}`, '127.0.0.1:1', `127.0.0.1.evil.example:${open.port}`]) {
      const response = await raw(open, 'GET', '/storage/v1/b/site', { Host: host });
      expect({ host, status: response.status }).toEqual({ host, status: 403 });
    }
    // No Host at all: Node's HTTP server already answers 400 (HTTP/1.1 requires one).
    expect((await raw(open, 'GET', '/storage/v1/b/site', { Host: '' })).status).toBe(400);
    expect((await raw(open, 'GET', '/storage/v1/b/site', { Host: `localhost:${open.port}` })).status).toBe(200);
  });

  test('a foreign Origin is refused whatever the method and content type; the bucket stays empty', async () => {
    const attempts: { method: string; path: string; headers: Record<string, string>; body: string | undefined }[] = [
      { method: 'POST', path: '/upload/storage/v1/b/site/o?uploadType=media&name=planted', headers: { 'Content-Type': 'text/plain' }, body: 'x' },
      { method: 'POST', path: '/storage/v1/b', headers: { 'Content-Type': 'text/plain' }, body: '{"name":"planted-bucket"}' },
      { method: 'GET', path: '/storage/v1/b/site/o', headers: {}, body: undefined },
      { method: 'OPTIONS', path: '/storage/v1/b/site/o', headers: { 'Access-Control-Request-Method': 'DELETE' }, body: undefined },
    ];
    for (const attempt of attempts) {
      const response = await raw(open, attempt.method, attempt.path, { ...attempt.headers, Origin: 'https://evil.example' }, attempt.body);
      expect({ path: attempt.path, status: response.status }).toEqual({ path: attempt.path, status: 403 });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 403, errors: [{ reason: 'forbidden', domain: 'global' }] } });
    }
    const noOrigin = await raw(open, 'POST', '/upload/storage/v1/b/site/o?uploadType=media&name=planted', { 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'cross-site' }, 'x');
    expect(noOrigin.status).toBe(403);
    const [files] = await storageClientFor(open.url).bucket('site').getFiles();
    expect(files).toEqual([]);
  });

  test('a JSON body must say application/json', async () => {
    const response = await raw(open, 'POST', '/storage/v1/b?project=p', { 'Content-Type': 'text/plain' }, '{"name":"text-plain-bucket"}');
    expect(response.status).toBe(400);
    expect((await raw(open, 'GET', '/storage/v1/b/text-plain-bucket', {})).status).toBe(404);
  });

  test('an allowed origin gets CORS answers', async () => {
    const preflight = await raw(open, 'OPTIONS', '/storage/v1/b/site/o', { Origin: ALLOWED, 'Access-Control-Request-Method': 'GET' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED);
    const list = await raw(open, 'GET', '/storage/v1/b/site/o', { Origin: ALLOWED });
    expect(list.status).toBe(200);
    expect(list.headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});

describe('a bearer token', () => {
  test('requests without it, or with another, are 401', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const response = await raw(guarded, 'GET', '/storage/v1/b?project=p', authorization ? { Authorization: authorization } : {});
      expect({ authorization, status: response.status }).toEqual({ authorization, status: 401 });
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 401, errors: [{ reason: 'required' }] } });
    }
  });

  test('the real client with the token works; without it, it is refused', async () => {
    const storage = storageClientFor(guarded.url, TOKEN);
    const [bucket] = await storage.createBucket('tokened');
    await bucket.file('resumable.txt').save('with token');
    await bucket.file('multipart.txt').save('with token', { resumable: false });
    const [content] = await bucket.file('resumable.txt').download();
    expect(content.toString()).toBe('with token');
    await expect(storageClientFor(guarded.url).bucket('tokened').getFiles()).rejects.toMatchObject({ code: 401 });
    await expect(storageClientFor(guarded.url, 'not-the-token').bucket('tokened').file('resumable.txt').download()).rejects.toThrow();
  });
});
