/**
 * What one table goes through in a run, under its lease, in order:
 * 1. the source schema check (schema/evolution.ts): a contract column Postgres no longer has stops
 *    the table here, before extraction; Postgres columns the contract does not know become a warning;
 * 2. the batch (load-table.ts), or for a backfill the bounded cursor ranges (backfill/batches.ts);
 * 3. for contracts with `deletes`, the delete key scan (deletes/key-scan.ts), after a batch that
 *    succeeded or found nothing new (never after a failed one, never during a backfill).
 */
import type { LoadedContract, TableContract, TelemetryContract } from '../contracts/schema/index.js';
import { redactText, secretsOf } from '../common/redact.js';
import { runBackfill } from './backfill/batches.js';
import { scanDeletes } from './deletes/key-scan.js';
import { recordFailedBatch } from './lineage/export-batches.js';
import { loadTable, newBatchId, type BatchResult, type LoadContext } from './load-table.js';
import { checkSourceSchema, SourceColumnMissingError } from './schema/evolution.js';
import { sourceClient } from './source/pg-client.js';

export type SchemaCheck = { warnings: string[] } | { stop: string };

/** Warnings to report, or the error that stops the table; a connection failure is left to the batch (it retries). Never throws. */
export async function schemaCheck(ctx: LoadContext, loaded: LoadedContract<TableContract>): Promise<SchemaCheck> {
  const client = sourceClient(ctx.config.databaseUrl, ctx.config.timeoutsMs);
  try {
    await client.connect();
    return { warnings: await checkSourceSchema(client, loaded) };
  } catch (error) {
    if (error instanceof SourceColumnMissingError) return { stop: error.message };
    ctx.logger.warn({ table: loaded.contract.name, err: redactText((error as Error).message, secretsOf(ctx.config.databaseUrl)) }, 'could not check the source columns before the batch; the batch checks them again');
    return { warnings: [] };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function stoppedResult(ctx: LoadContext, loaded: LoadedContract<TableContract>, message: string): Promise<BatchResult> {
  const batchId = newBatchId();
  const startedAt = new Date().toISOString();
  ctx.logger.error({ table: loaded.contract.name, batchId, err: message }, 'batch failed');
  await recordFailedBatch(ctx.target, {
    batchId,
    table: loaded.contract.name,
    contractVersion: String(loaded.contract.version),
    contractHash: loaded.hash,
    status: 'failed',
    startedAt,
    watermarkFrom: null,
    watermarkTo: null,
    watermarkToKey: null,
    stageUri: null,
    rowsExtracted: 0,
    rowsQuarantined: 0,
    loadJobId: null,
    error: message,
  }).catch((error: unknown) => ctx.logger.error({ table: loaded.contract.name, err: (error as Error).message }, 'could not record the failed batch in export_batches'));
  return {
    table: loaded.contract.name,
    batchId,
    status: 'failed',
    rowsExtracted: 0,
    rowsLoaded: 0,
    rowsSkippedDuplicate: 0,
    rowsQuarantined: 0,
    watermarkFrom: null,
    watermarkTo: null,
    contractHash: loaded.hash,
    error: message,
  };
}

/** `checked`: the schema check already run for this turn (lease-run.ts runs it while taking the lease). */
export async function runTableSteps(ctx: LoadContext, loaded: LoadedContract<TableContract>, metrics: TelemetryContract | undefined, checked?: SchemaCheck): Promise<BatchResult> {
  const { config } = ctx;
  const contract = loaded.contract;
  checked ??= await schemaCheck(ctx, loaded);
  if ('stop' in checked) return stoppedResult(ctx, loaded, checked.stop);
  for (const warning of checked.warnings) ctx.logger.warn({ table: contract.name }, warning);

  const result =
    config.backfill && contract.load.mode !== 'full_refresh' ? await runBackfill(ctx, loaded, metrics, config.backfill) : await loadTable(ctx, loaded, metrics);
  if (checked.warnings.length > 0) result.warnings = [...(result.warnings ?? []), ...checked.warnings];

  if (contract.deletes && !config.backfill && (result.status === 'succeeded' || result.status === 'empty')) {
    const scan = await scanDeletes(ctx, loaded, metrics);
    result.deletes = scan;
    if (scan.status === 'failed') {
      result.status = 'failed';
      result.error = scan.error ?? 'the delete key scan failed';
    } else if (result.status === 'empty' && scan.tombstones > 0) {
      result.status = 'succeeded'; // nothing new, but deletes landed: a batch was recorded
    }
  }
  return result;
}
