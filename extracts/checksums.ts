/**
 * What a written object holds, read back by streaming it once: its size, its sha256, and for
 * JSON lines and CSV its record count (after gunzip when compressed), so the manifest reports
 * what is in the destination, not what the job said it wrote.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ExportConfig } from '../contracts/schema/exports.js';

export interface ObjectDigest {
  bytes: number;
  sha256: string;
  /** Records in the object; undefined for Parquet, whose row count is not read here. */
  rows?: number;
}

/** Counts CSV records: newlines outside double quotes (a quoted field may hold line breaks; `""` toggles twice). */
function recordCounter(csv: boolean): { feed(chunk: Buffer): void; count(): number } {
  let lines = 0;
  let quoted = false;
  let last = 0x0a;
  return {
    feed(chunk) {
      for (const byte of chunk) {
        if (csv && byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) lines += 1;
        last = byte;
      }
    },
    // a last record without its newline still counts
    count: () => lines + (last === 0x0a ? 0 : 1),
  };
}

export async function digestObject(stream: Readable, config: ExportConfig): Promise<ObjectDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  // hashes the stored bytes (before any gunzip) on their way through
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  if (config.format === 'parquet') {
    await pipeline(stream, tap, async (source: AsyncIterable<Buffer>): Promise<void> => {
      for await (const chunk of source) void chunk;
    });
    return { bytes, sha256: hash.digest('hex') };
  }
  const counter = recordCounter(config.format === 'csv');
  const count = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) counter.feed(chunk);
  };
  if (config.compression === 'gzip') await pipeline(stream, tap, createGunzip(), count);
  else await pipeline(stream, tap, count);
  const header = config.format === 'csv' && (config.csv?.header ?? true) ? 1 : 0;
  return { bytes, sha256: hash.digest('hex'), rows: Math.max(0, counter.count() - header) };
}
