/**
 * Authentication and role checks over real HTTP: tokens signed and verified with jose against the
 * local key, a PEM public key and a JWKS served from a loopback HTTP server. Every way a token can
 * be missing, expired, tampered, unsigned, foreign or for the wrong role.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { startTestApi, type TestApi } from './support/api-server.js';
import { localPrivateKey, sign, unsignedToken, withPayload } from './support/tokens.js';

const ADMIN = '/api/v1/admin/analytics?preset=7d';
const VENDOR = '/api/v1/vendor/analytics?preset=7d';
const EVENTS = '/api/v1/events/recent?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
}

async function problemOf(response: Response): Promise<ProblemBody> {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const body = (await response.json()) as ProblemBody;
  // Nothing but the problem members: no stack, no SQL, no driver message.
  expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'status', 'title', 'type']);
  expect(body.detail).not.toMatch(/\bat .*\.(ts|js):\d+|select |from `/i);
  return body;
}

describe('local key (embedded defaults)', () => {
  let api: TestApi;
  let local: Awaited<ReturnType<typeof localPrivateKey>>;
  beforeAll(async () => {
    api = await startTestApi();
    local = await localPrivateKey(api.stateDir);
  });
  afterAll(async () => api?.stop());

  test('a valid admin token reads the admin route', async () => {
    const response = await api.get(ADMIN, await api.token({ role: 'admin' }));
    expect(response.status).toBe(200);
  });

  test.each([
    ['no Authorization header', undefined],
    ['a Basic header', 'Basic YWRtaW46YWRtaW4='],
    ['Bearer without a JWT', 'Bearer not-a-token'],
    ['an empty bearer', 'Bearer '],
  ])('401 for %s', async (_what, header) => {
    const response = await fetch(`${api.url}${ADMIN}`, { headers: header ? { authorization: header } : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect((await problemOf(response)).status).toBe(401);
  });

  test('401 for an expired token', async () => {
    const expired = await sign(local.key, { role: 'admin' }, { kid: local.kid, expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const body = await problemOf(await api.get(ADMIN, expired));
    expect(body).toMatchObject({ status: 401, detail: 'the token has expired' });
  });

  test('401 for a vendor token whose payload was edited to say admin', async () => {
    const vendor = await api.token({ role: 'vendor', storeId: 'vendor-a' });
    expect((await api.get(ADMIN, withPayload(vendor, { role: 'admin' }))).status).toBe(401);
    // The store claim cannot be swapped either.
    expect((await api.get(VENDOR, withPayload(vendor, { store_id: 'vendor-b' }))).status).toBe(401);
  });

  test('401 for an unsigned token (alg: none)', async () => {
    expect((await api.get(ADMIN, unsignedToken({ role: 'admin' }))).status).toBe(401);
  });

  test('401 for an HMAC token keyed with the public key', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(local.publicJwk));
    expect((await api.get(ADMIN, await sign(secret, { role: 'admin' }, { alg: 'HS256', kid: local.kid }))).status).toBe(401);
  });

  test('401 for a wrong issuer, a wrong audience, a missing subject, a foreign key', async () => {
    const issuer = await sign(local.key, { role: 'admin' }, { kid: local.kid, issuer: 'https://evil.example' });
    const audience = await sign(local.key, { role: 'admin' }, { kid: local.kid, audience: 'another-api' });
    const noSubject = await sign(local.key, { role: 'admin' }, { kid: local.kid, subject: null });
    const foreign = await sign((await generateKeyPair('ES256')).privateKey, { role: 'admin' }, { kid: local.kid });
    for (const token of [issuer, audience, noSubject, foreign]) expect((await api.get(ADMIN, token)).status).toBe(401);
  });

  test('403 for a role the server does not know, or none', async () => {
    for (const claims of [{ role: 'superuser' }, {}, { role: ['admin'] }]) {
      const token = await sign(local.key, claims, { kid: local.kid });
      expect((await problemOf(await api.get(ADMIN, token))).status).toBe(403);
    }
  });

  test('403 for a vendor token without a usable store claim', async () => {
    for (const claims of [{ role: 'vendor' }, { role: 'vendor', store_id: "x' or '1'='1" }, { role: 'vendor', store_id: 42 }]) {
      const token = await sign(local.key, claims, { kid: local.kid });
      expect((await api.get(VENDOR, token)).status).toBe(403);
    }
  });

  test('403 for every route a role may not use', async () => {
    const vendor = await api.token({ role: 'vendor', storeId: 'vendor-a' });
    const admin = await api.token({ role: 'admin' });
    const analyst = await api.token({ role: 'analyst' });
    const cases: [string, string][] = [
      [ADMIN, vendor], [ADMIN, analyst], [VENDOR, admin], [VENDOR, analyst], [EVENTS, vendor],
      ['/api/v1/entities/trending', vendor], ['/api/v1/risk/trends?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z', vendor],
    ];
    for (const [route, token] of cases) expect({ route, status: (await api.get(route, token)).status }).toEqual({ route, status: 403 });
    const post = await fetch(`${api.url}/api/v1/admin/exports/run`, { method: 'POST', headers: { authorization: `Bearer ${analyst}` } });
    expect(post.status).toBe(403);
  });

  test('authentication comes before validation: a bad parameter without a token is a 401', async () => {
    expect((await api.get('/api/v1/admin/analytics?preset=1y')).status).toBe(401);
  });

  test('the public routes need no token', async () => {
    for (const route of ['/healthz', '/readyz', '/openapi.json']) expect((await api.get(route)).status).toBe(200);
  });
});

describe('PEM public key from configuration', () => {
  let api: TestApi;
  let privateKey: KeyObject;
  beforeAll(async () => {
    // A Node KeyObject signs with any RSA algorithm, so the test can present the right key under the wrong one.
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = pair.privateKey;
    api = await startTestApi({
      env: { LANDFORM_API_PUBLIC_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), LANDFORM_API_ISSUER: 'https://idp.example/', LANDFORM_API_AUDIENCE: 'landform' },
    });
  });
  afterAll(async () => api?.stop());

  const claims = { role: 'admin' };
  const good = { alg: 'RS256', issuer: 'https://idp.example/', audience: 'landform' };

  test('accepts RS256 tokens from that issuer for that audience', async () => {
    expect((await api.get(ADMIN, await sign(privateKey, claims, good))).status).toBe(200);
  });

  test('rejects the local key once a real key is configured, and another algorithm with the right key', async () => {
    expect((await api.get(ADMIN, await api.token({ role: 'admin' }))).status).toBe(401);
    expect((await api.get(ADMIN, await sign(privateKey, claims, { ...good, alg: 'PS256' }))).status).toBe(401);
    expect((await api.get(ADMIN, await sign(privateKey, claims, { ...good, alg: 'RS512' }))).status).toBe(401);
    expect((await api.get(ADMIN, await sign(privateKey, claims, { ...good, issuer: 'landform-local' }))).status).toBe(401);
  });
});

describe('JWKS URL and configurable claim names', () => {
  let api: TestApi;
  let jwks: Server;
  let privateKey: CryptoKey;
  const issuer = 'https://tenant.auth.example/';
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    const body = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] });
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    api = await startTestApi({
      env: {
        LANDFORM_API_JWKS_URL: url, LANDFORM_API_ISSUER: issuer, LANDFORM_API_AUDIENCE: 'landform',
        LANDFORM_API_ROLE_CLAIM: 'https://landform.example/role', LANDFORM_API_STORE_CLAIM: 'https://landform.example/store',
      },
    });
  });
  afterAll(async () => {
    await api?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const opts = { kid: 'k1', issuer, audience: 'landform' };

  test('verifies against the JWKS and reads the configured claims', async () => {
    const vendor = await sign(privateKey, { 'https://landform.example/role': 'vendor', 'https://landform.example/store': 'vendor-a' }, opts);
    const response = await api.get(VENDOR, vendor);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { store_id: string }).store_id).toBe('vendor-a');
  });

  test('the default claim names mean nothing here, and an unknown kid does not verify', async () => {
    expect((await api.get(ADMIN, await sign(privateKey, { role: 'admin' }, opts))).status).toBe(403);
    expect((await api.get(ADMIN, await sign(privateKey, { 'https://landform.example/role': 'admin' }, { ...opts, kid: 'k2' }))).status).toBe(401);
  });
});
