/**
 * Rows the CSV framer held back because their metrics failed its check (csv-row-framer.ts): read
 * again by primary key inside the same snapshot, with every contract check in the per-row test,
 * so Postgres writes their reasons and row JSON exactly as it does for any row it quarantines.
 * Each held row must come back broken: a row Postgres finds valid, or one it cannot find, means
 * the framer and Postgres disagree, and the extraction fails rather than drop or land it wrongly.
 */
import type pg from 'pg';
import { quotePg, sqlIdentifier } from '../../common/identifiers.js';
import { REJECT_COLUMN } from './column-sql.js';
import { splitRejectJson } from './csv-row-framer.js';

export interface HeldRowsLookup {
  /** The row subquery over the window narrowed to keys given as text arrays ($1 … $k), every check on. */
  sql: string;
}

/** Keys read back per query (each key column one text[] parameter). */
const KEYS_PER_QUERY = 10_000;

/**
 * The lookup's SQL: `select` is the full row select list, `from`/`where` the window's; each key
 * column compared in its own Postgres type (`udt`), so the primary key's index serves it.
 */
export function heldRowsLookup(select: string, from: string, where: string, keys: { name: string; udt: string }[], alias = 't'): HeldRowsLookup {
  const typed = keys.map((k, i) => `$${i + 1}::${sqlIdentifier(k.udt, 'type')}[]`);
  const filter =
    keys.length === 1
      ? `${alias}.${quotePg(keys[0]!.name)} = any(${typed[0]})`
      : `(${keys.map((k) => `${alias}.${quotePg(k.name)}`).join(', ')}) in (select * from unnest(${typed.join(', ')}))`;
  return { sql: `select r.${quotePg(REJECT_COLUMN)} is not null as broken, row_to_json(r)::text as row_json from (select ${select} from ${from} where ${where} and ${filter}) as r` };
}

/** Quarantines the held rows (`held`: key texts per row, in key order); returns how many. */
export async function quarantineHeldRows(client: pg.Client, lookup: HeldRowsLookup, held: string[][], onReject: (reason: string, rowJson: string) => void): Promise<number> {
  let found = 0;
  for (let at = 0; at < held.length; at += KEYS_PER_QUERY) {
    const slice = held.slice(at, at + KEYS_PER_QUERY);
    const columns = slice[0]!.map((_, i) => slice.map((key) => key[i]!));
    const result = await client.query<{ broken: boolean; row_json: string }>(lookup.sql, columns);
    for (const row of result.rows) {
      if (!row.broken) throw new Error(`a row the loader's metrics check failed passes Postgres's checks: ${row.row_json.slice(0, 200)}`);
      const { reason, rowJson } = splitRejectJson(row.row_json);
      onReject(reason, rowJson);
    }
    found += result.rows.length;
    if (result.rows.length !== slice.length) throw new Error(`${slice.length} rows held back by the loader's metrics check, but Postgres read back ${result.rows.length} of them`);
  }
  return found;
}
