/**
 * One table's batch under its lease: take it (or skip the table, naming the holder), renew it at a
 * third of its length while the batch runs, free it at the end whatever happened. A renewal that
 * finds the lease gone (it lapsed and another run took it) stops the batch before it publishes.
 * The source schema check (Postgres, read only) runs while the lease is taken; an incremental
 * batch's watermark comes with the lease (one script), and when the batch is all the table does
 * under it, its publish script frees the lease right after its commit.
 */
import type { LoadedContract, TableContract, TelemetryContract } from '../contracts/schema/index.js';
import { acquireLease, releaseLease, renewLease } from './lineage/leases.js';
import { newBatchId, type BatchResult, type LoadContext } from './load-table.js';
import { runTableSteps, schemaCheck } from './table-steps.js';

function skippedResult(table: LoadedContract<TableContract>, holder: NonNullable<BatchResult['skipped']>): BatchResult {
  return {
    table: table.contract.name,
    batchId: newBatchId(),
    status: 'skipped',
    rowsExtracted: 0,
    rowsLoaded: 0,
    rowsSkippedDuplicate: 0,
    rowsQuarantined: 0,
    watermarkFrom: null,
    watermarkTo: null,
    contractHash: table.hash,
    skipped: holder,
    error: `skipped: ${table.contract.name} is being loaded by ${holder.owner} since ${holder.since ?? 'an unknown time'} (its lease runs until ${holder.expires ?? 'unknown'} unless renewed)`,
  };
}

function failedResult(table: LoadedContract<TableContract>, message: string): BatchResult {
  return { ...skippedResult(table, { owner: '', since: null, expires: null }), status: 'failed', error: message, skipped: undefined };
}

export async function runTableUnderLease(ctx: LoadContext, table: LoadedContract<TableContract>, metrics: TelemetryContract | undefined): Promise<BatchResult> {
  const { config, target, logger } = ctx;
  const { contract } = table;
  const name = contract.name;
  const incremental = contract.load.mode !== 'full_refresh' && !config.backfill;
  // Nothing but the batch runs under the lease (no backfill ranges, no delete key scan after it),
  // and a re-run of its publish script is guarded throughout (not so a full refresh's TRUNCATE).
  const publishFrees = incremental && !contract.deletes;
  const checking = schemaCheck(ctx, table);
  checking.catch(() => undefined); // awaited below on every path; this only keeps it from counting as unhandled meanwhile
  let outcome;
  try {
    outcome = await acquireLease(target, name, config.owner, config.leaseMs, { readWatermark: incremental });
  } catch (error) {
    await checking;
    const message = `could not take the lease of ${name}: ${(error as Error).message}`;
    logger.error({ table: name, err: message }, 'batch failed');
    return failedResult(table, message);
  }
  if (!outcome.taken) {
    await checking;
    const result = skippedResult(table, outcome.holder);
    logger.warn({ table: name, holder: outcome.holder.owner, since: outcome.holder.since, expires: outcome.holder.expires }, result.error ?? 'skipped');
    return result;
  }
  let lost: string | undefined;
  const renew = setInterval(() => {
    renewLease(target, name, config.owner, config.leaseMs).then(
      (held) => {
        if (!held) lost ??= `lost the lease of ${name} (it lapsed and another run took it); not publishing`;
      },
      (error: unknown) => logger.warn({ table: name, err: (error as Error).message }, 'could not renew the lease; retrying at the next interval'),
    );
  }, Math.max(500, Math.floor(config.leaseMs / 3)));
  renew.unref();
  const lease = { owner: config.owner, freed: false };
  try {
    const steps = { ...ctx, leaseLost: () => lost, ...(publishFrees ? { lease } : {}), ...(outcome.watermark !== undefined ? { watermark: { batch: outcome.watermark } } : {}) };
    return await runTableSteps(steps, table, metrics, await checking);
  } finally {
    clearInterval(renew);
    if (!lease.freed) await releaseLease(target, name, config.owner).catch((error: unknown) => logger.warn({ table: name, err: (error as Error).message }, 'could not free the lease; it lapses on its own'));
  }
}
