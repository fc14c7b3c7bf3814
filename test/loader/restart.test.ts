/**
 * A BigQuery restart during a load job: the embedded BigQuery (data and job records in a directory)
 * is stopped and started again on the same port the moment the loader first polls a load job.
 * Requests meanwhile lose their connection. The same run must still succeed, with every source row landed exactly once: the loader polls on
 * through the outage, and a job the stop interrupted is loaded again (a job whose outcome is unknown
 * restarts the attempt with a fresh staging table).
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import { startEmbeddedBigQuery, generateToken, type EmbeddedBigQuery } from '@landform/embedded-bigquery';
import { runLoad } from '../../loader/index.js';
import { bigQueryClientFor } from '../support/embedded-bigquery.js';
import { rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;
let dataDir: string;
let server: EmbeddedBigQuery;
let port: number;
const token = generateToken();
const start = (at: number) => startEmbeddedBigQuery({ port: at, dataPath: dataDir, token, logger: pino({ level: 'silent' }) });

beforeAll(async () => {
  env = await startLoaderEnv();
  dataDir = await mkdtemp(path.join(tmpdir(), 'landform-restart-'));
  server = await start(0);
  port = server.port;
  await env.db.client.query(`
    insert into telemetry_readings
    select g, 'dev-' || (g % 11), timestamptz '2026-10-01T00:00:00Z' + g * interval '1 second', '{"battery_v": 12.5}', timestamptz '2026-10-01T00:00:00Z' + g * interval '1 second'
    from generate_series(1, 3000) as g;`);
});

afterAll(async () => {
  await server?.stop();
  await env?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a BigQuery restart while a load job runs', () => {
  test('the same run succeeds and lands every row exactly once', async () => {
    let restarted = false;
    let restarting: Promise<void> | undefined;
    let isDown = () => false;
    let outageRequests = 0;
    // In front of the server: the first poll of a load job triggers the restart, then goes through.
    const proxy = http.createServer((req, res) => {
      const forward = () => {
        const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}` } }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      };
      if (!restarted && req.method === 'GET' && /\/jobs\/landform_load_/.test(req.url ?? '')) {
        restarted = true;
        let up = false;
        restarting = (async () => {
          await server.stop();
          server = await start(port);
          up = true;
        })();
        isDown = () => !up;
      }
      // While it is down, every request dies with the connection, as against a real outage.
      if (isDown()) {
        outageRequests++;
        req.socket.destroy();
        return;
      }
      forward();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const client = bigQueryClientFor(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, 'landform-local', token);
      const [result] = await runLoad(env.config({ tables: ['telemetry_readings'], bigquery: client, stagePartBytes: 64 * 1024 }));
      expect(restarted).toBe(true);
      await restarting;
      expect(outageRequests).toBeGreaterThan(0);
      expect({ status: result?.status, error: result?.error, rows: result?.rowsLoaded }).toEqual({ status: 'succeeded', error: undefined, rows: 3000 });
      expect(await rawTelemetryKeys(bigQueryClientFor(server.url, 'landform-local', token))).toEqual(await sourceTelemetryKeys(env.db));
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
