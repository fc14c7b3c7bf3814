/**
 * The embedded BigQuery for tests: a fresh in-memory server on an ephemeral loopback port and a
 * real @google-cloud/bigquery client pointed at it (project `landform-local`).
 *
 * The client is configured through options, not process.env: `apiEndpoint` (requests go to
 * `<url>/bigquery/v2/...`, uploads to `<url>/upload/bigquery/v2/...`) and an OAuth2 client holding
 * the server's token, so no test touches Google or another test's environment. Every test server
 * has a random token, so the whole suite runs with authentication on. Child processes (Dataform
 * CLI, the loader CLI) get `env` instead, which gets the token from the metadata server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { generateToken, startEmbeddedBigQuery, type EmbeddedBigQuery, type EmbeddedBigQueryOptions } from '@landform/embedded-bigquery';

export const TEST_PROJECT_ID = 'landform-local';

export interface TestBigQuery {
  bigquery: BigQuery;
  server: EmbeddedBigQuery;
  /** Variables for a child process that should use this server (BIGQUERY_EMULATOR_HOST, GCE_METADATA_HOST, ...). */
  env: Record<string, string>;
  /** The bearer token the server requires (undefined when started with `token: undefined`). */
  token: string | undefined;
  stop(): Promise<void>;
}

/**
 * A real BigQuery client for an embedded server at `url`, sending `token`; without one it asks the
 * server's metadata endpoint for the token, as google-auth-library does for a child process.
 */
export function bigQueryClientFor(url: string, projectId = TEST_PROJECT_ID, token?: string): BigQuery {
  const authClient = new OAuth2Client();
  if (token !== undefined) {
    authClient.setCredentials({ access_token: token, expiry_date: Date.now() + 24 * 3600 * 1000 });
  } else {
    authClient.refreshHandler = async () => {
      const response = await fetch(`${url}/computeMetadata/v1/instance/service-accounts/default/token`, { headers: { 'Metadata-Flavor': 'Google' } });
      if (!response.ok) throw new Error(`metadata token endpoint of ${url} answered ${response.status}`);
      const body = (await response.json()) as { access_token: string; expires_in: number };
      return { access_token: body.access_token, expiry_date: Date.now() + body.expires_in * 1000 };
    };
  }
  return new BigQuery({ projectId, apiEndpoint: url, location: 'US', authClient });
}

/** A test server with a random token (pass `token: undefined` explicitly for one without). */
export async function startTestBigQuery(options: Omit<EmbeddedBigQueryOptions, 'port'> = {}): Promise<TestBigQuery> {
  const token = 'token' in options ? options.token : generateToken();
  const server = await startEmbeddedBigQuery({ port: 0, dataPath: ':memory:', ...options, ...(token !== undefined ? { token } : {}) });
  return {
    bigquery: bigQueryClientFor(server.url, TEST_PROJECT_ID, token),
    server,
    env: server.env,
    token,
    stop: () => server.stop(),
  };
}

/** An embedded BigQuery with one dataset and a scratch directory, for suites that load files. */
export interface LoadFixture extends TestBigQuery {
  dir: string;
}

export async function startLoadFixture(datasetId: string, dirPrefix: string): Promise<LoadFixture> {
  const bq = await startTestBigQuery();
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  await bq.bigquery.createDataset(datasetId);
  return {
    ...bq,
    dir,
    stop: async () => {
      await bq.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The headers a raw HTTP request to a test server needs: its bearer token. */
export function authHeaders(bq: Pick<TestBigQuery, 'token'>): Record<string, string> {
  return bq.token === undefined ? {} : { Authorization: `Bearer ${bq.token}` };
}
