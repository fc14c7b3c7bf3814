/**
 * The embedded BigQuery for tests: a fresh in-memory server on an ephemeral loopback port and a
 * real @google-cloud/bigquery client pointed at it (project `landform-local`).
 *
 * The client is configured through options, not process.env: `apiEndpoint` (requests go to
 * `<url>/bigquery/v2/...`, uploads to `<url>/upload/bigquery/v2/...`) and an OAuth2 client holding
 * the embedded token, so no test touches Google or another test's environment. Child processes
 * (Dataform CLI, the loader CLI) get `env` instead, which goes through the metadata server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { OAuth2Client } from 'google-auth-library';
import { startEmbeddedBigQuery, type EmbeddedBigQuery, type EmbeddedBigQueryOptions } from '@landform/embedded-bigquery';

export const TEST_PROJECT_ID = 'landform-local';

export interface TestBigQuery {
  bigquery: BigQuery;
  server: EmbeddedBigQuery;
  /** Variables for a child process that should use this server (BIGQUERY_EMULATOR_HOST, GCE_METADATA_HOST, ...). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A real BigQuery client for an embedded server at `url`. */
export function bigQueryClientFor(url: string, projectId = TEST_PROJECT_ID): BigQuery {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'embedded', expiry_date: Date.now() + 24 * 3600 * 1000 });
  return new BigQuery({ projectId, apiEndpoint: url, location: 'US', authClient });
}

export async function startTestBigQuery(options: Omit<EmbeddedBigQueryOptions, 'port'> = {}): Promise<TestBigQuery> {
  const server = await startEmbeddedBigQuery({ port: 0, dataPath: ':memory:', ...options });
  return {
    bigquery: bigQueryClientFor(server.url),
    server,
    env: server.env,
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
