/**
 * `landform test`'s engine: finds every `*.test.yaml` under definitions/, checks each against the
 * compiled graph and the raw schemas, and runs them round by round (every model of a round in the
 * same `dataform run`s), each round on its own scratch embedded BigQuery.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { loadContracts } from '../contracts/schema/index.js';
import type { TableOptions } from '../loader/publish/raw-schema.js';
import { compileGraph, type CompiledModel } from './graph.js';
import { planRounds, type Round } from './plan.js';
import { runRound, type CaseResult } from './round.js';
import { startScratchWarehouse } from './scratch.js';
import { loadTestFile, TestFileError, TEST_FILE_SUFFIX, type ModelTestCase } from './spec.js';
import { checkRows, rawTableCatalog } from './tables.js';

export interface ModelTestOptions {
  projectDir: string;
  /** Only these models' tests (default: every test file). */
  models?: string[];
  onResult?: (result: CaseResult) => void;
  onDataformRun?: (label: string, seconds: number) => void;
}

export interface ModelTestRun {
  results: CaseResult[];
  files: string[];
  rounds: number;
  seconds: number;
}

/** Test files under definitions/, as project-relative paths, sorted. */
export async function findTestFiles(projectDir: string): Promise<string[]> {
  const root = path.join(projectDir, 'definitions');
  const entries = await readdir(root, { recursive: true });
  return entries.filter((e) => e.endsWith(TEST_FILE_SUFFIX)).map((e) => path.join('definitions', e).split(path.sep).join('/')).sort();
}

function checkCase(c: ModelTestCase, models: Map<string, CompiledModel>, rawTables: Map<string, TableOptions>): void {
  const model = models.get(c.model);
  if (!model) throw new TestFileError(c.file, 'model', `no table named ${c.model} in the compiled project`);
  if (model.type === 'view') throw new TestFileError(c.file, 'model', `${c.model} is a view: test it with a Dataform type: "test" file`);
  if (model.type === 'table' && c.expect.incremental) {
    throw new TestFileError(c.file, `${c.field}.expect.incremental`, `${c.model} is a table, rebuilt whole on every run (no incremental path): give its rows under full_refresh`);
  }
  for (const dependency of model.dependencies) {
    const options = rawTables.get(dependency.name);
    if (!options) throw new TestFileError(c.file, 'model', `${c.model} reads ${dependency.schema}.${dependency.name}, which is no raw table the contracts describe`);
  }
  for (const [name, rows] of c.inputs) {
    if (!model.dependencies.some((d) => d.name === name)) {
      throw new TestFileError(c.file, `${c.field}.inputs.${name}`, `${c.model} does not read ${name} (it reads ${model.dependencies.map((d) => d.name).join(', ')})`);
    }
    checkRows(c.file, `${c.field}.inputs.${name}.rows`, rows, (rawTables.get(name) as TableOptions).schema.fields, `landform_raw.${name}`);
  }
}

/** Throws TestFileError for a broken test file, before anything runs; a difference is a failed result, not an error. */
export async function runModelTests(options: ModelTestOptions): Promise<ModelTestRun> {
  const started = Date.now();
  const files = await findTestFiles(options.projectDir);
  const cases: ModelTestCase[] = [];
  for (const file of files) cases.push(...(await loadTestFile(path.join(options.projectDir, file), file)));
  const wanted = options.models === undefined ? cases : cases.filter((c) => options.models?.includes(c.model));
  const unknown = (options.models ?? []).filter((m) => !cases.some((c) => c.model === m));
  if (unknown.length > 0) throw new Error(`no test file for ${unknown.join(', ')} (looked for definitions/**/<model>${TEST_FILE_SUFFIX})`);

  const [{ models }, contracts] = await Promise.all([compileGraph(options.projectDir, process.env), loadContracts(path.join(options.projectDir, 'contracts'))]);
  const rawTables = rawTableCatalog(contracts);
  for (const c of wanted) checkCase(c, models, rawTables);

  const rounds = planRounds(wanted);
  const perRound = rounds.map(() => [] as CaseResult[]);
  const done = rounds.map(() => false);
  let emitted = 0;
  // Results are passed on in round order, so the output is the same every time.
  const flush = () => {
    while (emitted < rounds.length && done[emitted]) perRound[emitted++]?.forEach((r) => options.onResult?.(r));
  };
  const runOne = async (i: number) => {
    const warehouse = await startScratchWarehouse(options.projectDir);
    try {
      await runRound({
        projectDir: options.projectDir, warehouse, models, rawTables,
        onResult: (r) => perRound[i]?.push(r),
        onDataformRun: (label, seconds) => options.onDataformRun?.(label, seconds),
      }, rounds[i] as Round);
    } finally {
      await warehouse.stop();
      done[i] = true;
      flush();
    }
  };
  // Rounds are independent (each its own scratch server); two at a time keep a 2-core machine busy
  // while one waits on its CLI's compile. Every round ends (and stops its server) before an error is thrown.
  let next = 0;
  const worker = async () => {
    while (next < rounds.length) await runOne(next++);
  };
  const settled = await Promise.allSettled([worker(), worker()]);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  const results = perRound.flat();
  return { results, files, rounds: rounds.length, seconds: (Date.now() - started) / 1000 };
}
