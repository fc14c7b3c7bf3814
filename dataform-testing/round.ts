/**
 * One round on the scratch warehouse, with the real Dataform CLI:
 * 1. every input table of every model, created empty as the loader creates it;
 * 2. `dataform run --full-refresh --actions <models>`: each target exists with the schema, partitioning
 *    and clustering Dataform gives it (so the next run finds a table and takes the incremental path);
 * 3. the prior rows loaded into each target (or the target dropped: no prior state), the input rows
 *    into the raw tables;
 * 4. `dataform run --actions <models>`: the incremental path, compared with `expect.incremental`;
 * 5. `dataform run --full-refresh --actions <models>`, compared with `expect.full_refresh`.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryPath, sqlIdentifier } from '../common/identifiers.js';
import type { TableOptions } from '../loader/publish/raw-schema.js';
import { runDataform, type DataformAction } from '../demo/dataform.js';
import { describeDiff, diffRows, isEqual } from './compare.js';
import type { CompiledModel, Target } from './graph.js';
import { varsArgs, type Round } from './plan.js';
import type { ScratchWarehouse } from './scratch.js';
import type { ExpectedRows, ModelTestCase } from './spec.js';
import { checkRows, createTable, dropTable, ensureDatasets, loadRows, tableFields } from './tables.js';

export type Phase = 'incremental' | 'full_refresh';

export interface CaseResult {
  /** `cur_devices: <case name> (incremental)`, the name printed as `dataform test` prints one. */
  name: string;
  file: string;
  model: string;
  caseName: string;
  phase: Phase;
  passed: boolean;
  messages: string[];
}

export interface RoundContext {
  projectDir: string;
  warehouse: ScratchWarehouse;
  models: Map<string, CompiledModel>;
  rawTables: Map<string, TableOptions>;
  onResult: (result: CaseResult) => void;
  /** Each `dataform run` with its wall time, for the summary. */
  onDataformRun: (label: string, seconds: number) => void;
}

const id = (t: Target) => `${t.schema}.${t.name}`;

async function dataformRun(ctx: RoundContext, round: Round, names: string[], fullRefresh: boolean, label: string): Promise<Map<string, DataformAction>> {
  const result = await runDataform({
    command: 'run', projectDir: ctx.projectDir, credentialsFile: ctx.warehouse.credentialsFile, env: ctx.warehouse.env,
    extraArgs: ['--actions', ...names, ...(fullRefresh ? ['--full-refresh'] : []), ...varsArgs(round.vars)],
  });
  ctx.onDataformRun(label, result.seconds);
  if (result.compileErrors.length > 0) throw new Error(`dataform run (${label}): ${result.compileErrors.join('; ')}`);
  return new Map(result.actions.map((a) => [a.target, a]));
}

async function actualRows(bigquery: BigQuery, target: Target, columns: string[]): Promise<{ rows: Array<Record<string, unknown>>; types: Map<string, string> }> {
  const { fields, partitionColumn } = await tableFields(bigquery, target);
  const types = new Map(fields.map((f) => [f.name ?? '', f.type ?? 'STRING']));
  const unknown = columns.find((c) => !types.has(c));
  if (unknown !== undefined) throw new Error(`${id(target)} has no column ${unknown} (it has ${[...types.keys()].join(', ')})`);
  // A target that requires a partition filter is read whole through one that keeps every partition.
  const partitionType = partitionColumn === undefined ? undefined : types.get(partitionColumn);
  const floor = partitionType === 'DATE' ? "date '0001-01-01'" : "timestamp '0001-01-01 00:00:00+00'";
  const where = partitionColumn === undefined ? '' : ` where ${sqlIdentifier(partitionColumn)} is null or ${sqlIdentifier(partitionColumn)} >= ${floor}`;
  const select = columns.map((c) => sqlIdentifier(c, 'column')).join(', ');
  const [rows] = await bigquery.query({ query: `select ${select} from ${bigQueryPath(target.database, target.schema, target.name)}${where}`, useLegacySql: false, wrapIntegers: true });
  return { rows: rows as Array<Record<string, unknown>>, types };
}

async function judge(ctx: RoundContext, c: ModelTestCase, phase: Phase, expected: ExpectedRows, action: DataformAction | undefined): Promise<void> {
  const model = ctx.models.get(c.model) as CompiledModel;
  const report = (passed: boolean, messages: string[]) =>
    ctx.onResult({ name: `${c.model}: ${c.name} (${phase === 'incremental' ? 'incremental' : 'full refresh'})`, file: c.file, model: c.model, caseName: c.name, phase, passed, messages });
  if (action?.status !== 'succeeded') {
    report(false, [`dataform run ${action === undefined ? 'did not run' : action.status} ${id(model.target)}${action?.error ? `: ${action.error}` : ''}`]);
    return;
  }
  const { rows, types } = await actualRows(ctx.warehouse.bigquery, model.target, expected.columns);
  const diff = diffRows(expected.columns, types, expected.rows, rows, model.uniqueKey);
  report(isEqual(diff), isEqual(diff) ? [] : [`${c.file}: ${c.field}.expect.${phase}:`, ...describeDiff(diff)]);
}

async function createInputs(ctx: RoundContext, round: Round): Promise<void> {
  const inputs = round.cases.flatMap((c) => (ctx.models.get(c.model) as CompiledModel).dependencies);
  const targets = round.cases.map((c) => (ctx.models.get(c.model) as CompiledModel).target);
  await ensureDatasets(ctx.warehouse.bigquery, [...inputs, ...targets].map((t) => t.schema));
  const created = new Set<string>();
  for (const input of inputs) {
    if (created.has(id(input))) continue;
    created.add(id(input));
    await createTable(ctx.warehouse.bigquery, input, ctx.rawTables.get(input.name) as TableOptions);
  }
}

async function loadCase(ctx: RoundContext, c: ModelTestCase): Promise<void> {
  const { bigquery } = ctx.warehouse;
  const model = ctx.models.get(c.model) as CompiledModel;
  if (c.prior === undefined) {
    await dropTable(bigquery, model.target);
  } else {
    const { fields } = await tableFields(bigquery, model.target);
    checkRows(c.file, `${c.field}.prior.rows`, c.prior, fields, id(model.target));
    await loadRows(bigquery, model.target, c.prior, ctx.warehouse.dir);
  }
  for (const [name, rows] of c.inputs) {
    const input = model.dependencies.find((d) => d.name === name) as Target;
    await loadRows(bigquery, input, rows, ctx.warehouse.dir);
  }
}

export async function runRound(ctx: RoundContext, round: Round): Promise<void> {
  const names = round.cases.map((c) => c.model);
  await createInputs(ctx, round);
  const bootstrap = await dataformRun(ctx, round, names, true, 'create the targets');
  const ready: ModelTestCase[] = [];
  for (const c of round.cases) {
    const action = bootstrap.get(id((ctx.models.get(c.model) as CompiledModel).target));
    if (action?.status === 'succeeded') {
      ready.push(c);
      continue;
    }
    for (const phase of ['incremental', 'full_refresh'] as const) if (c.expect[phase]) await judge(ctx, c, phase, c.expect[phase], action);
  }
  for (const c of ready) await loadCase(ctx, c);
  for (const phase of ['incremental', 'full_refresh'] as const) {
    const cases = ready.filter((c) => c.expect[phase] !== undefined);
    if (cases.length === 0) continue;
    const actions = await dataformRun(ctx, round, cases.map((c) => c.model), phase === 'full_refresh', phase === 'incremental' ? 'incremental run' : 'full refresh');
    for (const c of cases) await judge(ctx, c, phase, c.expect[phase] as ExpectedRows, actions.get(id((ctx.models.get(c.model) as CompiledModel).target)));
  }
}
