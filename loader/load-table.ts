/**
 * One batch of one table, in data-flow order: watermark → extract (Postgres snapshot) → stage files
 * and manifest → load the staging table → publish in one transaction → markers. Any failure is
 * recorded (export_batches status failed, FAILURE marker) and returned, never thrown, so the other
 * tables still land; the watermark stays where it was.
 */
import { randomBytes } from 'node:crypto';
import type { LoadedContract, TableContract, TelemetryContract } from '../contracts/schema/index.js';
import type { Logger } from '../common/logger.js';
import { redactText, secretsOf } from '../common/redact.js';
import type { ResolvedConfig } from './config.js';
import { readWatermarkBatch, recordFailedBatch, startBatchRecord, type BatchRecord, type WatermarkBatch } from './lineage/export-batches.js';
import type { ProgressReporter } from './progress.js';
import { runQuery, tablePath, type BigQueryTarget } from './publish/bigquery-target.js';
import { appendToStagingTable, createStagingTable, dropStagingTable, stagingTableName } from './publish/load-stage.js';
import { publishBatch } from './publish/publish-batch.js';
import { QUARANTINE_TABLE, contractFields, quarantineOptions, stagingTableOptions } from './publish/raw-schema.js';
import { withRetry } from './retry.js';
import { extractTable, planExtraction, type ExtractResult, type RowSinks } from './source/extract.js';
import { extractParallel } from './source/parallel-extract.js';
import { sourceClient } from './source/pg-client.js';
import { planWindow, windowStart, type ExtractionWindow } from './source/window.js';
import { quotePg } from '../common/identifiers.js';
import { parseSnapshot, readSourceSnapshot, serializeSnapshot, usableSnapshot, type SnapshotOutcome } from './source/snapshot-record.js';
import { moveFailedBatch } from './stage/failed-batch.js';
import { batchPaths, type BatchPaths } from './stage/layout.js';
import { buildManifest, failureMarker, successMarker } from './stage/manifest.js';
import { ParquetPartWriter, PartWriter, type StagedPart } from './stage/part-writer.js';
import type { StageFormat } from './source/stage-format.js';
import { openStagedFile, type StagedFileInfo } from './stage/staged-file.js';
import type { Stage } from './stage/stage.js';

export interface BatchResult {
  table: string;
  batchId: string;
  /** skipped: another run holds the table's lease (see `skipped`); nothing was read or written. */
  status: 'succeeded' | 'failed' | 'empty' | 'skipped';
  rowsExtracted: number;
  rowsLoaded: number;
  rowsSkippedDuplicate: number;
  rowsQuarantined: number;
  watermarkFrom: string | null;
  watermarkTo: string | null;
  contractHash: string;
  error?: string;
  /** Who held the lease of a skipped table, since when, and until when unless renewed. */
  skipped?: { owner: string; since: string | null; expires: string | null };
  loadJobId?: string;
  manifestUri?: string;
  /** Reported once per run, never a failure: e.g. Postgres columns the contract does not name (schema/evolution.ts). */
  warnings?: string[];
  /** The delete key scan after the batch, for contracts with `deletes` (deletes/key-scan.ts). */
  deletes?: { batchId: string; status: 'succeeded' | 'failed'; keysScanned: number; tombstones: number; error?: string };
  /** A backfill split into cursor ranges (backfill/batches.ts): ranges in all, committed earlier and skipped, and the batches this run published. */
  backfill?: { ranges: number; alreadyCommitted: number; batchIds: string[] };
}

export interface LoadContext {
  config: ResolvedConfig;
  target: BigQueryTarget;
  stage: Stage;
  logger: Logger;
  progress: ProgressReporter;
  /** Why the run no longer holds the table's lease, if it lost it (checked before publishing). */
  leaseLost?: () => string | undefined;
  /** The table's watermark batch, read with its lease (lease-run.ts); read here when absent. */
  watermark?: { batch: WatermarkBatch | null };
  /** Set when the batch is all the table does under its lease: the publish script frees it (after its commit) and sets `freed`. */
  lease?: { owner: string; freed: boolean };
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
  parts: StagedPart[];
  quarantine: StagedFileInfo | null;
  stagingTable: string;
  loadJobIds: string[];
  format: StageFormat;
  /** The source snapshot record of this attempt (incremental batches whose source gives one). */
  sourceSnapshot: string | null;
}

/**
 * The window this attempt reads: the planned one, narrowed by the watermark batch's snapshot record
 * when it is usable (window.ts); and this attempt's own record, taken now, just before the
 * extraction's snapshot (so never newer than it).
 */
async function snapshotWindow(ctx: LoadContext, client: Parameters<typeof readSourceSnapshot>[0], contract: TableContract, window: ExtractionWindow, previous: WatermarkBatch | null, contractHash: string): Promise<{ window: ExtractionWindow; record: string | null }> {
  if (window.kind !== 'incremental') return { window, record: null };
  const relation = `${quotePg(contract.source.schema)}.${quotePg(contract.source.table)}`;
  const current: SnapshotOutcome = await readSourceSnapshot(client, relation, window.lookbackSeconds).catch((error: unknown) => ({ fallback: `the snapshot record failed: ${(error as Error).message}` }));
  const record = 'snapshot' in current ? serializeSnapshot(current.snapshot) : null;
  if (!window.watermark || window.lookbackSeconds === 0) return { window, record };
  const usable = usableSnapshot(parseSnapshot(previous?.sourceSnapshot), previous?.contractHash ?? null, current, contractHash);
  if ('fallback' in usable) {
    ctx.logger.debug({ table: contract.name, reason: usable.fallback }, 'plain lookback');
    return { window, record };
  }
  return { window: { ...window, snapshotXmin: String(usable.xmin) }, record };
}

/**
 * Extracts the window into staged part files and loads each part into a fresh staging table as
 * soon as it is written (loads run one after another, overlapping the extraction; so does the
 * table's creation). A transient failure restarts the attempt: new snapshot, new staging table,
 * same file names.
 */
async function extractAndLoad(ctx: LoadContext, contract: TableContract, metrics: TelemetryContract | undefined, planned: ExtractionWindow, paths: BatchPaths, batchId: string, previous: WatermarkBatch | null, contractHash: string): Promise<Extraction> {
  const { config, stage, target } = ctx;
  const bar = ctx.progress.table(contract.name);
  try {
    return await withRetry(
      async (attempt) => {
        const stagingTable = stagingTableName(contract.name, batchId, attempt > 0 ? `_r${attempt}` : '');
        const client = sourceClient(config.databaseUrl, config.timeoutsMs);
        const quarantine = openStagedFile(stage, paths.quarantine, config.compression);
        let loads: Promise<string[]> = Promise.resolve([]);
        let writer: PartWriter | null = null;
        let created: Promise<boolean> = Promise.resolve(false);
        try {
          await client.connect();
          const { window, record: sourceSnapshot } = await snapshotWindow(ctx, client, contract, planned, previous, contractHash);
          const plan = await planExtraction(client, contract, metrics, window, config.hashSalt, { ...(config.maxRowBytes ? { maxRowBytes: config.maxRowBytes } : {}), ...(config.stageFormat === 'jsonl' ? { jsonlOnly: true } : {}) });
          const stagingOptions = stagingTableOptions(contract, Date.now(), plan.format);
          // Created while the extraction starts: the first part's load waits for it (a failure shows there).
          const creating = createStagingTable(target, stagingTable, stagingOptions);
          created = creating.then(() => true, () => false);
          loads = creating.then(() => []);
          loads.catch(() => undefined);
          const onPart = (part: StagedPart) => {
            loads = loads.then(async (ids) => [...ids, await appendToStagingTable(target, stagingTable, stagingOptions, stage.loadSource(part.path), `landform_load_${batchId}_a${attempt}_p${part.index}`, plan.format)]);
            loads.catch(() => undefined);
          };
          const parquet = plan.format === 'parquet' ? new ParquetPartWriter(stage, paths.parquetPart, config.compression === 'gzip', onPart) : null;
          writer = parquet ? null : new PartWriter(stage, plan.format === 'csv' ? paths.csvPart : paths.part, config.compression, config.stagePartBytes, onPart, plan.format === 'csv');
          const quarantinedAt = new Date().toISOString();
          const workers = contract.parallel?.workers ?? 1;
          const sinks: RowSinks = {
            ...(writer ? { rows: writer, chunkBytes: Math.min(256 * 1024, config.stagePartBytes) } : {}),
            ...(parquet ? { batches: { limits: parquetLimits(config.stagePartBytes), onBatch: (batch) => parquet.write(batch) } } : {}),
            onReject: (reason, rowJson) => {
              quarantine.input.write(`${JSON.stringify({ batch_id: batchId, table_name: contract.name, reason, row_json: rowJson, quarantined_at: quarantinedAt })}\n`);
            },
            onProgress: (counts) => bar.update(counts.rows + counts.rejected),
          };
          const openWorker = async () => {
            const worker = sourceClient(config.databaseUrl, config.timeoutsMs);
            await worker.connect().catch(async (error: unknown) => {
              await worker.end().catch(() => undefined);
              throw error;
            });
            return worker;
          };
          const result = workers > 1 ? await extractParallel(client, openWorker, plan, workers, sinks) : await extractTable(client, plan, sinks);
          quarantine.input.end();
          const [parts, quarantineInfo] = await Promise.all([parquet ? parquet.parts() : (writer as PartWriter).parts(), quarantine.done]);
          bar.update(result.rows + result.rejected);
          ctx.logger.info({ table: contract.name, batchId, format: plan.format, rows: result.rows, quarantined: result.rejected, parts: parts.length, bytes: parts.reduce((n, p) => n + p.bytes, 0) }, 'extracted');
          const loadJobIds = await loads;
          if (result.rejected === 0) await stage.remove(paths.quarantine);
          return { result, parts, quarantine: result.rejected > 0 ? quarantineInfo : null, stagingTable, loadJobIds, format: plan.format, sourceSnapshot };
        } catch (error) {
          writer?.destroy();
          quarantine.input.destroy();
          await loads.catch(() => undefined);
          // The next attempt (or the failure path) starts from a fresh table; this one goes now.
          if (await created) await dropStagingTable(target, stagingTable);
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

/**
 * Rows and variable-length bytes per Parquet part: a part holds at most a quarter of the configured
 * part size in text (its buffers, the IPC copy and the encoded file are in memory at once) and at
 * most 256 Ki rows, so memory stays flat however large the table.
 */
function parquetLimits(partBytes: number): { rows: number; bytes: number } {
  return { rows: 1 << 18, bytes: Math.max(1, Math.floor(partBytes / 4)) };
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
  const record: BatchRecord = startBatchRecord({
    batchId, table: contract.name, contractVersion: contract.version, contractHash: loaded.hash, startedAt: started, stageUri: stage.uri(paths.manifest),
  });
  let stagingTable = stagingTableName(contract.name, batchId);
  let quarantineStagingTable: string | null = null;

  try {
    const incremental = contract.load.mode !== 'full_refresh' && !config.backfill;
    const previous = incremental ? (ctx.watermark ? ctx.watermark.batch : await readWatermarkBatch(target, contract.name)) : null;
    const window = planWindow(contract, previous?.watermark ?? null, { safetyLagSeconds: config.safetyLagSeconds, ...(config.backfill ? { backfill: config.backfill } : {}) });
    record.watermarkFrom = result.watermarkFrom = windowStart(window);
    log.info({ mode: contract.load.mode, window: window.kind, watermarkFrom: record.watermarkFrom }, 'batch started');

    const extraction = await extractAndLoad(ctx, contract, metrics, window, paths, batchId, previous, loaded.hash);
    const { result: extracted, parts, quarantine } = extraction;
    stagingTable = extraction.stagingTable;
    const rowsExtracted = extracted.rows + extracted.rejected;
    record.rowsExtracted = result.rowsExtracted = rowsExtracted;
    record.rowsQuarantined = result.rowsQuarantined = extracted.rejected;
    if (window.kind === 'incremental' && extracted.last) {
      record.sourceSnapshot = extraction.sourceSnapshot;
      record.watermarkTo = extracted.last.cursor;
      record.watermarkToKey = JSON.stringify(extracted.last.key);
    } else if (window.kind === 'backfill') {
      record.watermarkTo = window.to;
    }
    result.watermarkTo = record.watermarkTo;
    record.loadJobId = extraction.loadJobIds.join(',') || null;
    if (record.loadJobId) result.loadJobId = record.loadJobId;

    if (rowsExtracted === 0 && contract.load.mode !== 'full_refresh') {
      await dropStagingTable(target, stagingTable);
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
          source: { database: extracted.database, ...contract.source },
          createdAt: new Date().toISOString(),
          contract: { version: contract.version, hash: loaded.hash, file: loaded.file },
          schema: contractFields(contract),
          loadMode: contract.load.mode,
          rows: extracted.rows,
          rowsQuarantined: extracted.rejected,
          watermark: { from: record.watermarkFrom, to: record.watermarkTo, toKey: record.watermarkToKey },
          parts,
          quarantine,
          compression: config.compression,
          format: extraction.format,
        }),
        null,
        2,
      )}\n`,
    );
    result.manifestUri = record.stageUri ?? undefined;

    if (extracted.rejected > 0) {
      quarantineStagingTable = stagingTableName(contract.name, batchId, '_quarantine');
      const options = { ...quarantineOptions, expirationTime: String(Date.now() + 86_400_000) };
      await createStagingTable(target, quarantineStagingTable, options);
      await appendToStagingTable(target, quarantineStagingTable, options, stage.loadSource(paths.quarantine), `landform_load_${batchId}_quarantine`);
    }
    if (extracted.rejected / rowsExtracted > config.quarantineThreshold) {
      throw new QuarantineThresholdError(contract.name, extracted.rejected, rowsExtracted, config.quarantineThreshold);
    }

    await config.hooks?.beforePublish?.(contract.name, batchId);
    const lost = ctx.leaseLost?.();
    if (lost) throw new Error(lost);
    const published = await publishBatch(target, {
      contract, contractHash: loaded.hash, record, stagingTable, quarantineStagingTable, extractedAt: extracted.snapshotAt, format: extraction.format,
      ...(ctx.lease ? { freeLeaseOf: ctx.lease.owner } : {}),
    });
    if (ctx.lease) ctx.lease.freed = published.leaseFreed;
    result.rowsLoaded = published.rowsLoaded;
    result.rowsSkippedDuplicate = published.rowsSkippedDuplicate;
    result.status = 'succeeded';
    log.info({ jobId: published.jobId, loadJobIds: extraction.loadJobIds, rows: published.rowsLoaded, skippedDuplicate: published.rowsSkippedDuplicate, quarantined: extracted.rejected, durationMs: Date.now() - started.getTime() }, 'batch published');
    await config.hooks?.afterPublish?.(contract.name, batchId);

    // Independent of each other (the drops never throw): side by side.
    await Promise.all([
      dropStagingTable(target, stagingTable),
      quarantineStagingTable ? dropStagingTable(target, quarantineStagingTable) : undefined,
      stage.writeText(paths.success, successMarker(paths.manifest, extracted.rows, new Date().toISOString(), record.loadJobId)),
    ]);
    return result;
  } catch (error) {
    // Drivers may quote connection details; the message goes to lineage, markers and the terminal.
    const message = redactText(error instanceof Error ? error.message : String(error), secretsOf(config.databaseUrl));
    result.status = 'failed';
    result.error = message;
    log.error({ err: message, durationMs: Date.now() - started.getTime() }, 'batch failed');
    await dropStagingTable(ctx.target, stagingTable);
    // On GCS, the batch's objects go under {env}/_failed/, which the bucket's lifecycle rule expires.
    const failed = await moveFailedBatch(stage, paths, config.env, log);
    await recordFailure(ctx, { ...record, stageUri: stage.uri(failed.manifest), status: 'failed', error: message }, quarantineStagingTable, log);
    await stage.writeText(failed.failure, failureMarker(message, new Date().toISOString(), 1)).catch(() => undefined);
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
