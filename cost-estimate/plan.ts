/**
 * The actions of the next `dataform run`, with the SQL each would send: the real Dataform CLI's
 * `run --dry-run --json`, which compiles the project and reads the warehouse's state (which
 * incremental tables exist, so which take their incremental path) without running anything.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dataformCliEntry } from '../demo/dataform.js';

export type ActionKind = 'table' | 'incremental' | 'view' | 'assertion' | 'operation';

export interface PlannedAction {
  /** `dataset.name` */
  target: string;
  kind: ActionKind;
  /** One BigQuery job each, in order. */
  statements: string[];
}

interface ExecutionGraph {
  actions?: Array<{
    type?: string;
    tableType?: string;
    target?: { schema?: string; name?: string };
    tasks?: Array<{ type?: string; statement?: string }>;
  }>;
}

function kindOf(type: string | undefined, tableType: string | undefined): ActionKind {
  if (type === 'assertion') return 'assertion';
  if (type === 'operation') return 'operation';
  return tableType === 'incremental' || tableType === 'view' ? tableType : 'table';
}

/** Reads the execution graph the CLI prints. Assertions' checking tasks (`type: assertion`) are queries too. */
export function actionsOfGraph(graph: ExecutionGraph): PlannedAction[] {
  return (graph.actions ?? []).map((a) => ({
    target: `${a.target?.schema ?? ''}.${a.target?.name ?? ''}`,
    kind: kindOf(a.type, a.tableType),
    statements: (a.tasks ?? []).map((t) => t.statement ?? '').filter((s) => s.trim() !== ''),
  }));
}

export interface PlanOptions {
  projectDir: string;
  credentialsFile: string;
  env: NodeJS.ProcessEnv;
  defaultDatabase?: string;
  fullRefresh?: boolean;
  /** `--actions`: only these (dataset.name or name). */
  actions?: string[];
}

export async function planNextRun(options: PlanOptions): Promise<PlannedAction[]> {
  const args = [dataformCliEntry(options.projectDir), 'run', options.projectDir, '--credentials', options.credentialsFile, '--dry-run', '--json'];
  if (options.defaultDatabase !== undefined) args.push('--default-database', options.defaultDatabase);
  if (options.fullRefresh === true) args.push('--full-refresh');
  if (options.actions && options.actions.length > 0) args.push('--actions', ...options.actions);
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: options.projectDir, maxBuffer: 256 * 1024 * 1024, env: { ...options.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    }));
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const detail = `${e.stderr ?? ''}\n${e.stdout ?? ''}`.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`\`dataform run --dry-run --json\` failed (${detail || e.message}); check that \`npx dataform compile\` succeeds and the warehouse answers`, { cause: error });
  }
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`\`dataform run --dry-run --json\` printed no execution graph: ${stdout.trim().split('\n').slice(-3).join(' | ')}`);
  return actionsOfGraph(JSON.parse(stdout.slice(start)) as ExecutionGraph);
}
