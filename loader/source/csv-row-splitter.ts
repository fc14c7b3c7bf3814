/**
 * Splits a CSV COPY stream (`format csv, null '\N'`) whose first field says what the row is into
 * staged CSV of the valid rows and a callback for the rows to quarantine. The first field is:
 * - `\N`: a valid row none of whose fields holds a line break, so it ends at the next newline
 *   (found with Buffer.indexOf: no JavaScript work per byte, the common case);
 * - `m`: a valid row with a line break inside some quoted field (Postgres marks it, see
 *   stage-format.ts): its end is the first newline outside quotes, found byte by byte;
 * - the quoted row JSON of a row to quarantine (read the same careful way).
 * Postgres quotes and escapes every field. A valid row is copied without its leading `\N,` or
 * `m,`; output goes out as whole rows with their count (RowChunk).
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { RowChunk } from '../stage/part-writer.js';
import { REJECT_COLUMN } from './column-sql.js';
import type { SplitterCounts } from './copy-row-splitter.js';

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const N = 0x4e;
const COMMA = 0x2c;
const M = 0x6d;
/** Default bytes of an output chunk. */
const OUT_CHUNK = 256 * 1024;
const REJECT_KEY = `,"${REJECT_COLUMN}":`;

export class CsvRowSplitter extends Transform {
  readonly counts: SplitterCounts = { rows: 0, rejected: 0 };
  /** The current row's bytes from earlier chunks; whether it is read quote by quote, and inside quotes. */
  private pending: Buffer[] = [];
  private careful = false;
  private quoted = false;
  /** Each chunk gets a buffer of its own (it goes downstream), of the chunk's size: no spare half to collect. */
  private out: Buffer;
  private outPos = 0;
  private outRows = 0;

  constructor(
    private readonly onReject: (reason: string, rowJson: string) => void,
    private readonly onProgress?: (counts: SplitterCounts) => void,
    /** Bytes after which a chunk goes out (parts close between chunks, so at most the part size). */
    private readonly chunkBytes = OUT_CHUNK,
  ) {
    super({ readableObjectMode: true, readableHighWaterMark: 4 });
    this.out = Buffer.allocUnsafe(chunkBytes);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const n = chunk.length;
      let i = 0;
      while (i < n) {
        // A row's first byte (here, or in an earlier chunk) says how its end is found.
        if (this.pending.length === 0) this.careful = chunk[i] !== BACKSLASH;
        const end = this.careful ? this.quotedRowEnd(chunk, i) : chunk.indexOf(NEWLINE, i);
        if (end < 0) {
          // Copy the tail so the chunk it came from can be collected.
          this.pending.push(Buffer.from(chunk.subarray(i)));
          break;
        }
        if (this.pending.length > 0) {
          this.pending.push(chunk.subarray(i, end + 1));
          const row = Buffer.concat(this.pending);
          this.pending = [];
          this.row(row, 0, row.length);
        } else {
          this.row(chunk, i, end + 1);
        }
        i = end + 1;
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** The first newline outside quotes from `from` (the quote state carries over chunks), or -1. */
  private quotedRowEnd(chunk: Buffer, from: number): number {
    let q = this.quoted;
    for (let i = from; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === QUOTE) q = !q;
      else if (c === NEWLINE && !q) {
        this.quoted = false;
        return i;
      }
    }
    this.quoted = q;
    return -1;
  }

  override _flush(callback: TransformCallback): void {
    if (this.pending.some((b) => b.length > 0)) return callback(new Error('CSV COPY stream ended inside a row'));
    this.flushOut();
    callback();
  }

  private row(buf: Buffer, start: number, end: number): void {
    if (buf[start] === BACKSLASH && buf[start + 1] === N && buf[start + 2] === COMMA) {
      this.append(buf, start + 3, end);
    } else if (buf[start] === M && buf[start + 1] === COMMA) {
      this.append(buf, start + 2, end);
    } else {
      this.reject(buf, start, end);
    }
    if (this.onProgress && ((this.counts.rows + this.counts.rejected) & 0xffff) === 0) this.onProgress(this.counts);
  }

  private append(buf: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.outPos + length > this.out.length) {
      this.flushOut();
      if (length > this.out.length) this.out = Buffer.allocUnsafe(length);
    }
    buf.copy(this.out, this.outPos, start, end);
    this.outPos += length;
    this.outRows++;
    this.counts.rows++;
    if (this.outPos >= this.chunkBytes) this.flushOut();
  }

  /** The first field is the quoted row JSON; its last key holds the reasons. */
  private reject(buf: Buffer, start: number, end: number): void {
    if (buf[start] !== QUOTE) throw new Error('CSV COPY row without its quarantine field');
    let i = start + 1;
    for (; i < end; i++) {
      if (buf[i] === QUOTE) {
        if (buf[i + 1] === QUOTE) i++;
        else break;
      }
    }
    const text = buf.toString('utf8', start + 1, i).replace(/""/g, '"');
    const at = text.lastIndexOf(REJECT_KEY);
    if (at < 0) throw new Error(`COPY row without its ${REJECT_COLUMN} key`);
    const reason = JSON.parse(text.slice(at + REJECT_KEY.length, -1)) as unknown;
    this.counts.rejected++;
    this.onReject(typeof reason === 'string' ? reason : String(reason), `${text.slice(0, at)}}`);
  }

  private flushOut(): void {
    if (this.outPos === 0) return;
    const chunk: RowChunk = { bytes: this.out.subarray(0, this.outPos), rows: this.outRows };
    this.push(chunk);
    this.out = Buffer.allocUnsafe(this.chunkBytes);
    this.outPos = 0;
    this.outRows = 0;
  }
}
