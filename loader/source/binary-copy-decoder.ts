/**
 * Decodes a binary COPY stream of typed columns into column batches (Parquet parts). Each tuple
 * holds the row's exported columns, cast by the query to the kinds ColumnBatch reads, and a last
 * field that is null for a valid row and, for a row to quarantine, its JSON with a last key
 * `_reject` holding the reasons (built by Postgres only for those rows). A valid row costs a length
 * read and a byte copy per field: no text parsing, no escaping, no JavaScript value per field.
 */
import { Writable } from 'node:stream';
import { ColumnBatch, type BatchColumn } from '../stage/column-batch.js';
import { REJECT_COLUMN } from './column-sql.js';
import type { SplitterCounts } from './copy-row-splitter.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const REJECT_KEY = `,"${REJECT_COLUMN}":`;

export interface DecoderLimits {
  /** Rows per batch (Parquet part). */
  rows: number;
  /** Variable-length bytes per batch; a batch closes early once it holds this many. */
  bytes: number;
}

export class BinaryCopyDecoder extends Writable {
  readonly counts: SplitterCounts = { rows: 0, rejected: 0 };
  private pending: Buffer | null = null;
  private headerDone = false;
  private finished = false;
  private batch: ColumnBatch;
  private readonly fields: number;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;

  constructor(
    private readonly columns: BatchColumn[],
    private readonly limits: DecoderLimits,
    private readonly onBatch: (batch: ColumnBatch) => Promise<void>,
    private readonly onReject: (reason: string, rowJson: string) => void,
    private readonly onProgress?: (counts: SplitterCounts) => void,
  ) {
    super({ highWaterMark: 1 << 20 });
    this.fields = columns.length + 1;
    this.starts = new Int32Array(this.fields);
    this.lengths = new Int32Array(this.fields);
    this.batch = new ColumnBatch(columns, limits.rows);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let buf = chunk;
    if (this.pending) buf = Buffer.concat([this.pending, chunk]);
    this.pending = null;
    this.drain(buf, 0).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.pending && this.pending.length > 0) return callback(new Error(`binary COPY stream ended inside a row (${this.pending.length} bytes left)`));
    if (!this.finished) return callback(new Error('binary COPY stream ended without its trailer'));
    this.emitBatch().then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  /** Parses whole tuples from `buf` from `pos`, handing over each full batch before going on. */
  private async drain(buf: Buffer, pos: number): Promise<void> {
    let at = pos;
    for (;;) {
      at = this.parse(buf, at);
      if (!this.batch.full && this.batch.textBytes < this.limits.bytes) break;
      await this.emitBatch();
    }
    if (at < buf.length && !this.finished) this.pending = Buffer.from(buf.subarray(at));
  }

  private async emitBatch(): Promise<void> {
    if (this.batch.length === 0) return;
    const full = this.batch;
    this.batch = new ColumnBatch(this.columns, this.limits.rows);
    await this.onBatch(full);
  }

  /** Parses tuples until the buffer ends mid-tuple or the batch is full; returns where it stopped. */
  private parse(buf: Buffer, from: number): number {
    let pos = from;
    if (!this.headerDone) {
      if (buf.length - pos < 19) return pos;
      if (!buf.subarray(pos, pos + 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream (bad signature)');
      const extension = buf.readUInt32BE(pos + 15);
      if (buf.length - pos < 19 + extension) return pos;
      pos += 19 + extension;
      this.headerDone = true;
    }
    const { starts, lengths, fields } = this;
    const last = fields - 1;
    while (!this.finished && pos + 2 <= buf.length && !this.batch.full && this.batch.textBytes < this.limits.bytes) {
      const count = buf.readInt16BE(pos);
      if (count === -1) {
        this.finished = true;
        return buf.length;
      }
      if (count !== fields) throw new Error(`expected ${fields} fields per COPY row, got ${count}`);
      let p = pos + 2;
      let complete = true;
      for (let i = 0; i < fields; i++) {
        if (p + 4 > buf.length) {
          complete = false;
          break;
        }
        const length = buf.readInt32BE(p);
        p += 4;
        starts[i] = p;
        lengths[i] = length;
        if (length > 0) p += length;
        if (p > buf.length) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      if (lengths[last]! < 0) {
        this.batch.append(buf, starts, lengths);
        this.counts.rows++;
      } else {
        this.reject(buf.toString('utf8', starts[last]!, starts[last]! + lengths[last]!));
      }
      pos = p;
      if (this.onProgress && ((this.counts.rows + this.counts.rejected) & 0xffff) === 0) this.onProgress(this.counts);
    }
    return pos;
  }

  private reject(text: string): void {
    const at = text.lastIndexOf(REJECT_KEY);
    if (at < 0) throw new Error(`COPY row without its ${REJECT_COLUMN} key`);
    const reason = JSON.parse(text.slice(at + REJECT_KEY.length, -1)) as unknown;
    this.counts.rejected++;
    this.onReject(typeof reason === 'string' ? reason : String(reason), `${text.slice(0, at)}}`);
  }
}
