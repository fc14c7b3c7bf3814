/**
 * One run per table at a time: a lease row per table in `load_leases`, taken with one conditional
 * UPDATE (free, lapsed, or already ours), so of two runs only the one whose statement changed the
 * row holds it; BigQuery serializes DML on a table (a loser of a race fails with a concurrent-update
 * error and, retried, finds the lease held). Times are BigQuery's own current_timestamp(), so the
 * runs' clocks never matter. Renewed while the batch runs; freed at the end; a holder that died
 * leaves a lease that lapses and is taken over. An incremental batch's lease is taken in a script
 * that reads the table's watermark right after the UPDATE (one job instead of two); a publish that
 * ends the table's work frees the lease right after its commit, in the same script (publish-batch.ts).
 */
import { runQuery, tablePath, type BigQueryTarget } from '../publish/bigquery-target.js';
import { LEASES_TABLE } from '../publish/raw-schema.js';
import { microsToIso } from '../../common/timestamps.js';
import { watermarkOfRow, watermarkSql, type WatermarkBatch, type WatermarkRow } from './export-batches.js';

export interface LeaseHolder {
  owner: string;
  since: string | null;
  expires: string | null;
}

/** With `readWatermark`, a taken lease comes with the table's watermark batch, read after taking it. */
export type LeaseOutcome = { taken: true; watermark?: WatermarkBatch | null } | { taken: false; holder: LeaseHolder };

export async function acquireLease(target: BigQueryTarget, table: string, owner: string, leaseMs: number, options: { readWatermark?: boolean } = {}): Promise<LeaseOutcome> {
  const leases = tablePath(target, LEASES_TABLE);
  const params = { table_name: { type: 'STRING', value: table }, owner: { type: 'STRING', value: owner }, lease_ms: { type: 'INT64', value: leaseMs } } as const;
  const update = `update ${leases} set owner = @owner, acquired_at = current_timestamp(), expires_at = timestamp_millis(unix_millis(current_timestamp()) + @lease_ms)
where table_name = @table_name and (owner is null or owner = @owner or expires_at is null or expires_at < current_timestamp())`;
  const take = async (): Promise<LeaseOutcome | null> => {
    if (!options.readWatermark) {
      const { affected } = await runQuery(target, `take lease ${table}`, update, params);
      if (affected === undefined) throw new Error(`BigQuery reported no affected row count for the lease update of ${table}; cannot tell who holds it`);
      return affected > 0 ? { taken: true } : null;
    }
    // The script's answer is its last statement's: @@row_count of the UPDATE, and the watermark
    // batch as committed once the lease is ours (no other run publishes the table while we hold it).
    const { rows } = await runQuery<WatermarkRow & { taken: number | string | null }>(
      target,
      `take lease ${table}`,
      `${update};
select @@row_count as taken, w.watermark_micros, w.watermark_to_key, w.contract_hash, w.source_snapshot
from (select 1 as one) as one
left join (${watermarkSql(target)}) as w on true;`,
      params,
    );
    const row = rows[0];
    if (!row || row.taken === null || row.taken === undefined) throw new Error(`the lease script of ${table} returned no row count; cannot tell who holds the lease`);
    return Number(row.taken) > 0 ? { taken: true, watermark: watermarkOfRow(row) } : null;
  };
  const first = await take();
  if (first) return first;
  const holder = await leaseHolder(target, table);
  if (holder) return { taken: false, holder };
  // No row yet: the table's first run. Two first runs may both insert; a duplicate row is harmless,
  // because every statement here treats all rows of a table as one lease.
  await runQuery(target, `lease row ${table}`, `insert into ${leases} (table_name) select @table_name from (select 1) as one where not exists (select 1 from ${leases} where table_name = @table_name)`, {
    table_name: params.table_name,
  });
  const second = await take();
  if (second) return second;
  return { taken: false, holder: (await leaseHolder(target, table)) ?? { owner: 'another run', since: null, expires: null } };
}

/** Who holds the table's lease, or null when no row for the table exists yet. */
async function leaseHolder(target: BigQueryTarget, table: string): Promise<LeaseHolder | null> {
  const { rows } = await runQuery<{ owner: string | null; since: string | null; expires: string | null }>(
    target,
    `lease holder ${table}`,
    `select owner, cast(unix_micros(acquired_at) as string) as since, cast(unix_micros(expires_at) as string) as expires from ${tablePath(target, LEASES_TABLE)} where table_name = @table_name order by owner is null limit 1`,
    { table_name: { type: 'STRING', value: table } },
  );
  const row = rows[0];
  if (!row) return null;
  const iso = (v: string | null) => (v === null ? null : microsToIso(v));
  return { owner: row.owner ?? 'another run', since: iso(row.since), expires: iso(row.expires) };
}

/** Extends our lease; false when it is no longer ours (lapsed and taken over). */
export async function renewLease(target: BigQueryTarget, table: string, owner: string, leaseMs: number): Promise<boolean> {
  const { affected } = await runQuery(
    target,
    `renew lease ${table}`,
    `update ${tablePath(target, LEASES_TABLE)} set expires_at = timestamp_millis(unix_millis(current_timestamp()) + @lease_ms) where table_name = @table_name and owner = @owner`,
    { table_name: { type: 'STRING', value: table }, owner: { type: 'STRING', value: owner }, lease_ms: { type: 'INT64', value: leaseMs } },
  );
  return (affected ?? 0) > 0;
}

export async function releaseLease(target: BigQueryTarget, table: string, owner: string): Promise<void> {
  await runQuery(target, `release lease ${table}`, `update ${tablePath(target, LEASES_TABLE)} set owner = null, acquired_at = null, expires_at = null where table_name = @table_name and owner = @owner`, {
    table_name: { type: 'STRING', value: table },
    owner: { type: 'STRING', value: owner },
  });
}
