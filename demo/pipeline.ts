import { mkdir, writeFile } from 'node:fs/promises';
import type { Logger } from '../common/logger.js';
import type { StageConfig } from '../loader/index.js';
import { LOCAL_STAGE_BUCKET, openBigQueryTarget, writeDataformCredentials, type BigQueryTarget } from './bigquery-target.js';
import { addJobTimes, runDataform, type DataformResult } from './dataform.js';
import { dataformProgress } from './dataform-progress.js';
import type { DemoSize } from './generate/index.js';
import { collectMartFigures, markPartialDays, type MartFigures } from './headlines.js';
import { compileDag } from './dataform-graph.js';
import { readFailedAssertions, readQuarantine } from './report-details.js';
import { countSucceededBatches, freshnessOf, readLineage } from './lineage.js';
import { REPO_ROOT, statePaths, stateDir } from './paths.js';
import { progressReporter } from './progress.js';
import { writeReportKeepingLastGood } from './report/last-good.js';
import type { LineageBatch, RunReport } from './report/model.js';
import { DemoError } from './errors.js';
import { acquireStateLock } from './state-lock.js';
import { openDemoSource, type DemoSource } from './source.js';
import type { DemoRunResult, LandedBatch } from './summary.js';

export const RAW_DATASET = 'landform_raw';

export interface DemoRunOptions {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  size?: DemoSize;
  scale?: number;
  seed?: number;
  /** Seed an external DATABASE_URL (off by default: a real database is never written unless asked). */
  seedExternal?: boolean;
  /** Dataform project directory (the repository root). */
  projectDir?: string;
  /** Skip `dataform test` (unit tests). */
  skipTests?: boolean;
  tty?: boolean;
}

/**
 * The whole main job: source Postgres (embedded or DATABASE_URL) → loader → raw layer (embedded BigQuery or
 * a GCP project) → `dataform run` → `dataform test` → mart figures → HTML report. Never throws for a failed
 * step: the result says what failed, and `ok` decides the exit code.
 */
export async function runDemo(options: DemoRunOptions): Promise<DemoRunResult> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const logger = options.logger;
  const progress = progressReporter(logger, options.tty);
  const paths = statePaths(stateDir(env));
  const projectDir = options.projectDir ?? REPO_ROOT;
  await mkdir(paths.root, { recursive: true });
  // Before anything starts: a second run on the same state would stop this one's servers.
  const lock = await acquireStateLock(paths.root, 'demo');
  if (lock.tookOverFrom !== null) {
    logger.warn({ previousOwner: lock.tookOverFrom }, `took over the state lock of landform ${lock.tookOverFrom.command} (pid ${lock.tookOverFrom.pid}), which is no longer running`);
  }
  const problems: string[] = [];
  const result: DemoRunResult = {
    ok: false, exitCode: 1, path: 'unknown', source: '', warehouse: '', seeded: null, batches: [], run: null, test: null,
    figures: { headlines: [], charts: [], missing: [] }, reportFile: null, lastGoodReportFile: null, problems, seconds: 0,
  };
  let source: DemoSource | undefined;
  let target: BigQueryTarget | undefined;
  let lineage: LineageBatch[] | null = null;
  let configurationError = false;
  const details: Pick<RunReport, 'graph' | 'quarantine' | 'assertionDetails'> = {};
  try {
    try {
      source = await openDemoSource({
        paths, env, logger, onProgress: progress, onDetail: progress.detail,
        ...(options.size !== undefined ? { size: options.size } : {}),
        ...(options.scale !== undefined ? { scale: options.scale } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.seedExternal !== undefined ? { seedExternal: options.seedExternal } : {}),
      });
      result.source = source.describe;
      result.seeded = source.seeded;
      progress('starting the warehouse');
      target = await openBigQueryTarget({ dataDir: paths.bigquery, gcsDir: paths.gcs, env, logger });
      result.warehouse = target.describe;

      // From the lineage, not from this run: a failed run must not make a warehouse with history look new.
      const previous = await countSucceededBatches(target.bigquery, target.projectId, RAW_DATASET, target.location);
      result.path = previous > 0 ? 'incremental' : 'first-load';
      // The loader draws its own bars on the terminal: this step gets a plain line.
      progress(`landing ${source.tables.length} tables (${result.path === 'first-load' ? 'first load' : 'incremental'})`, { live: false });
      result.batches = await land(source, target, stageFor(env, target, paths.stage), logger, options.tty === true);
      for (const b of result.batches.filter((x) => x.status === 'failed')) problems.push(`load of ${b.table} (batch ${b.batchId}) failed: ${b.error ?? 'no detail'}`);

      const credentials = await writeDataformCredentials(paths.dataformCredentials, target);
      progress('dataform run');
      const runProgress = dataformProgress('run', progress.detail);
      const defaultDatabase = target.kind === 'gcp' ? { defaultDatabase: target.projectId } : {};
      result.run = await runDataform({
        command: 'run', projectDir, credentialsFile: credentials, env: target.childEnv, ...defaultDatabase,
        onLine: (line) => {
          logger.debug({ dataform: line }, 'dataform');
          runProgress.line(line);
        },
      });
      await addJobTimes(target.bigquery, result.run.actions, target.location);
      noteDataformProblems(result.run, problems);
      // Compiled while the tests run: the report draws the graph and groups assertions by table with it.
      const compiled = compileDag(projectDir).catch((error: unknown) => {
        logger.debug({ err: error }, 'compiling the Dataform graph for the report failed');
        return [];
      });
      if (options.skipTests !== true) {
        progress('dataform test');
        const testProgress = dataformProgress('test', progress.detail);
        result.test = await runDataform({
          command: 'test', projectDir, credentialsFile: credentials, env: target.childEnv, ...defaultDatabase, onLine: (line) => testProgress.line(line),
        });
        noteDataformProblems(result.test, problems);
      }
      progress('reading the marts');
      result.figures = await collectMartFigures(target.bigquery, target.projectId, target.location);
      details.graph = await compiled;
      details.assertionDetails = await readFailedAssertions(target.bigquery, target.projectId, target.location, result.run.actions, details.graph);
      progress.end();
    } catch (error) {
      progress.end(true);
      problems.push((error as Error).message);
      configurationError = error instanceof DemoError && error.exitCode === 2;
      logger.debug({ err: error }, 'demo run failed');
    }
    // Read even after a failure: the report then shows what the warehouse holds, not an empty lineage.
    if (target !== undefined) {
      const warehouse = target;
      lineage = await readLineage(warehouse.bigquery, warehouse.projectId, RAW_DATASET, warehouse.location).catch((error: unknown) => {
        logger.debug({ err: error }, 'reading the lineage failed');
        return null;
      });
      details.quarantine = await readQuarantine(warehouse.bigquery, warehouse.projectId, RAW_DATASET, warehouse.location, result.batches.map((b) => b.batchId))
        .catch((error: unknown) => {
          logger.debug({ err: error }, 'reading the quarantine failed');
          return [];
        });
      markPartialDays(result.figures.charts, newestCursor(lineage ?? []));
    }
  } finally {
    await target?.stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping the embedded BigQuery and GCS failed'));
    await source?.stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping the embedded Postgres failed'));
  }
  try {
    result.ok = problems.length === 0;
    result.exitCode = result.ok ? 0 : configurationError ? 2 : 1;
    result.seconds = (Date.now() - started) / 1000;
    const written = await writeRunReport(paths.report, result, lineage, source?.tables.map((t) => t.name) ?? [], logger, details);
    result.reportFile = written.reportFile;
    result.lastGoodReportFile = written.lastGoodFile;
    await writeFile(paths.lastRun, `${JSON.stringify({ ...result, run: summarize(result.run), test: summarize(result.test) }, null, 2)}\n`).catch(() => undefined);
  } finally {
    await lock.release();
  }
  return result;
}

function summarize(run: DataformResult | null): Omit<DataformResult, 'output'> | null {
  if (run === null) return null;
  const rest: Partial<DataformResult> = { ...run };
  delete rest.output;
  return rest as Omit<DataformResult, 'output'>;
}

function noteDataformProblems(run: DataformResult, problems: string[]): void {
  for (const a of run.actions.filter((x) => x.status === 'failed')) problems.push(`dataform ${a.kind} ${a.target} failed${a.error ? `: ${a.error}` : ''}`);
  for (const t of run.tests.filter((x) => !x.passed)) problems.push(`dataform test ${t.name} failed`);
  for (const e of run.compileErrors) problems.push(`dataform compile error: ${e}`);
  if (run.exitCode !== 0 && run.actions.every((a) => a.status !== 'failed') && run.tests.every((t) => t.passed) && run.compileErrors.length === 0) {
    const tail = run.output.trim().split('\n').slice(-3).join(' | ');
    problems.push(`dataform ${run.command} exited with code ${run.exitCode}: ${tail}`);
  }
}

/**
 * Where the loader stages: on the embedded BigQuery, the embedded GCS's stage bucket, so batches go
 * through `gs://` as in production; on GCP, LANDFORM_BUCKET, else the state dir.
 */
function stageFor(env: NodeJS.ProcessEnv, target: BigQueryTarget, dir: string): StageConfig {
  if (target.gcs !== null) return { kind: 'gcs', bucket: LOCAL_STAGE_BUCKET, apiEndpoint: target.gcs.url };
  const bucket = env.LANDFORM_BUCKET;
  return bucket !== undefined && bucket !== '' ? { kind: 'gcs', bucket } : { kind: 'local', dir };
}

async function land(source: DemoSource, target: BigQueryTarget, stage: StageConfig, logger: Logger, tty: boolean): Promise<LandedBatch[]> {
  const { ensureRawLayer, runLoad } = await import('../loader/index.js');
  const config = {
    databaseUrl: source.url, projectId: target.projectId, location: target.location, rawDataset: RAW_DATASET,
    env: target.kind === 'gcp' ? 'demo' : 'local', stage, bigquery: target.bigquery, logger, progress: tty,
  };
  await ensureRawLayer(config);
  const batches = await runLoad(config);
  return batches.map((b) => ({
    table: b.table, batchId: b.batchId, status: b.status, rowsExtracted: b.rowsExtracted, rowsLoaded: b.rowsLoaded,
    rowsSkippedDuplicate: b.rowsSkippedDuplicate, rowsQuarantined: b.rowsQuarantined, contractHash: b.contractHash,
    ...(b.error !== undefined ? { error: String(b.error) } : {}),
  }));
}

async function writeRunReport(
  file: string, result: DemoRunResult, lineage: LineageBatch[] | null, tables: string[], logger: Logger,
  details: Pick<RunReport, 'graph' | 'quarantine' | 'assertionDetails'>,
): Promise<{ reportFile: string | null; lastGoodFile: string | null }> {
  const now = new Date();
  const report: RunReport = {
    generatedAt: now.toISOString(), path: result.path, source: result.source, warehouse: result.warehouse,
    batches: lineage ?? [], freshness: lineage === null ? [] : freshnessOf(lineage, tables, now),
    actions: result.run?.actions ?? [], tests: result.test?.tests ?? [], charts: result.figures.charts,
    ok: result.ok, problems: result.problems, thisRun: thisRunOf(result), ...details,
  };
  try {
    return await writeReportKeepingLastGood(file, report);
  } catch (error) {
    logger.warn({ err: error }, 'writing the report failed');
    return { reportFile: null, lastGoodFile: null };
  }
}

/** The newest landed cursor of any table: the day it falls on is still filling up. */
function newestCursor(lineage: LineageBatch[]): string | null {
  return lineage.filter((b) => b.status === 'succeeded').map((b) => b.watermarkTo).filter((t): t is string => t !== null).sort().pop() ?? null;
}

/** The figures of this run alone, which the report shows apart from the all-time lineage. */
function thisRunOf(result: DemoRunResult): RunReport['thisRun'] {
  return {
    batchIds: result.batches.map((b) => b.batchId),
    rowsExtracted: result.batches.reduce((s, b) => s + b.rowsExtracted, 0),
    rowsLoaded: result.batches.reduce((s, b) => s + b.rowsLoaded, 0),
    rowsQuarantined: result.batches.reduce((s, b) => s + b.rowsQuarantined, 0),
    seconds: result.seconds,
  };
}

export type { MartFigures };
