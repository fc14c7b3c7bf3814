/**
 * One batch of one table, in data-flow order: watermark → extract (Postgres snapshot) → stage files
 * and manifest → load the staging table → publish in one transaction → markers. Any failure is
 * recorded (export_batches status failed, FAILURE marker) and returned, never thrown, so the other
 * tables still land; the watermark stays where it was.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { LoadedContract, TableContract, TelemetryContract } from '../contracts/index.js';
import type { Logger } from '../common/logger.js';
import type { ResolvedConfig } from './config.js';
import { readWatermark, recordFailedBatch, type BatchRecord } from './lineage/export-batches.js';
import type { ProgressReporter } from './progress.js';
import { runQuery, tablePath, type BigQueryTarget } from './publish/bigquery-target.js';
import { dropStagingTable, loadStagingTable, stagingTableName } from './publish/load-stage.js';
import { publishBatch } from './publish/publish-batch.js';
import { QUARANTINE_TABLE, contractFields, quarantineOptions, stagingTableOptions } from './publish/raw-schema.js';
import { withRetry } from './retry.js';
import { extractTable, planExtraction, type ExtractResult } from './source/extract.js';
import { planWindow, windowStart, type ExtractionWindow } from './source/window.js';
import { batchPaths, type BatchPaths } from './stage/layout.js';
import { buildManifest, failureMarker, successMarker } from './stage/manifest.js';
import { openStagedFile, type StagedFileInfo } from './stage/staged-file.js';
import type { Stage } from './stage/stage.js';

export interface BatchResult {
  table: string;
  batchId: string;
  status: 'succeeded' | 'failed' | 'empty';
  rowsExtracted: number;
  rowsLoaded: number;
  rowsSkippedDuplicate: number;
  rowsQuarantined: number;
  watermarkFrom: string | null;
  watermarkTo: string | null;
  contractHash: string;
  error?: string;
  loadJobId?: string;
  manifestUri?: string;
}

export interface LoadContext {
  config: ResolvedConfig;
  target: BigQueryTarget;
  stage: Stage;
  logger: Logger;
  progress: ProgressReporter;
}

export class QuarantineThresholdError extends Error {
  constructor(
    readonly table: string,
    readonly quarantined: number,
    readonly extracted: number,
    readonly threshold: number,
  ) {
    super(`${table}: ${quarantined} of ${extracted} rows (${((100 * quarantined) / extracted).toFixed(2)}%) broke the contract, above the quarantine threshold of ${(threshold * 100).toFixed(2)}%; see landform_raw.quarantine`);
    this.name = 'QuarantineThresholdError';
  }
}

export function newBatchId(): string {
  return randomBytes(6).toString('hex');
}

interface Extraction {
  result: ExtractResult;
  data: StagedFileInfo;
  quarantine: StagedFileInfo | null;
}

async function extractToStage(ctx: LoadContext, contract: TableContract, metrics: TelemetryContract | undefined, window: ExtractionWindow, paths: BatchPaths, batchId: string): Promise<Extraction> {
  const { config, stage } = ctx;
  const bar = ctx.progress.table(contract.name);
  try {
    // A lost connection restarts the whole table: same files, new snapshot.
    return await withRetry(
      async () => {
        const client = new pg.Client({ connectionString: config.databaseUrl, application_name: 'landform-loader' });
        client.on('error', () => undefined); // surfaced through the failing query instead
        await client.connect();
        const data = openStagedFile(stage, paths.data, config.compression);
        const quarantine = openStagedFile(stage, paths.quarantine, config.compression);
        try {
          const plan = await planExtraction(client, contract, metrics, window, config.hashSalt);
          const quarantinedAt = new Date().toISOString();
          const result = await extractTable(client, plan, {
            rows: data.input,
            onReject: (reason, rowJson) => {
              quarantine.input.write(`${JSON.stringify({ batch_id: batchId, table_name: contract.name, reason, row_json: rowJson, quarantined_at: quarantinedAt })}\n`);
            },
            onProgress: (counts) => bar.update(counts.rows + counts.rejected),
          });
          quarantine.input.end();
          const [dataInfo, quarantineInfo] = await Promise.all([data.done, quarantine.done]);
          bar.update(result.rows + result.rejected);
          if (result.rejected === 0) await stage.remove(paths.quarantine);
          return { result, data: dataInfo, quarantine: result.rejected > 0 ? quarantineInfo : null };
        } catch (error) {
          data.input.destroy();
          quarantine.input.destroy();
          throw error;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { label: `extract ${contract.name}`, logger: ctx.logger, ...config.retry },
    );
  } finally {
    bar.stop();
  }
}

export async function loadTable(ctx: LoadContext, loaded: LoadedContract<TableContract>, metrics: TelemetryContract | undefined): Promise<BatchResult> {
  const { config, target, stage } = ctx;
  const contract = loaded.contract;
  const batchId = newBatchId();
  const started = new Date();
  const paths = batchPaths({ env: config.env, dataset: config.rawDataset, table: contract.name, batchId, at: started, compression: config.compression });
  const log = ctx.logger.child({ table: contract.name, batchId });
  const result: BatchResult = {
    table: contract.name,
    batchId,
    status: 'failed',
    rowsExtracted: 0,
    rowsLoaded: 0,
    rowsSkippedDuplicate: 0,
    rowsQuarantined: 0,
    watermarkFrom: null,
    watermarkTo: null,
    contractHash: loaded.hash,
  };
  const record: BatchRecord = {
    batchId,
    table: contract.name,
    contractVersion: String(contract.version),
    contractHash: loaded.hash,
    status: 'succeeded',
    startedAt: started.toISOString(),
    watermarkFrom: null,
    watermarkTo: null,
    watermarkToKey: null,
    stageUri: stage.uri(paths.manifest),
    rowsExtracted: 0,
    rowsQuarantined: 0,
    loadJobId: null,
    error: null,
  };
  const stagingTable = stagingTableName(contract.name, batchId);
  let quarantineStagingTable: string | null = null;

  try {
    const incremental = contract.load.mode !== 'full_refresh' && !config.backfill;
    const watermark = incremental ? await readWatermark(target, contract.name) : null;
    const window = planWindow(contract, watermark, { safetyLagSeconds: config.safetyLagSeconds, ...(config.backfill ? { backfill: config.backfill } : {}) });
    record.watermarkFrom = result.watermarkFrom = windowStart(window);
    log.info({ mode: contract.load.mode, window: window.kind, watermarkFrom: record.watermarkFrom }, 'batch started');

    const { result: extracted, data, quarantine } = await extractToStage(ctx, contract, metrics, window, paths, batchId);
    const rowsExtracted = extracted.rows + extracted.rejected;
    record.rowsExtracted = result.rowsExtracted = rowsExtracted;
    record.rowsQuarantined = result.rowsQuarantined = extracted.rejected;
    if (window.kind === 'incremental' && extracted.last) {
      record.watermarkTo = extracted.last.cursor;
      record.watermarkToKey = JSON.stringify(extracted.last.key);
    } else if (window.kind === 'backfill') {
      record.watermarkTo = window.to;
    }
    result.watermarkTo = record.watermarkTo;
    log.info({ rows: extracted.rows, quarantined: extracted.rejected, bytes: data.bytes, watermarkTo: record.watermarkTo }, 'extracted');

    if (rowsExtracted === 0 && contract.load.mode !== 'full_refresh') {
      await stage.remove(paths.data);
      result.status = 'empty';
      log.info('nothing new; no batch recorded');
      return result;
    }

    await stage.writeText(
      paths.manifest,
      `${JSON.stringify(
        buildManifest({
          batchId,
          table: contract.name,
          env: config.env,
          dataset: config.rawDataset,
          source: contract.source,
          createdAt: new Date().toISOString(),
          contract: { version: contract.version, hash: loaded.hash, file: loaded.file },
          schema: contractFields(contract),
          loadMode: contract.load.mode,
          rows: extracted.rows,
          rowsQuarantined: extracted.rejected,
          watermark: { from: record.watermarkFrom, to: record.watermarkTo, toKey: record.watermarkToKey },
          data,
          quarantine,
          compression: config.compression,
        }),
        null,
        2,
      )}\n`,
    );
    result.manifestUri = record.stageUri ?? undefined;

    if (extracted.rejected > 0) {
      quarantineStagingTable = stagingTableName(contract.name, batchId, '_quarantine');
      await loadStagingTable(target, quarantineStagingTable, { ...quarantineOptions, expirationTime: String(Date.now() + 86_400_000) }, stage.loadSource(paths.quarantine));
    }
    if (extracted.rejected / rowsExtracted > config.quarantineThreshold) {
      throw new QuarantineThresholdError(contract.name, extracted.rejected, rowsExtracted, config.quarantineThreshold);
    }

    const loadJobId = await loadStagingTable(target, stagingTable, stagingTableOptions(contract), extracted.rows > 0 ? stage.loadSource(paths.data) : null);
    record.loadJobId = loadJobId || null;
    if (loadJobId) result.loadJobId = loadJobId;

    await config.hooks?.beforePublish?.(contract.name, batchId);
    const published = await publishBatch(target, { contract, contractHash: loaded.hash, record, stagingTable, quarantineStagingTable, extractedAt: extracted.snapshotAt });
    result.rowsLoaded = published.rowsLoaded;
    result.rowsSkippedDuplicate = published.rowsSkippedDuplicate;
    result.status = 'succeeded';
    log.info({ jobId: published.jobId, loadJobId, rows: published.rowsLoaded, skippedDuplicate: published.rowsSkippedDuplicate, quarantined: extracted.rejected }, 'batch published');
    await config.hooks?.afterPublish?.(contract.name, batchId);

    await dropStagingTable(target, stagingTable);
    if (quarantineStagingTable) await dropStagingTable(target, quarantineStagingTable);
    await stage.writeText(paths.success, successMarker(paths.manifest, extracted.rows, new Date().toISOString(), loadJobId || null));
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result.status = 'failed';
    result.error = message;
    log.error({ err: message }, 'batch failed');
    await recordFailure(ctx, { ...record, status: 'failed', error: message }, quarantineStagingTable, log);
    await stage.writeText(paths.failure, failureMarker(message, new Date().toISOString(), 1)).catch(() => undefined);
    return result;
  }
}

/** Best effort: the failure is already in the result and the logs; lineage should show it too. */
async function recordFailure(ctx: LoadContext, record: BatchRecord, quarantineStagingTable: string | null, log: Logger): Promise<void> {
  try {
    if (quarantineStagingTable) {
      // Rows of a batch that failed on the threshold stay inspectable.
      await runQuery(
        ctx.target,
        'quarantine rows of failed batch',
        `insert into ${tablePath(ctx.target, QUARANTINE_TABLE)} (batch_id, table_name, reason, row_json, quarantined_at)
select batch_id, table_name, reason, row_json, quarantined_at from ${tablePath(ctx.target, quarantineStagingTable)}`,
      );
      await dropStagingTable(ctx.target, quarantineStagingTable);
    }
    await recordFailedBatch(ctx.target, record);
  } catch (error) {
    log.error({ err: (error as Error).message }, 'could not record the failed batch in export_batches');
  }
}
