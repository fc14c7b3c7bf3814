/**
 * Splits a binary COPY stream of one text column, each row's JSON with a last key `_reject` holding
 * its quarantine reasons (null when valid), into NDJSON bytes for valid rows and a callback for
 * rows to quarantine. Binary COPY needs no unescaping (text COPY would double every backslash in the
 * JSON), and a valid row ends with the fixed bytes `,"_reject":null}`, so it costs one buffer copy:
 * no JSON parsing in JavaScript. Output is batched into large chunks to keep per-row stream
 * overhead out of the hot path.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { REJECT_COLUMN } from './column-sql.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const VALID_SUFFIX = Buffer.from(`,"${REJECT_COLUMN}":null}`);
const REJECT_KEY = `,"${REJECT_COLUMN}":`;
const OUT_CHUNK = 512 * 1024;
const FLUSH_AT = 256 * 1024;
const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;

/** `buf` holds VALID_SUFFIX at `at` (a byte loop: cheaper than Buffer#compare's call overhead for 16 bytes, once per row). */
function endsWithValidSuffix(buf: Buffer, at: number): boolean {
  for (let i = VALID_SUFFIX.length - 1; i >= 0; i--) if (buf[at + i] !== VALID_SUFFIX[i]) return false;
  return true;
}

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
      let rest = chunk;
      // A row cut by the previous chunk: join it with only the bytes it still needs (joining the
      // whole chunk would copy every byte of the stream once more, as nearly every chunk ends mid-row).
      while (this.pending && rest.length > 0) {
        const take = Math.min(rest.length, this.bytesStillNeeded(this.pending));
        this.consume(Buffer.concat([this.pending, rest.subarray(0, take)]));
        rest = rest.subarray(take);
      }
      if (rest.length > 0) this.consume(rest);
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

  /** Parses what `buf` holds and keeps its incomplete tail as `pending`. */
  private consume(buf: Buffer): void {
    const consumed = this.parse(buf);
    // Copy the remainder so the (large) chunk it came from can be collected.
    this.pending = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null;
  }

  /** How many more bytes complete the header or tuple that `pending` starts (at least 1). */
  private bytesStillNeeded(pending: Buffer): number {
    let total: number;
    if (!this.headerDone) total = pending.length < 19 ? 19 : 19 + pending.readUInt32BE(15);
    else if (pending.length < 6) total = pending.length < 2 || pending.readInt16BE(0) !== -1 ? 6 : 2;
    else total = 6 + Math.max(0, pending.readInt32BE(2));
    return Math.max(1, total - pending.length);
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
      if (fields !== 1) throw new Error(`expected 1 field per COPY row, got ${fields}`);
      if (pos + 6 > buf.length) break;
      const length = buf.readInt32BE(pos + 2);
      if (length < 0) throw new Error('COPY row is null (row_to_json never returns null)');
      const start = pos + 6;
      const end = start + length;
      if (end > buf.length) break;
      this.route(buf, start, end);
      pos = end;
      if (this.onProgress && ((this.counts.rows + this.counts.rejected) & 0xffff) === 0) this.onProgress(this.counts);
    }
    return pos;
  }

  private route(buf: Buffer, start: number, end: number): void {
    const suffixStart = end - VALID_SUFFIX.length;
    if (suffixStart > start && endsWithValidSuffix(buf, suffixStart)) {
      this.appendRow(buf, start, suffixStart);
      this.counts.rows++;
      return;
    }
    // A broken row: its reasons are the last key's string value.
    const text = buf.toString('utf8', start, end);
    const at = text.lastIndexOf(REJECT_KEY);
    if (at < 0) throw new Error(`COPY row without its ${REJECT_COLUMN} key`);
    const reason = JSON.parse(text.slice(at + REJECT_KEY.length, -1)) as unknown;
    this.counts.rejected++;
    this.onReject(typeof reason === 'string' ? reason : String(reason), `${text.slice(0, at)}}`);
  }

  /** Copies the row's JSON without its `_reject` key: bytes up to the suffix, then `}` and a newline. */
  private appendRow(buf: Buffer, start: number, end: number): void {
    const length = end - start + 2;
    if (this.outPos + length > this.out.length) {
      this.flushOut();
      if (length > this.out.length) this.out = Buffer.allocUnsafe(length);
    }
    buf.copy(this.out, this.outPos, start, end);
    this.out[this.outPos + length - 2] = CLOSE_BRACE;
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
