/**
 * The loader in a child process that a test may kill (SIGKILL) at a hook: its environment for the
 * test's Postgres, embedded BigQuery, stage and contracts, and its outcome, killed or the results it
 * printed as its last line.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BatchResult } from '../../../loader/index.js';
import type { LoaderEnv } from './loader-env.js';

const run = promisify(execFile);

/** The child's environment: the test's servers and directories, the tables it loads, and `extra`. */
export function loaderChildEnv(env: LoaderEnv, tables: string[], extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: env.db.url,
    LANDFORM_TEST_BQ_URL: env.bq.server.url,
    LANDFORM_TEST_STAGE: env.stageDir,
    LANDFORM_TEST_CONTRACTS: env.contractsDir,
    LANDFORM_TEST_TABLES: tables.join(','),
    ...extra,
    NODE_OPTIONS: '',
  };
}

/** Runs `script` (under tsx) with `childEnv`: killed by SIGKILL, or the results on its last stdout line. */
export async function runLoaderChild(script: string, childEnv: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ killed: boolean; results: BatchResult[] }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { env: childEnv, timeout: timeoutMs });
    return { killed: false, results: JSON.parse(stdout.trim().split('\n').pop() || '[]') as BatchResult[] };
  } catch (error) {
    if ((error as { signal?: string }).signal === 'SIGKILL') return { killed: true, results: [] };
    throw new Error(`loader child failed: ${(error as Error).message}\n${(error as { stderr?: string }).stderr ?? ''}`, { cause: error });
  }
}
