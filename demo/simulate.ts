import type { Client } from 'pg';
import { quotePg } from '../common/identifiers.js';
import { copyRows } from './copy-rows.js';
import type { DemoData, TimeWindow } from './generate/index.js';
import { qualified } from './source-schema.js';
import type { SourceTable } from './source-contracts.js';

export interface SimulatedChanges {
  inserted: number;
  updated: number;
  /** Rows hard-deleted (news events retracted by their publisher); absent where nothing is deleted. */
  deleted?: number;
}

/** News events retracted: about one in five, two days after they were first reported (past any revision). */
const RETRACTION_DELAY = '48 hours';
const RETRACTION_BYTE_BELOW = 52;

/**
 * Writes what happened in the window to the source, as the operational systems would: new rows appended,
 * changed rows updated in place (devices moved, runs finishing, risk scores revised), and full-refresh
 * reference tables rewritten (indicators revised), and news events retracted (deleted: the source keeps no
 * deleted_at, which is what the loader's delete key scan is for). One transaction, so a loader never sees
 * half of it.
 */
export async function applyWindow(client: Client, tables: SourceTable[], data: DemoData, window: TimeWindow): Promise<Record<string, SimulatedChanges>> {
  const result: Record<string, SimulatedChanges> = {};
  await client.query('begin');
  try {
    for (const table of tables) result[table.name] = await applyTable(client, table, data, window);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return result;
}

async function applyTable(client: Client, table: SourceTable, data: DemoData, window: TimeWindow): Promise<SimulatedChanges> {
  const target = qualified(table);
  const temp = quotePg(`demo_incoming_${table.table}`);
  await client.query(`create temp table ${temp} (like ${target}) on commit drop`);
  let nextReadingId = 1;
  if (table.name === 'telemetry_readings') {
    const max = await client.query<{ next: string }>(`select coalesce(max(reading_id), 0) + 1 as next from ${target}`);
    nextReadingId = Number(max.rows[0]?.next ?? 1);
  }
  await copyRows(client, table, data.rows(table.name, window, { nextReadingId }), temp);
  const columns = table.columns.map((c) => quotePg(c.name));
  const keys = table.primaryKey.map(quotePg);
  if (table.loadMode === 'full_refresh') {
    // Revisions and new observations: upsert everything, then drop what the publisher withdrew.
    await client.query(`delete from ${target} t where not exists (select 1 from ${temp} i where ${keys.map((k) => `i.${k} = t.${k}`).join(' and ')})`);
  }
  const nonKeys = columns.filter((c) => !keys.includes(c));
  const changed = nonKeys.map((c) => `${target}.${c} is distinct from excluded.${c}`).join(' or ');
  const upsert = await client.query<{ inserted: string; total: string }>(
    `with written as (
       insert into ${target} (${columns.join(', ')}) select ${columns.join(', ')} from ${temp}
       on conflict (${keys.join(', ')}) do update set ${nonKeys.map((c) => `${c} = excluded.${c}`).join(', ')}
       where ${changed || 'false'}
       returning (xmax = 0) as inserted
     )
     select count(*) filter (where inserted) as inserted, count(*) as total from written`,
  );
  const inserted = Number(upsert.rows[0]?.inserted ?? 0);
  const changes: SimulatedChanges = { inserted, updated: Number(upsert.rows[0]?.total ?? 0) - inserted };
  if (table.name === 'news_events' && window.from !== null) changes.deleted = await retractNews(client, target, window.from, window.to);
  return changes;
}

/**
 * Retracts the news events first reported in the window shifted back by RETRACTION_DELAY, about one in
 * five, chosen by their id (the same seed always retracts the same events). Consecutive windows retract
 * disjoint events; the generator never writes an event again that long after it was reported.
 */
async function retractNews(client: Client, target: string, from: Date, to: Date): Promise<number> {
  const result = await client.query(
    `delete from ${target}
     where mentioned_at > $1::timestamptz - $3::interval and mentioned_at <= $2::timestamptz - $3::interval
       and get_byte(decode(md5(event_id), 'hex'), 0) < $4`,
    [from.toISOString(), to.toISOString(), RETRACTION_DELAY, RETRACTION_BYTE_BELOW],
  );
  return result.rowCount ?? 0;
}
