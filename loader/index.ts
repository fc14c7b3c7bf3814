/**
 * The loader's public surface. A run lands each selected table contract as one batch:
 * source (Postgres snapshot) → stage (files + manifest) → publish (load job + one transaction) → lineage.
 */
import { createLogger, type Logger } from '../common/logger.js';
import { loadContracts, type ContractSet, type LoadedContract, type TableContract } from '../contracts/schema/index.js';
import { LoaderConfigError, resolveConfig, type LoaderConfig, type ResolvedConfig } from './config.js';
import { listRecentBatches, readWatermark, type BatchStatusRow } from './lineage/export-batches.js';
import type { BatchResult } from './load-table.js';
import { createProgress } from './progress.js';
import type { BigQueryTarget } from './publish/bigquery-target.js';
import { datasetColumns, ensureRawTables } from './publish/raw-layer.js';
import { EXPORT_BATCHES_TABLE } from './publish/raw-schema.js';
import { ReadinessError, bigQueryProblems, bigQueryUnreachable, probeBigQuery, sourceProblems } from './readiness.js';
import { runTableUnderLease } from './lease-run.js';
import { tablesOfTask, taskShardFromEnv } from './shard.js';
import { sourceClient } from './source/pg-client.js';
import { estimateRows, planExtraction } from './source/extract.js';
import { planWindow, windowStart } from './source/window.js';
import { createGcsStage } from './stage/gcs-stage.js';
import { LocalStage } from './stage/local-stage.js';
import type { Stage } from './stage/stage.js';

export type { LoaderConfig, LoaderHooks, StageConfig } from './config.js';
export type { BatchResult } from './load-table.js';
export type { BatchStatusRow } from './lineage/export-batches.js';
export { LoaderConfigError } from './config.js';
export { ReadinessError } from './readiness.js';
export { DEFAULT_TIMEOUTS, type LoaderTimeouts } from './timeouts.js';
export { classifyError, withRetry } from './retry.js';

interface Prepared {
  config: ResolvedConfig;
  set: ContractSet;
  tables: LoadedContract<TableContract>[];
  target: BigQueryTarget;
  logger: Logger;
}

async function prepare(input: LoaderConfig, needs = { database: true }): Promise<Prepared> {
  const config = resolveConfig(input, needs);
  // The client sends API requests with a 60 s timeout and uploads with none; give it the configured
  // one unless the caller chose its own (uploads get a watchdog in load-stage.ts).
  if (config.bigquery.timeout === undefined) config.bigquery.timeout = config.timeoutsMs.requestMs;
  const logger = config.logger ?? createLogger('loader');
  const set = await loadContracts(config.contractsDir);
  const known = set.tables.map((t) => t.contract.name);
  const unknown = (config.tables ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new LoaderConfigError('tables', `names unknown table contracts: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const tables = config.tables && config.tables.length > 0 ? set.tables.filter((t) => config.tables?.includes(t.contract.name)) : set.tables;
  const target: BigQueryTarget = {
    bigquery: config.bigquery,
    projectId: config.projectId,
    dataset: config.rawDataset,
    logger,
    ...(config.location ? { location: config.location } : {}),
    ...(config.retry ? { retry: config.retry } : {}),
    timeouts: config.timeoutsMs,
  };
  return { config, set, tables, target, logger };
}

async function createStage(config: ResolvedConfig): Promise<Stage> {
  return config.stage.kind === 'local' ? new LocalStage(config.stage.dir) : createGcsStage(config.stage.bucket, config.projectId, config.timeoutsMs.requestMs, config.stage.apiEndpoint);
}

/** Datasets, raw tables, export_batches and quarantine from the contracts (idempotent). */
export async function ensureRawLayer(input: LoaderConfig): Promise<void> {
  const { target, set } = await prepare(input, { database: false });
  await ensureRawTables(target, set.tables.map((t) => t.contract));
}

/**
 * Every problem with the source and BigQuery, found before anything is created: Postgres's
 * (reachable, tables, columns, types) listed first, then whether BigQuery answers at all within the
 * readiness budget (both checked at once); with `existing`, also whether the raw dataset and
 * tables are there.
 */
async function readinessProblems(prepared: Prepared, existing: boolean): Promise<{ problems: string[]; datasetExists?: boolean; columns?: Map<string, Set<string>> | null }> {
  const { config, set, tables, target } = prepared;
  // Once BigQuery has answered with the dataset, its tables' columns are read (read only) while the
  // source's checks still run, for ensureRawTables after them.
  const [problems, probe] = await Promise.all([
    sourceProblems(config.databaseUrl, tables, set.telemetry.contract, config.timeoutsMs),
    probeBigQuery(target, config.timeoutsMs.readinessMs).then(async (answer) => ({ answer, columns: !existing && 'datasetExists' in answer && answer.datasetExists ? await datasetColumns(target) : undefined })),
  ]);
  if ('problem' in probe.answer) return { problems: [...problems, probe.answer.problem] };
  if (existing) problems.push(...(await bigQueryProblems(target, tables)));
  return { problems, datasetExists: probe.answer.datasetExists, ...(probe.columns !== undefined ? { columns: probe.columns } : {}) };
}

/** Throws ReadinessError listing every problem with the source, the contracts or the raw dataset. */
export async function checkReadiness(input: LoaderConfig): Promise<void> {
  const { problems } = await readinessProblems(await prepare(input), true);
  if (problems.length > 0) throw new ReadinessError(problems);
}

/**
 * Lands every selected table, one batch each, in contract order, each under its lease (a table
 * another run is loading is skipped, with the holder named). Never throws for a failed batch: see
 * each result's status. Throws ReadinessError before creating anything when the source or BigQuery
 * is not ready.
 */
export async function runLoad(input: LoaderConfig): Promise<BatchResult[]> {
  const all = await prepare(input);
  // A Cloud Run job's task loads only the tables it owns (loader/shard.ts); alone, all of them.
  const shard = taskShardFromEnv(process.env);
  const prepared = { ...all, tables: tablesOfTask(all.tables, (t) => t.contract.name, shard) };
  const { config, set, tables, target, logger } = prepared;
  if (shard.count > 1) logger.info({ task: shard.index, tasks: shard.count, tables: tables.map((t) => t.contract.name) }, 'tables of this task');
  const early = await readinessProblems(prepared, false);
  if (early.problems.length > 0) throw new ReadinessError(early.problems);
  // Creates or confirms the dataset (the readiness probe may have seen it), the lineage tables and
  // every contract's raw table (a superset of this run's), or throws: after it, nothing
  // bigQueryProblems checks can be missing.
  await ensureRawTables(target, set.tables.map((t) => t.contract), early.datasetExists ? { datasetExists: true, ...(early.columns !== undefined ? { columns: early.columns } : {}) } : {});
  const stage = await createStage(config);
  const progress = await createProgress(config.progress ?? false);
  const results: BatchResult[] = [];
  try {
    for (const table of tables) {
      const ctx = { config, target, stage, logger, progress };
      results.push(await runTableUnderLease(ctx, table, table.contract.metrics_contract ? set.telemetry.contract : undefined));
    }
  } finally {
    progress.stop();
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  logger.info({ tables: results.length, failed, skipped, rows: results.reduce((n, r) => n + r.rowsLoaded, 0) }, 'load run finished');
  return results;
}

export interface TablePlan {
  table: string;
  mode: string;
  window: string;
  watermarkFrom: string | null;
  estimatedRows: number;
}

/** Dry run: per table, where the window starts and the planner's row estimate. Reads only. */
export async function planLoad(input: LoaderConfig): Promise<TablePlan[]> {
  const { config, set, tables, target } = await prepare(input);
  const [batchesExist] = await target.bigquery.dataset(target.dataset).table(EXPORT_BATCHES_TABLE).exists().catch(() => [false]);
  const client = sourceClient(config.databaseUrl, config.timeoutsMs);
  await client.connect();
  try {
    const plans: TablePlan[] = [];
    for (const { contract } of tables) {
      const incremental = contract.load.mode !== 'full_refresh' && !config.backfill;
      const watermark = incremental && batchesExist ? await readWatermark(target, contract.name) : null;
      const window = planWindow(contract, watermark, { safetyLagSeconds: config.safetyLagSeconds, ...(config.backfill ? { backfill: config.backfill } : {}) });
      const plan = await planExtraction(client, contract, contract.metrics_contract ? set.telemetry.contract : undefined, window, '', config.maxRowBytes ? { maxRowBytes: config.maxRowBytes } : {});
      plans.push({ table: contract.name, mode: contract.load.mode, window: window.kind, watermarkFrom: windowStart(window), estimatedRows: await estimateRows(client, plan) });
    }
    return plans;
  } finally {
    await client.end();
  }
}

/** The newest batches per table from export_batches. Reads only BigQuery: `databaseUrl` may be empty. */
export async function loadStatus(input: LoaderConfig, perTable = 3): Promise<BatchStatusRow[]> {
  const { config, target } = await prepare(input, { database: false });
  const unreachable = await bigQueryUnreachable(target, config.timeoutsMs.readinessMs);
  if (unreachable) throw new ReadinessError([unreachable]);
  return listRecentBatches(target, perTable);
}
