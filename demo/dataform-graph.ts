import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dataformCliEntry } from './dataform.js';
import type { DagNode } from './report/model.js';

interface Target {
  schema: string;
  name: string;
}

interface CompiledAction {
  type?: string;
  target: Target;
  dependencyTargets?: Target[];
  parentAction?: Target;
}

interface CompiledGraph {
  tables?: CompiledAction[];
  declarations?: CompiledAction[];
  operations?: CompiledAction[];
  assertions?: CompiledAction[];
}

const id = (t: Target): string => `${t.schema}.${t.name}`;

/** The compiled graph as DAG nodes: tables, views and declarations with their edges, each with the assertions that check it. */
export function dagOf(graph: CompiledGraph): DagNode[] {
  const nodes = new Map<string, DagNode>();
  for (const d of graph.declarations ?? []) nodes.set(id(d.target), { id: id(d.target), kind: 'declaration', dependsOn: [], assertions: [] });
  for (const t of graph.tables ?? []) {
    const kind = t.type === 'view' || t.type === 'incremental' ? t.type : 'table';
    nodes.set(id(t.target), { id: id(t.target), kind, dependsOn: (t.dependencyTargets ?? []).map(id), assertions: [] });
  }
  for (const o of graph.operations ?? []) nodes.set(id(o.target), { id: id(o.target), kind: 'operation', dependsOn: (o.dependencyTargets ?? []).map(id), assertions: [] });
  for (const a of graph.assertions ?? []) {
    // An inline assertion names its table as parentAction; a cross-table one checks every table it reads.
    const checked = a.parentAction !== undefined ? [id(a.parentAction)] : (a.dependencyTargets ?? []).map(id);
    for (const target of checked) nodes.get(target)?.assertions.push(id(a.target));
  }
  for (const node of nodes.values()) node.dependsOn = node.dependsOn.filter((d) => nodes.has(d)).sort();
  return [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** `dataform compile --json` of the project (offline, no warehouse). */
export async function compileDag(projectDir: string): Promise<DagNode[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [dataformCliEntry(projectDir), 'compile', projectDir, '--json'], {
    cwd: projectDir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' },
  });
  return dagOf(JSON.parse(stdout) as CompiledGraph);
}
