import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (src/demo/ is two levels down). */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Where the demo keeps its state between runs: `$LANDFORM_HOME`, else `.landform/` under the repository root. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.LANDFORM_HOME;
  return home !== undefined && home !== '' ? path.resolve(home) : path.join(REPO_ROOT, '.landform');
}

export interface StatePaths {
  root: string;
  postgres: string;
  postgresConfig: string;
  bigquery: string;
  /** The embedded GCS's objects: the loader's stage bucket and the export bucket. */
  gcs: string;
  stage: string;
  report: string;
  demoState: string;
  dataformCredentials: string;
  lastRun: string;
}

export function statePaths(root: string): StatePaths {
  return {
    root,
    postgres: path.join(root, 'postgres'),
    postgresConfig: path.join(root, 'postgres.json'),
    bigquery: path.join(root, 'bigquery'),
    gcs: path.join(root, 'gcs'),
    stage: path.join(root, 'stage'),
    report: path.join(root, 'report', 'index.html'),
    demoState: path.join(root, 'demo-state.json'),
    dataformCredentials: path.join(root, 'df-credentials.json'),
    lastRun: path.join(root, 'last-run.json'),
  };
}
