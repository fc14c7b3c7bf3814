/** The parts of `dataform compile --json` the runner needs: each model's type, target, key and inputs. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dataformCliEntry } from '../demo/dataform.js';

export interface Target {
  database: string;
  schema: string;
  name: string;
}

export interface CompiledModel {
  name: string;
  type: 'table' | 'view' | 'incremental';
  target: Target;
  uniqueKey: string[];
  dependencies: Target[];
  fileName: string;
}

interface CompiledGraph {
  tables?: Array<{ type: CompiledModel['type']; target: Target; uniqueKey?: string[]; dependencyTargets?: Target[]; fileName?: string }>;
  graphErrors?: { compilationErrors?: Array<{ fileName?: string; message?: string }> };
}

export interface ProjectGraph {
  models: Map<string, CompiledModel>;
}

export async function compileGraph(projectDir: string, env: NodeJS.ProcessEnv): Promise<ProjectGraph> {
  const { stdout } = await promisify(execFile)(process.execPath, [dataformCliEntry(projectDir), 'compile', projectDir, '--json'], {
    cwd: projectDir, maxBuffer: 64 * 1024 * 1024, env: { ...env, NO_COLOR: '1' },
  }).catch((error: { stdout?: string; stderr?: string; message?: string }) => {
    throw new Error(`dataform compile failed in ${projectDir}: ${(error.stderr || error.stdout || error.message || '').slice(0, 2000)}`);
  });
  const graph = JSON.parse(stdout) as CompiledGraph;
  const [first] = graph.graphErrors?.compilationErrors ?? [];
  if (first) throw new Error(`dataform compile: ${first.fileName ?? ''}: ${first.message ?? ''}`);
  const models = new Map<string, CompiledModel>();
  for (const t of graph.tables ?? []) {
    models.set(t.target.name, {
      name: t.target.name, type: t.type, target: t.target, uniqueKey: t.uniqueKey ?? [],
      dependencies: t.dependencyTargets ?? [], fileName: t.fileName ?? '',
    });
  }
  return { models };
}
