/**
 * Where `landform cost` dry-runs: the demo's embedded BigQuery (its state directory, held like
 * `landform serve` holds it), or a real project through application default credentials.
 */
import { existsSync } from 'node:fs';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Logger } from '../common/logger.js';
import { projectId as checkProjectId } from '../common/identifiers.js';

export interface CostWarehouse {
  bigquery: BigQuery;
  projectId: string;
  location: string;
  describe: string;
  /** For the Dataform CLI. */
  credentialsFile: string;
  env: NodeJS.ProcessEnv;
  defaultDatabase?: string;
  /** The demo's state directory (the report lives there); null on a real project. */
  stateRoot: string | null;
  stop(): Promise<void>;
}

export async function openCostWarehouse(options: { project?: string; location?: string; env: NodeJS.ProcessEnv; logger: Logger }): Promise<CostWarehouse> {
  const { writeDataformCredentials } = await import('../demo/bigquery-target.js');
  const { stateDir, statePaths } = await import('../demo/paths.js');
  if (options.project !== undefined) {
    const { BigQuery: Client } = await import('@google-cloud/bigquery');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const projectId = checkProjectId(options.project);
    const location = options.location ?? options.env.LANDFORM_LOCATION ?? 'US';
    const credentialsFile = await writeDataformCredentials(path.join(await mkdtemp(path.join(tmpdir(), 'landform-cost-')), 'df-credentials.json'), { projectId, location });
    return {
      bigquery: new Client({ projectId, location }), projectId, location, describe: `BigQuery project ${projectId} (${location})`,
      credentialsFile, env: { ...options.env, BIGQUERY_EMULATOR_HOST: '' }, defaultDatabase: projectId, stateRoot: null, stop: async () => undefined,
    };
  }
  const paths = statePaths(stateDir(options.env));
  if (!existsSync(paths.bigquery)) {
    throw new Error(`no demo data in ${paths.bigquery}: run \`npm start\` first, or pass --project to estimate on a real BigQuery project`);
  }
  const { openLockedDemoWarehouse } = await import('../demo/locked-warehouse.js');
  let credentialsFile = '';
  const warehouse = await openLockedDemoWarehouse({
    command: 'cost', withGcs: false, env: options.env, logger: options.logger,
    prepare: async (target) => {
      credentialsFile = await writeDataformCredentials(paths.dataformCredentials, target);
    },
  });
  const { target } = warehouse;
  return {
    bigquery: target.bigquery, projectId: target.projectId, location: target.location, describe: "the demo's embedded BigQuery",
    credentialsFile, env: target.childEnv, stateRoot: paths.root, stop: () => warehouse.stop(),
  };
}
