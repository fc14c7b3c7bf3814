/**
 * `landform token` and `landform serve` as a person runs them (`node bin/landform.js ...`): a token
 * from the state directory's key, `serve --demo` on a prepared data directory answering it over
 * HTTP and stopping on SIGTERM, readiness and configuration failures as one line with exit 2, and
 * the demo's two curl lines.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { startEmbeddedBigQuery } from '@landform/embedded-bigquery';
import { localKeyFile } from '../../api/auth/local-key.js';
import { demoCurlLines } from '../../api/demo-curl.js';
import { bigQueryClientFor } from '../support/embedded-bigquery.js';
import { createFixtureMarts } from './support/fixture-marts.js';

let home = '';
let empty = '';
const baseEnv = (dir: string): NodeJS.ProcessEnv => ({ ...process.env, LANDFORM_HOME: dir, DATABASE_URL: '', GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '', LANDFORM_LOG_LEVEL: 'warn' });

function landform(args: string[], env: NodeJS.ProcessEnv = baseEnv(home)): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/landform.js', ...args], { encoding: 'utf8', timeout: 90_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function publicKey(dir: string): Promise<JWK> {
  return (JSON.parse(await readFile(localKeyFile(dir), 'utf8')) as { publicJwk: JWK }).publicJwk;
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'landform-serve-'));
  empty = await mkdtemp(path.join(tmpdir(), 'landform-serve-empty-'));
  // The demo's warehouse directory with the fixture marts in it, as `npm start` would leave it.
  const dataDir = path.join(home, 'bigquery');
  await mkdir(dataDir, { recursive: true });
  const server = await startEmbeddedBigQuery({ port: 0, dataPath: dataDir, projectId: 'landform-local', location: 'US' });
  try {
    await createFixtureMarts(bigQueryClientFor(server.url));
  } finally {
    await server.stop();
  }
}, 120_000);

afterAll(async () => {
  for (const dir of [home, empty]) if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('landform token', () => {
  test('prints a JWT signed by a key only the state directory holds', async () => {
    const { code, stdout } = landform(['token', '--role', 'vendor', '--store', 'vendor-a', '--ttl', '600']);
    expect(code).toBe(0);
    const token = stdout.trim();
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet({ keys: [await publicKey(home)] }), { issuer: 'landform-local', audience: 'landform-api' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ role: 'vendor', store_id: 'vendor-a', sub: 'local-vendor-vendor-a' });
    expect((payload.exp as number) - (payload.iat as number)).toBe(600);
    expect((await stat(localKeyFile(home))).mode & 0o777).toBe(0o600);
  });

  test('a vendor token needs a store, and the role must be known: exit 2', () => {
    expect(landform(['token', '--role', 'vendor'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--store') });
    expect(landform(['token', '--role', 'root']).code).not.toBe(0);
  });
});

describe('landform serve', () => {
  test('--demo answers a token from `landform token` and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/landform.js', 'serve', '--demo', '--port', '0'], { env: baseEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^ready (http:\/\/127\.0\.0\.1:\d+) /m.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    try {
      const vendor = landform(['token', '--role', 'vendor', '--store', 'vendor-a']).stdout.trim();
      const response = await fetch(`${url}/api/v1/vendor/analytics?preset=7d`, { headers: { authorization: `Bearer ${vendor}` } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { store_id: string }).store_id).toBe('vendor-a');
      expect((await fetch(`${url}/api/v1/admin/analytics`, { headers: { authorization: `Bearer ${vendor}` } })).status).toBe(403);
      expect((await fetch(`${url}/api/v1/admin/analytics`)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('SIGTERM, stopping');
  }, 120_000);

  test('on an empty warehouse it refuses to start, naming what is missing, exit 2', () => {
    const { code, stdout, stderr } = landform(['serve', '--demo', '--port', '0'], baseEnv(empty));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^landform serve: not ready: dataset landform-local\.landform_marts does not exist \(.*\)$/);
  });

  test('with local tokens it binds to loopback only, exit 2', () => {
    const { code, stderr } = landform(['serve', '--demo', '--port', '0', '--host', '0.0.0.0'], baseEnv(empty));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('--host 0.0.0.0 is not a loopback address; with local tokens the server binds to 127.0.0.1, ::1 or localhost only');
  });

  test('outside embedded defaults it needs a token issuer configured, exit 2', () => {
    const { code, stderr } = landform(['serve', '--port', '0'], { ...baseEnv(empty), GOOGLE_CLOUD_PROJECT: 'my-project-123' });
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^LANDFORM_API_JWKS_URL or LANDFORM_API_PUBLIC_KEY is required outside embedded defaults/);
  });
});

describe('the demo curl lines', () => {
  test('a vendor and an admin call with fresh local tokens', async () => {
    const lines = await demoCurlLines(home);
    expect(lines).toHaveLength(2);
    const jwks = createLocalJWKSet({ keys: [await publicKey(home)] });
    const expected = [
      ['/api/v1/vendor/analytics?preset=7d', { role: 'vendor', store_id: 'vendor-001' }],
      ['/api/v1/admin/analytics?preset=7d', { role: 'admin' }],
    ] as const;
    for (const [i, [route, claims]] of expected.entries()) {
      const match = /^curl -s -H 'Authorization: Bearer ([\w.-]+)' '(http:\/\/127\.0\.0\.1:8080)(\S+)'$/.exec(lines[i] as string);
      expect(match?.[2]).toBe('http://127.0.0.1:8080');
      expect(match?.[3]).toBe(route);
      expect((await jwtVerify(match?.[1] as string, jwks, { issuer: 'landform-local', audience: 'landform-api' })).payload).toMatchObject(claims);
    }
  });
});
