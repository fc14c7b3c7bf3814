/**
 * A real API server for tests: an embedded BigQuery (in memory) with the fixture marts, the server
 * listening on an ephemeral loopback port, and tokens minted with the local key of a scratch state dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { createLogger } from '../../../common/logger.js';
import { ensureLocalKey, mintLocalToken, type LocalTokenRequest } from '../../../api/auth/local-key.js';
import { apiConfigFromEnv, type ApiConfig } from '../../../api/config.js';
import { startApi, type ApiServerOptions, type RunningApi } from '../../../api/server.js';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { FIXTURE_NOW, createFixtureMarts } from './fixture-marts.js';

export interface TestApi {
  url: string;
  api: RunningApi;
  bq: TestBigQuery;
  stateDir: string;
  token(request: LocalTokenRequest): Promise<string>;
  get(pathAndQuery: string, token?: string, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export interface TestApiOptions {
  env?: NodeJS.ProcessEnv;
  config?: Partial<ApiConfig>;
  server?: Partial<ApiServerOptions>;
  /** An existing warehouse (e.g. the demo's); fixture marts otherwise. */
  bigquery?: BigQuery;
  now?: Date;
}

export const silentLogger = createLogger('api-test', process.env.LANDFORM_LOG_LEVEL ?? 'silent');

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'landform-api-'));
  let bq: TestBigQuery | null = null;
  let bigquery = options.bigquery;
  if (!bigquery) {
    bq = await startTestBigQuery();
    await createFixtureMarts(bq.bigquery);
    bigquery = bq.bigquery;
  }
  await ensureLocalKey(stateDir);
  const now = options.now ?? FIXTURE_NOW;
  const config = { ...apiConfigFromEnv({ env: options.env ?? {}, projectId: 'landform-local', local: { stateDir }, port: 0, now: () => now }), ...options.config };
  const api = await startApi({ config, bigquery, logger: silentLogger, ...options.server });
  return {
    url: api.url,
    api,
    bq: bq as TestBigQuery,
    stateDir,
    token: (request) => mintLocalToken(stateDir, request),
    get: (pathAndQuery, token, headers = {}) => fetch(`${api.url}${pathAndQuery}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
    stop: async () => {
      await api.close();
      await bq?.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
