import { once } from 'node:events';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quotePg } from '../common/identifiers.js';
import type { DemoRow, RowValue } from './generate/row.js';
import { qualified } from './source-schema.js';
import type { SourceTable } from './source-contracts.js';

/** One value in COPY's text format: \N for null, backslash escapes for the separators. */
function encode(value: RowValue | undefined): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') text = JSON.stringify(value);
  else if (typeof value === 'boolean') text = value ? 't' : 'f';
  else text = String(value);
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * Streams rows into `target` (default: the source table) with COPY FROM STDIN, honouring back-pressure,
 * so millions of rows never sit in memory. Returns the number of rows written.
 */
export async function copyRows(client: Client, table: SourceTable, rows: Iterable<DemoRow>, target?: string): Promise<number> {
  const columns = table.columns.map((c) => c.name);
  const stream = client.query(copyFrom(`copy ${target ?? qualified(table)} (${columns.map(quotePg).join(', ')}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let count = 0;
  let chunk: string[] = [];
  let chunkBytes = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const ok = stream.write(chunk.join(''));
    chunk = [];
    chunkBytes = 0;
    if (!ok) await once(stream, 'drain');
  };
  try {
    for (const row of rows) {
      const line = `${columns.map((c) => encode(row[c])).join('\t')}\n`;
      chunk.push(line);
      chunkBytes += line.length;
      count += 1;
      if (chunkBytes > 256 * 1024) await flush();
    }
    await flush();
    stream.end();
  } catch (error) {
    stream.destroy(error as Error);
    throw error;
  }
  await done;
  return count;
}
