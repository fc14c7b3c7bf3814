import type { Client } from 'pg';
import { copyRows } from './copy-rows.js';
import type { DemoData } from './generate/index.js';
import { createCursorIndexSql, createTableSql, qualified } from './source-schema.js';
import type { SourceTable } from './source-contracts.js';
import { quotePg } from '../common/identifiers.js';

export type TableCounts = Record<string, number>;

/** Creates the source tables from the contracts, replacing any left by an interrupted seed. */
export async function createSourceTables(client: Client, tables: SourceTable[], options: { replace: boolean }): Promise<void> {
  await client.query('begin');
  try {
    for (const table of tables) {
      await client.query(`create schema if not exists ${quotePg(table.schema)}`);
      if (options.replace) await client.query(`drop table if exists ${qualified(table)}`);
      await client.query(createTableSql(table));
      const index = createCursorIndexSql(table);
      if (index !== null) await client.query(index);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** Fills every source table with the history up to the anchor (COPY FROM STDIN), then analyzes them. */
export async function seedSourceTables(
  client: Client, tables: SourceTable[], data: DemoData, onTable?: (table: string, rows: number) => void,
): Promise<TableCounts> {
  const counts: TableCounts = {};
  const window = { from: null, to: new Date(data.timeline.anchor) };
  for (const table of tables) {
    counts[table.name] = await copyRows(client, table, data.rows(table.name, window, { nextReadingId: 1 }));
    await client.query(`analyze ${qualified(table)}`);
    onTable?.(table.name, counts[table.name] ?? 0);
  }
  return counts;
}
