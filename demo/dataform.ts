import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';

export type ActionStatus = 'succeeded' | 'failed' | 'skipped';

/** One action of a `dataform run`, as the CLI reported it. */
export interface DataformAction {
  /** `dataset.name` */
  target: string;
  kind: 'table' | 'view' | 'incremental' | 'assertion' | 'operation' | 'other';
  status: ActionStatus;
  jobIds: string[];
  /** Wall time of its BigQuery jobs, when the warehouse reports them. */
  seconds?: number;
  error?: string;
}

export interface DataformTest {
  name: string;
  passed: boolean;
}

export interface DataformResult {
  command: 'run' | 'test';
  exitCode: number;
  seconds: number;
  actions: DataformAction[];
  tests: DataformTest[];
  /** The CLI's own output (stdout then stderr), kept for the error message when something fails. */
  output: string;
  compileErrors: string[];
}

/** The Dataform CLI's real entry point, from its package.json `bin`. */
export function dataformCliEntry(fromDir: string): string {
  const require = createRequire(path.join(fromDir, 'package.json'));
  const pkgFile = require.resolve('@dataform/cli/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.dataform;
  if (bin === undefined) throw new Error(`${pkgFile}: no "dataform" entry in bin`);
  return path.join(path.dirname(pkgFile), bin);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const SUCCESS = /^(Table created|Assertion passed|Operation completed successfully|Property graph created):\s+(\S+)(?:\s+\[(\w+)\])?/;
const FAILURE = /^(Dataset creation failed|Assertion failed|Operation failed|Property graph creation failed):\s+(\S+)(?:\s+\[(\w+)\])?/;
const SKIPPED = /^(Skipping dataset creation|Skipping assertion execution|Skipping operation execution|Skipping property graph creation):\s+(\S+)(?:\s+\[(\w+)\])?/;
const JOB_IDS = /^\s*jobId:\s*(.+)$/;
const TEST_LINE = /^(\S.*):\s+(passed|failed)\s*$/;

function kindOf(verb: string, tableType: string | undefined): DataformAction['kind'] {
  if (verb.startsWith('Assertion') || verb.includes('assertion')) return 'assertion';
  if (verb.startsWith('Operation') || verb.includes('operation')) return 'operation';
  if (tableType === 'table' || tableType === 'view' || tableType === 'incremental') return tableType;
  return verb.includes('ataset') || verb.startsWith('Table') ? 'table' : 'other';
}

/** Reads the CLI's text output (`--json` is only for dry runs): one line per finished action, then its job ids and errors. */
export function parseRunOutput(text: string): DataformAction[] {
  const actions: DataformAction[] = [];
  let last: DataformAction | undefined;
  for (const raw of text.replace(ANSI, '').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const match = SUCCESS.exec(line) ?? FAILURE.exec(line) ?? SKIPPED.exec(line);
    if (match) {
      const [, verb = '', target = '', tableType] = match;
      const status: ActionStatus = SUCCESS.test(line) ? 'succeeded' : FAILURE.test(line) ? 'failed' : 'skipped';
      last = { target, kind: kindOf(verb, tableType), status, jobIds: [] };
      actions.push(last);
      continue;
    }
    const jobs = JOB_IDS.exec(line);
    if (jobs && last) {
      last.jobIds.push(...(jobs[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
      continue;
    }
    // Errors of a failed action follow it, indented: keep the last non-SQL line as its message.
    if (last?.status === 'failed' && /^\s+\S/.test(line) && !/^\s+>/.test(line)) last.error = line.trim();
  }
  return actions;
}

export function parseTestOutput(text: string): DataformTest[] {
  const tests: DataformTest[] = [];
  for (const line of text.replace(ANSI, '').split('\n')) {
    const match = TEST_LINE.exec(line.trim());
    if (match && !/^(Table|Assertion|Operation)/.test(match[1] ?? '')) tests.push({ name: match[1] ?? '', passed: match[2] === 'passed' });
  }
  return tests;
}

function compileErrorsOf(text: string): string[] {
  const clean = text.replace(ANSI, '');
  const at = clean.indexOf('Compilation errors:');
  if (at < 0) return [];
  return clean.slice(at).split('\n').slice(1).map((l) => l.trim()).filter(Boolean).slice(0, 10);
}

/** Runs the unmodified Dataform CLI (`run` or `test`) on the project as a child process. */
export async function runDataform(options: {
  command: 'run' | 'test';
  projectDir: string;
  credentialsFile: string;
  env: NodeJS.ProcessEnv;
  defaultDatabase?: string;
  extraArgs?: string[];
  onLine?: (line: string) => void;
}): Promise<DataformResult> {
  const entry = dataformCliEntry(options.projectDir);
  const args = [entry, options.command, options.projectDir, '--credentials', options.credentialsFile];
  if (options.defaultDatabase !== undefined) args.push('--default-database', options.defaultDatabase);
  args.push(...(options.extraArgs ?? []));
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: options.projectDir, env: { ...options.env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onLine?.(line.replace(ANSI, ''));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const output = `${stdout}\n${stderr}`;
  const actions = options.command === 'run' ? parseRunOutput(output) : [];
  const tests = options.command === 'test' ? parseTestOutput(stdout) : [];
  const compileErrors = compileErrorsOf(output);
  // The CLI exits 0 on some failures (e.g. it prints compile errors and returns): judge by what it printed too.
  const failed = actions.some((a) => a.status === 'failed') || tests.some((t) => !t.passed) || compileErrors.length > 0;
  return { command: options.command, exitCode: exitCode === 0 && failed ? 1 : exitCode, seconds: (Date.now() - started) / 1000, actions, tests, output, compileErrors };
}

/** Fills each action's time from its BigQuery jobs (start to end), best effort: a missing job leaves it unset. */
export async function addJobTimes(bigquery: BigQuery, actions: DataformAction[], location: string): Promise<void> {
  await Promise.all(actions.map(async (action) => {
    let start = Infinity;
    let end = -Infinity;
    for (const id of action.jobIds) {
      try {
        const [meta] = await bigquery.job(id, { location }).getMetadata();
        const stats = (meta as { statistics?: { startTime?: string; creationTime?: string; endTime?: string } }).statistics;
        const s = Number(stats?.startTime ?? stats?.creationTime);
        const e = Number(stats?.endTime);
        if (Number.isFinite(s)) start = Math.min(start, s);
        if (Number.isFinite(e)) end = Math.max(end, e);
      } catch {
        // Timing is decoration; the action's status comes from the CLI.
      }
    }
    if (Number.isFinite(start) && Number.isFinite(end) && end >= start) action.seconds = (end - start) / 1000;
  }));
}
