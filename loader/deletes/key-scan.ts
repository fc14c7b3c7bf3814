/**
 * Hard deletes by key scan (`deletes: {mode: key_scan}` in a table contract), for sources that
 * delete rows instead of marking them. After the table's batch, one more batch:
 * 1. one REPEATABLE READ snapshot counts the source rows (above `max_keys` the scan stops, naming
 *    soft deletes as the way out) and streams every primary key, rendered by the same SQL as the
 *    extraction, into a staged keys file;
 * 2. a load job fills a keys staging table;
 * 3. one transaction inserts a tombstone for every key whose latest raw version is live but which
 *    the source no longer has: a copy of that version with `_deleted_at` set to the snapshot time,
 *    and, when it landed any, records the batch in export_batches (never moving the watermark;
 *    stage_uri is the scan's manifest, beside its keys file and SUCCESS marker).
 * Exactly once, like the other batches: a crash before COMMIT leaves nothing and the next run finds
 * the same keys gone; after COMMIT the latest version of those keys is the tombstone, which the next
 * scan skips. Correct without races because the table's lease serialises its batches: every raw row
 * was read from a snapshot older than the scan's, so a key in raw but not in the scan was deleted.
 */
import { once } from 'node:events';
import type pg from 'pg';
import { quotePg } from '../../common/identifiers.js';
import { redactText, secretsOf } from '../../common/redact.js';
import type { LoadedContract, TableContract, TelemetryContract } from '../../contracts/schema/index.js';
import { BATCH_COLUMNS, batchParams, recordFailedBatch, startBatchRecord, type BatchRecord } from '../lineage/export-batches.js';
import { newBatchId, type LoadContext } from '../load-table.js';
import { withRetry } from '../retry.js';
import { runQuery, tablePath, type BigQueryTarget, type Param } from '../publish/bigquery-target.js';
import { appendToStagingTable, createStagingTable, dropStagingTable, stagingTableName } from '../publish/load-stage.js';
import { EXPORT_BATCHES_TABLE, contractFields, type TableOptions } from '../publish/raw-schema.js';
import { quoteBigQuery } from '../publish/sql.js';
import { planColumns } from '../source/column-sql.js';
import { beginSnapshot } from '../source/extract.js';
import { sourceClient } from '../source/pg-client.js';
import { readSourceColumns } from '../source/source-columns.js';
import { batchPaths, DATA_FORMAT } from '../stage/layout.js';
import { failureMarker, successMarker } from '../stage/manifest.js';
import { openStagedFile, type StagedFileInfo } from '../stage/staged-file.js';

export interface DeleteScanResult {
  batchId: string;
  status: 'succeeded' | 'failed';
  /** Primary keys the source holds (the scan's snapshot). */
  keysScanned: number;
  /** Tombstones landed: keys live in raw and gone from the source. */
  tombstones: number;
  error?: string;
}

/** The scan would read more keys than the contract allows. */
export class DeleteScanTooLargeError extends Error {
  constructor(loaded: LoadedContract<TableContract>, rows: number, maxKeys: number) {
    super(
      `${loaded.contract.name}: the delete key scan stopped because ${loaded.contract.source.schema}.${loaded.contract.source.table} has ${rows} rows, more than deletes.max_keys (${maxKeys}) in ${loaded.file}; raise max_keys, or give the table a soft-delete column (deleted_at as the cursor) and drop deletes.`,
    );
    this.name = 'DeleteScanTooLargeError';
  }
}

const FETCH_ROWS = 10_000;
const DAY_MS = 86_400_000;

/** Shape of the keys staging table: the primary key columns as the raw table types them. */
export function keysTableOptions(contract: TableContract, now = Date.now()): TableOptions {
  const fields = contractFields(contract);
  return {
    schema: { fields: contract.primary_key.map((name) => ({ name, type: fields.find((f) => f.name === name)?.type ?? 'STRING', mode: 'REQUIRED' as const })) },
    description: `Primary keys of ${contract.name} in the source, for one delete key scan; dropped after it, a day later at the latest.`,
    expirationTime: String(now + DAY_MS),
  };
}

/** SQL of the key stream: one JSON object per source row, each key rendered exactly as the extraction renders it. */
async function keyQuery(client: pg.Client, contract: TableContract, metrics: TelemetryContract | undefined): Promise<{ count: string; keys: string }> {
  const sourceColumns = await readSourceColumns(client, contract);
  const plans = planColumns(contract, sourceColumns, metrics);
  const values = contract.primary_key.map((name) => {
    const plan = plans.find((p) => p.name === name);
    if (!plan) throw new Error(`${contract.name}: primary key column ${name} is not exported, so deletes cannot be scanned`);
    return `'${name}', ${plan.value}`;
  });
  const from = `${quotePg(contract.source.schema)}.${quotePg(contract.source.table)} as t`;
  return { count: `select count(*)::text as n from ${from}`, keys: `declare landform_keys no scroll cursor for select json_build_object(${values.join(', ')})::text as k from ${from}` };
}

interface ScannedKeys {
  keys: number;
  snapshotAt: string;
  file: StagedFileInfo;
}

async function scanSourceKeys(ctx: LoadContext, loaded: LoadedContract<TableContract>, metrics: TelemetryContract | undefined, keysPath: string): Promise<ScannedKeys> {
  const { config, stage } = ctx;
  const contract = loaded.contract;
  const maxKeys = contract.deletes?.max_keys ?? 0;
  const client = sourceClient(config.databaseUrl, config.timeoutsMs);
  try {
    await client.connect();
    const sql = await keyQuery(client, contract, metrics);
    const { snapshotAt } = await beginSnapshot(client, {});
    const rows = Number((await client.query<{ n: string }>(sql.count)).rows[0]?.n ?? 0);
    if (rows > maxKeys) throw new DeleteScanTooLargeError(loaded, rows, maxKeys);
    const out = openStagedFile(stage, keysPath, config.compression);
    let keys = 0;
    try {
      await client.query(sql.keys);
      for (;;) {
        const batch = await client.query<{ k: string }>(`fetch forward ${FETCH_ROWS} from landform_keys`);
        if (batch.rows.length === 0) break;
        keys += batch.rows.length;
        if (!out.input.write(`${batch.rows.map((r) => r.k).join('\n')}\n`)) await Promise.race([once(out.input, 'drain'), out.done]);
      }
      out.input.end();
    } catch (error) {
      out.input.destroy();
      throw error;
    }
    const file = await out.done;
    await client.query('commit');
    return { keys, snapshotAt, file };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The scan's manifest beside its keys file: what was read, from where, under which contract. */
function keysManifest(ctx: LoadContext, loaded: LoadedContract<TableContract>, batchId: string, scanned: ScannedKeys): string {
  const { contract, hash, file } = loaded;
  const manifest = {
    batch_id: batchId,
    kind: 'delete_key_scan',
    created_at: new Date().toISOString(),
    snapshot_at: scanned.snapshotAt,
    source: { schema: contract.source.schema, table: contract.source.table },
    destination: { env: ctx.config.env, dataset: ctx.config.rawDataset, table: contract.name, compression: ctx.config.compression === 'gzip' ? 'GZIP' : 'NONE' },
    contract: { version: contract.version, hash, file },
    primary_key: contract.primary_key,
    max_keys: contract.deletes?.max_keys ?? null,
    files: [{ name: scanned.file.path.split('/').pop(), uri: scanned.file.uri, rows: scanned.keys, bytes: scanned.file.bytes, sha256: `sha256:${scanned.file.sha256}` }],
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The tombstone transaction: guarded by the batch's own succeeded row, so running it twice lands
 * nothing twice. A scan that finds nothing gone records no lineage row (every run scans).
 */
export function tombstoneScript(target: BigQueryTarget, contract: TableContract, keysTable: string): string {
  const cursor = contract.load.cursor;
  if (!cursor) throw new Error(`contract ${contract.name}: deletes need a cursor`);
  const raw = tablePath(target, contract.name);
  const batches = tablePath(target, EXPORT_BATCHES_TABLE);
  const columns = contractFields(contract).map((f) => quoteBigQuery(f.name));
  const key = contract.primary_key.map(quoteBigQuery);
  const notPublished = `not exists (select 1 from ${batches} as b where b.batch_id = @batch_id and b.status = 'succeeded')`;
  // The latest version per key, ordered as the curated models order it: on a cursor tie, the tombstone.
  const latest = `select * from ${raw} as r
  qualify row_number() over (partition by ${key.map((k) => `r.${k}`).join(', ')} order by r.${quoteBigQuery(cursor)} desc, r._deleted_at is null, r._extracted_at desc) = 1`;
  return `begin transaction;
insert into ${raw} (${columns.join(', ')}, _batch_id, _extracted_at, _contract_hash, _deleted_at)
select ${columns.map((c) => `l.${c}`).join(', ')}, @batch_id, @deleted_at, @contract_hash, @deleted_at
from (${latest}) as l
where l._deleted_at is null
  and not exists (select 1 from ${tablePath(target, keysTable)} as k where ${key.map((k) => `k.${k} = l.${k}`).join(' and ')})
  and ${notPublished};
insert into ${batches} (${BATCH_COLUMNS})
select @batch_id, @table_name, @contract_version, @contract_hash, 'succeeded', @started_at, current_timestamp(), @watermark_from, @watermark_to, @watermark_to_key,
  @stage_uri, @rows_extracted, landed.n, 0, @rows_quarantined, @load_job_id, cast(null as string)
from (select count(*) as n from ${raw} as r where r._batch_id = @batch_id) as landed
where ${notPublished} and landed.n > 0;
commit transaction;`;
}

/** One delete key scan of one table; failures are recorded in export_batches and returned, never thrown. */
export async function scanDeletes(ctx: LoadContext, loaded: LoadedContract<TableContract>, metrics: TelemetryContract | undefined): Promise<DeleteScanResult> {
  const { config, target, stage } = ctx;
  const contract = loaded.contract;
  const batchId = newBatchId();
  const started = new Date();
  const paths = batchPaths({ env: config.env, dataset: config.rawDataset, table: contract.name, batchId, at: started, compression: config.compression });
  const keysPath = `${paths.stem}.keys.${DATA_FORMAT}${config.compression === 'gzip' ? '.gz' : ''}`;
  const keysTable = stagingTableName(contract.name, batchId, '_keys');
  const log = ctx.logger.child({ table: contract.name, batchId });
  const record: BatchRecord = startBatchRecord({
    batchId, table: contract.name, contractVersion: contract.version, contractHash: loaded.hash, startedAt: started, stageUri: stage.uri(paths.manifest),
  });
  const result: DeleteScanResult = { batchId, status: 'failed', keysScanned: 0, tombstones: 0 };
  try {
    // A lost connection or a serialization failure reads the keys again from a fresh snapshot.
    const scanned = await withRetry(() => scanSourceKeys(ctx, loaded, metrics, keysPath), { label: `delete scan ${contract.name}`, logger: ctx.logger, ...config.retry });
    record.rowsExtracted = result.keysScanned = scanned.keys;
    const options = keysTableOptions(contract);
    await createStagingTable(target, keysTable, options);
    // An emptied source table has no keys to load: every live raw key gets its tombstone.
    if (scanned.keys > 0) record.loadJobId = await appendToStagingTable(target, keysTable, options, stage.loadSource(keysPath), `landform_keys_${batchId}`);
    await stage.writeText(paths.manifest, keysManifest(ctx, loaded, batchId, scanned));
    await config.hooks?.beforeTombstones?.(contract.name, batchId);
    const lost = ctx.leaseLost?.();
    if (lost) throw new Error(lost);
    const params: Record<string, Param> = { ...batchParams(record), deleted_at: { type: 'TIMESTAMP', value: scanned.snapshotAt } };
    delete params.error;
    await runQuery(target, `tombstones ${contract.name}`, tombstoneScript(target, contract, keysTable), params);
    const { rows } = await runQuery<{ n: number }>(
      target,
      'read tombstone count',
      `select rows_loaded as n from ${tablePath(target, EXPORT_BATCHES_TABLE)} where batch_id = @batch_id and status = 'succeeded' limit 1`,
      { batch_id: { type: 'STRING', value: batchId } },
    );
    result.tombstones = Number(rows[0]?.n ?? 0);
    result.status = 'succeeded';
    log.info({ keys: scanned.keys, tombstones: result.tombstones, durationMs: Date.now() - started.getTime() }, 'deletes published');
    await dropStagingTable(target, keysTable);
    await stage.writeText(paths.success, successMarker(paths.manifest, result.tombstones, new Date().toISOString(), record.loadJobId));
    return result;
  } catch (error) {
    const message = redactText(error instanceof Error ? error.message : String(error), secretsOf(config.databaseUrl));
    result.error = message;
    log.error({ err: message, durationMs: Date.now() - started.getTime() }, 'delete scan failed');
    await dropStagingTable(target, keysTable);
    await recordFailedBatch(target, { ...record, status: 'failed', error: message }).catch((e: unknown) => log.error({ err: (e as Error).message }, 'could not record the failed delete scan in export_batches'));
    await stage.writeText(paths.failure, failureMarker(message, new Date().toISOString(), 1)).catch(() => undefined);
    return result;
  }
}
