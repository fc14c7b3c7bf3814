/** Runs the real Dataform CLI (`dataform compile --json`) and types the parts of the graph the tests read. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './load-includes.js';

export interface Target {
  schema: string;
  name: string;
  database: string;
}

export interface CompiledTable {
  type: 'table' | 'view' | 'incremental';
  target: Target;
  query: string;
  incrementalQuery?: string;
  preOps?: string[];
  incrementalPreOps?: string[];
  uniqueKey?: string[];
  tags?: string[];
  dependencyTargets?: Target[];
  bigquery?: {
    partitionBy?: string;
    clusterBy?: string[];
    partitionExpirationDays?: number;
    requirePartitionFilter?: boolean;
    updatePartitionFilter?: string;
  };
  actionDescriptor?: { description?: string; columns?: Array<{ path: string[]; description?: string }> };
}

export interface CompiledGraph {
  tables: CompiledTable[];
  assertions: Array<{ target: Target; query: string; dependencyTargets?: Target[]; parentAction?: Target }>;
  declarations: Array<{ target: Target; actionDescriptor?: CompiledTable['actionDescriptor'] }>;
  tests: Array<{ name: string; testQuery: string; expectedOutputQuery: string; fileName: string }>;
  graphErrors?: { compilationErrors?: Array<{ fileName: string; message: string }> };
}

export async function compileProject(projectDir = REPO_ROOT): Promise<CompiledGraph> {
  const cli = path.join(REPO_ROOT, 'node_modules/.bin/dataform');
  const { stdout } = await promisify(execFile)(cli, ['compile', projectDir, '--json'], { cwd: projectDir, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      throw new Error(`dataform compile failed: ${error.stderr ?? ''}${(error.stdout ?? '').slice(0, 2000)}`);
    },
  );
  return JSON.parse(stdout) as CompiledGraph;
}

export const describedColumns = (t: { actionDescriptor?: CompiledTable['actionDescriptor'] }) =>
  new Map((t.actionDescriptor?.columns ?? []).map((c) => [c.path.join('.'), c.description ?? '']));
