/**
 * Splits a binary COPY stream of (reject_reason text, row_json text) tuples into NDJSON bytes for
 * valid rows and a callback for rows to quarantine. Binary COPY needs no unescaping (text COPY
 * would double every backslash inside the JSON), so a valid row is one buffer copy plus a newline.
 * Output is batched into large chunks to keep per-row stream overhead out of the hot path.
 */
import { Transform, type TransformCallback } from 'node:stream';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const OUT_CHUNK = 512 * 1024;
const FLUSH_AT = 256 * 1024;
const NEWLINE = 0x0a;

export interface SplitterCounts {
  rows: number;
  rejected: number;
}

export class CopyRowSplitter extends Transform {
  readonly counts: SplitterCounts = { rows: 0, rejected: 0 };
  private pending: Buffer | null = null;
  private headerDone = false;
  private finished = false;
  private out = Buffer.allocUnsafe(OUT_CHUNK);
  private outPos = 0;

  constructor(
    private readonly onReject: (reason: string, rowJson: string) => void,
    private readonly onProgress?: (counts: SplitterCounts) => void,
  ) {
    super({ readableHighWaterMark: 4 * OUT_CHUNK });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
      const consumed = this.parse(buf);
      // Copy the remainder so the (large) chunk it came from can be collected.
      this.pending = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null;
      if (this.outPos >= FLUSH_AT) this.flushOut();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.pending && this.pending.length > 0) return callback(new Error(`binary COPY stream ended inside a row (${this.pending.length} bytes left)`));
    if (!this.finished) return callback(new Error('binary COPY stream ended without its trailer'));
    this.flushOut();
    callback();
  }

  /** Parses whole tuples from `buf`; returns how many bytes were consumed. */
  private parse(buf: Buffer): number {
    let pos = 0;
    if (!this.headerDone) {
      if (buf.length < 19) return 0;
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream (bad signature)');
      const extension = buf.readUInt32BE(15);
      if (buf.length < 19 + extension) return 0;
      pos = 19 + extension;
      this.headerDone = true;
    }
    while (pos + 2 <= buf.length) {
      const fields = buf.readInt16BE(pos);
      if (fields === -1) {
        this.finished = true;
        return buf.length;
      }
      if (fields !== 2) throw new Error(`expected 2 fields per COPY row, got ${fields}`);
      // reason length, reason, json length, json
      if (pos + 6 > buf.length) break;
      const reasonLength = buf.readInt32BE(pos + 2);
      const reasonStart = pos + 6;
      const afterReason = reasonStart + Math.max(reasonLength, 0);
      if (afterReason + 4 > buf.length) break;
      const jsonLength = buf.readInt32BE(afterReason);
      const jsonStart = afterReason + 4;
      const end = jsonStart + Math.max(jsonLength, 0);
      if (end > buf.length) break;
      if (reasonLength < 0) {
        this.appendRow(buf, jsonStart, end);
        this.counts.rows++;
      } else {
        this.counts.rejected++;
        this.onReject(buf.toString('utf8', reasonStart, afterReason), jsonLength < 0 ? 'null' : buf.toString('utf8', jsonStart, end));
      }
      pos = end;
      if (this.onProgress && ((this.counts.rows + this.counts.rejected) & 0xffff) === 0) this.onProgress(this.counts);
    }
    return pos;
  }

  private appendRow(buf: Buffer, start: number, end: number): void {
    const length = end - start + 1;
    if (this.outPos + length > this.out.length) {
      this.flushOut();
      if (length > this.out.length) this.out = Buffer.allocUnsafe(length);
    }
    buf.copy(this.out, this.outPos, start, end);
    this.out[this.outPos + length - 1] = NEWLINE;
    this.outPos += length;
  }

  private flushOut(): void {
    if (this.outPos === 0) return;
    // The pushed slice belongs to the consumer now; start a fresh buffer.
    this.push(this.out.subarray(0, this.outPos));
    this.out = Buffer.allocUnsafe(OUT_CHUNK);
    this.outPos = 0;
  }
}
