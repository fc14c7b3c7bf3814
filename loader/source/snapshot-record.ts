/**
 * The source snapshot a batch records with its lineage (export_batches.source_snapshot), and the
 * rule by which the next incremental batch may use it to skip rows of the lookback that an earlier
 * batch already read (window.ts, "lookback with a recorded snapshot").
 *
 * The record is taken on the extraction's connection just before its snapshot (`begin ... repeatable
 * read`), so it is never newer than the snapshot the rows were read in: a transaction that had
 * finished when the record was taken had finished for the extraction too. Only its xmin is used:
 * every transaction ID below a snapshot's xmin (a subtransaction's as well, since a subtransaction's
 * ID is above its parent's) had ended when the snapshot was taken. `pg_visible_in_snapshot` is not
 * used: the snapshot's xip list holds no subtransaction IDs, so it would call a row inserted under
 * a savepoint of a transaction still running at the time "visible" (Postgres documents that it
 * must not be given subtransaction IDs), and on a standby the list is empty.
 *
 * A record is usable only when nothing about it is uncertain (`usableSnapshot`); otherwise the batch
 * falls back to the plain lookback.
 */
import type pg from 'pg';

export interface SourceSnapshot {
  /** pg_current_snapshot() as text, `xmin:xmax:xip,...` (64-bit transaction IDs). */
  snapshot: string;
  /** pg_control_system().system_identifier: which cluster. */
  system: string;
  /** pg_control_checkpoint().timeline_id: which history of it (a restore or promotion changes it). */
  timeline: number;
  database: string;
  /** The source relation, as the contract names it (quoted). */
  relation: string;
  /** The lookback the batch read with: a record is usable only under the same lookback. */
  lookbackSeconds: number;
}

/** Why a source gives no record (or a record cannot be used): the plain lookback applies. */
export type SnapshotOutcome = { snapshot: SourceSnapshot } | { fallback: string };

interface Capabilities {
  version: number;
  control: boolean | null;
  relkind: string | null;
  heap: boolean;
  standby: boolean;
}

/**
 * The record for a batch about to read `relation`, or why there is none. Reads only catalogs and
 * control functions, outside any transaction; a missing privilege or function is a fallback, never
 * an error (the checks run before the functions are called).
 */
export async function readSourceSnapshot(client: pg.Client, relation: string, lookbackSeconds: number): Promise<SnapshotOutcome> {
  const caps = await client.query<Capabilities>(
    `select current_setting('server_version_num')::int as version,
  has_function_privilege(to_regprocedure('pg_catalog.pg_control_system()'), 'execute')
    and has_function_privilege(to_regprocedure('pg_catalog.pg_control_checkpoint()'), 'execute') as control,
  (select c.relkind::text from pg_catalog.pg_class as c where c.oid = to_regclass($1)) as relkind,
  -- Every relation that stores the rows (the table, or each leaf partition) a heap table: a foreign
  -- table or another access method may give no meaningful xmin.
  (select coalesce(bool_and(c.relkind = 'r' and a.amname = 'heap'), false)
     from pg_catalog.pg_class as c left join pg_catalog.pg_am as a on a.oid = c.relam
     where c.relkind <> 'p' and c.oid in (select to_regclass($1) union all select p.relid from pg_catalog.pg_partition_tree(to_regclass($1)) as p)) as heap,
  pg_is_in_recovery() as standby`,
    [relation],
  );
  const row = caps.rows[0];
  if (!row) return { fallback: 'the source answered no capabilities' };
  if (row.version < 130000) return { fallback: 'Postgres before 13 has no pg_current_snapshot' };
  if (row.control !== true) return { fallback: 'no privilege on pg_control_system()/pg_control_checkpoint()' };
  if (row.standby) return { fallback: 'the source is a standby' };
  if (row.relkind !== 'r' && row.relkind !== 'p') return { fallback: `the source relation is not a table (relkind ${row.relkind ?? 'unknown'})` };
  if (!row.heap) return { fallback: 'the source relation stores rows outside heap tables (a foreign partition or another access method)' };
  const result = await client.query<{ snapshot: string; system: string; timeline: number; database: string }>(
    `select pg_current_snapshot()::text as snapshot, (select system_identifier::text from pg_control_system()) as system,
  (select timeline_id from pg_control_checkpoint()) as timeline, current_database() as database`,
  );
  const s = result.rows[0];
  if (!s) return { fallback: 'the source answered no snapshot' };
  return { snapshot: { snapshot: s.snapshot, system: s.system, timeline: Number(s.timeline), database: s.database, relation, lookbackSeconds } };
}

/** The record as stored in export_batches.source_snapshot. */
export function serializeSnapshot(snapshot: SourceSnapshot): string {
  return JSON.stringify(snapshot);
}

/** A stored record, or null when absent or not one this loader wrote. */
export function parseSnapshot(text: string | null | undefined): SourceSnapshot | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<SourceSnapshot>;
    if (typeof v.snapshot !== 'string' || !/^\d+:\d+:(\d+(,\d+)*)?$/.test(v.snapshot)) return null;
    if (typeof v.system !== 'string' || typeof v.timeline !== 'number' || typeof v.database !== 'string' || typeof v.relation !== 'string' || typeof v.lookbackSeconds !== 'number') return null;
    return { snapshot: v.snapshot, system: v.system, timeline: v.timeline, database: v.database, relation: v.relation, lookbackSeconds: v.lookbackSeconds };
  } catch {
    return null;
  }
}

/** xmin and xmax of a snapshot's text. */
export function snapshotBounds(snapshot: SourceSnapshot): { xmin: bigint; xmax: bigint } {
  const [xmin, xmax] = snapshot.snapshot.split(':');
  return { xmin: BigInt(xmin ?? '0'), xmax: BigInt(xmax ?? '0') };
}

/**
 * How far behind the current transaction ID a record may be. The window compares 32-bit row xmins
 * with the record's xmin modulo 2^32, which is exact while every ID compared lies within 2^31 of it;
 * half of that leaves room for IDs assigned between this check and the extraction's snapshot.
 */
export const MAX_SNAPSHOT_AGE = 2n ** 30n;

/**
 * Whether `previous` (the record of the batch that set the watermark) may bound this batch's
 * lookback, given `current` (this batch's own record) and the contract hashes of both batches.
 * Returns the previous xmin to compare with, or why not.
 */
export function usableSnapshot(previous: SourceSnapshot | null, previousContractHash: string | null, current: SnapshotOutcome, contractHash: string): { xmin: bigint } | { fallback: string } {
  if (!previous) return { fallback: 'the watermark batch recorded no source snapshot' };
  if ('fallback' in current) return current;
  const now = current.snapshot;
  if (previousContractHash !== contractHash) return { fallback: 'the contract changed since the watermark batch' };
  if (previous.lookbackSeconds !== now.lookbackSeconds) return { fallback: 'the lookback changed since the watermark batch' };
  if (previous.system !== now.system || previous.timeline !== now.timeline) return { fallback: 'another Postgres cluster or timeline than the watermark batch read' };
  if (previous.database !== now.database || previous.relation !== now.relation) return { fallback: 'another database or relation than the watermark batch read' };
  const before = snapshotBounds(previous);
  const after = snapshotBounds(now);
  // A restored backup reuses transaction IDs: the recorded ones would mean other transactions.
  if (after.xmax < before.xmax) return { fallback: 'the source transaction IDs are behind the recorded snapshot' };
  if (after.xmax - before.xmin >= MAX_SNAPSHOT_AGE) return { fallback: 'the recorded snapshot is too many transactions old' };
  return { xmin: before.xmin };
}
