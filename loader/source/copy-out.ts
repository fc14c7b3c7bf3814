/**
 * A `COPY ... TO STDOUT` read straight off the Postgres connection, framed by the protocol itself:
 * Postgres sends one CopyData message per row, so a row's end is known from its message length,
 * with no search for newlines or quotes. A framer (csv-row-splitter.ts) says per row which of its
 * bytes go downstream; those are moved down in the socket's own chunk (copyWithin: no allocation
 * or copy into another buffer per row) and go out as RowChunk slices of it. Compared with
 * pg-copy-streams feeding a splitter, this drops a slice object per row, a concatenation of every
 * chunk and the splitter's own pass over the bytes.
 *
 * It attaches to the connection as pg-copy-streams' copy-to does: pg's data listener is set aside
 * for the COPY and gets the bytes back from the first message after CopyDone, or from an
 * ErrorResponse on (pg then reports the error through handleError). Writing into the chunks is
 * safe because each chunk a socket reads is a buffer of its own, which no one else holds once read.
 */
import { Readable } from 'node:stream';
import type pg from 'pg';
import type { RowChunk } from '../stage/part-writer.js';

const COPY_OUT_RESPONSE = 0x48; // H
const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const ERROR_RESPONSE = 0x45; // E
/** Asynchronous messages Postgres may send at any time, also during a COPY. */
const ASYNC_MESSAGES = new Set([0x4e /* N notice */, 0x53 /* S parameter status */, 0x41 /* A notification */]);

export interface CopyRowFramer {
  /**
   * One row, the CopyData payload `buf[start, end)`: where the bytes that go downstream start
   * (they run to `end`), or -1 when none do (the framer sent the row elsewhere).
   */
  keepFrom(buf: Buffer, start: number, end: number): number;
}

type DataHandler = (chunk: Buffer) => void;

export class CopyOutStream extends Readable implements pg.Submittable {
  /** Rows Postgres reported in its CommandComplete (set once the COPY has finished). */
  rowCount = 0;
  private connection: pg.Connection | null = null;
  private pgData: DataHandler | null = null;
  private readonly onReadable = () => this.forward();
  private wanted = false;
  private forwarding = false;
  private finished = false;
  private copyDone = false;
  /**
   * The message being read: its type (0 before its first byte), the bytes of its 4-byte length seen
   * so far and their value, its body bytes still to come (-1 while its header is being read).
   */
  private code = 0;
  private lengthBytes = 0;
  private length = 0;
  private left = -1;
  /** A CopyData body that runs past the chunk: its pieces so far. */
  private pieces: Buffer[] = [];

  constructor(
    private readonly text: string,
    private readonly framer: CopyRowFramer,
    /** Bytes after which the rows kept so far go out as one RowChunk (parts close between chunks). */
    private readonly chunkBytes = 256 * 1024,
  ) {
    super({ objectMode: true, highWaterMark: 16 });
  }

  submit(connection: pg.Connection): void {
    this.connection = connection;
    const stream = connection.stream;
    const listeners = stream.listeners('data') as DataHandler[];
    if (listeners.length !== 1) throw new Error(`COPY out expects one data listener on the connection, found ${listeners.length}`);
    this.pgData = listeners[0]!;
    stream.removeListener('data', this.pgData);
    stream.pause();
    stream.on('readable', this.onReadable);
    connection.query(this.text);
  }

  override _read(): void {
    this.wanted = true;
    this.forward();
  }

  private forward(): void {
    if (this.forwarding || !this.wanted || this.finished || !this.connection) return;
    this.forwarding = true;
    try {
      const stream = this.connection.stream;
      let chunk: Buffer | null;
      while (this.wanted && !this.finished && (chunk = stream.read() as Buffer | null) !== null) this.wanted = this.parse(chunk);
    } catch (error) {
      this.finished = true;
      this.destroy(error as Error);
    } finally {
      this.forwarding = false;
    }
  }

  /** Reads the messages in `chunk`; returns whether downstream takes more. */
  private parse(chunk: Buffer): boolean {
    const n = chunk.length;
    let i = 0;
    // Kept row bytes are moved down to chunk[out, w), `rows` rows; chunk[0, out) went out already.
    let out = 0;
    let w = 0;
    let rows = 0;
    let more = true;
    while (i < n) {
      if (this.left < 0) {
        // A message's header: its type byte and its 4-byte length, read at once when the chunk
        // holds both (nearly always), else byte by byte across chunks.
        if (this.code === 0) {
          this.code = chunk[i]!;
          if (this.code === ERROR_RESPONSE) {
            if (w > out) this.push({ bytes: chunk.subarray(out, w), rows } satisfies RowChunk);
            this.code = 0;
            this.handBack(chunk.subarray(i));
            return false;
          }
          if (n - i >= 5) {
            this.left = chunk.readUInt32BE(i + 1) - 4;
            i += 5;
          } else {
            i++;
            continue;
          }
        } else {
          this.length = this.length * 256 + chunk[i]!;
          i++;
          if (++this.lengthBytes < 4) continue;
          this.left = this.length - 4;
          this.length = 0;
          this.lengthBytes = 0;
        }
        if (this.code !== COPY_DATA && this.code !== COPY_OUT_RESPONSE && this.code !== COPY_DONE && !ASYNC_MESSAGES.has(this.code)) {
          throw new Error(`unexpected message type ${String.fromCharCode(this.code)} during COPY out`);
        }
      }
      if (this.code === COPY_DATA) {
        const end = i + this.left;
        if (this.pieces.length === 0 && end <= n) {
          // The common case: the whole row is in this chunk.
          const from = this.framer.keepFrom(chunk, i, end);
          if (from >= 0) {
            chunk.copyWithin(w, from, end);
            w += end - from;
            rows++;
            if (w - out >= this.chunkBytes) {
              more = this.push({ bytes: chunk.subarray(out, w), rows } satisfies RowChunk) && more;
              out = w;
              rows = 0;
            }
          }
          i = end;
        } else if (end > n) {
          this.pieces.push(chunk.subarray(i));
          this.left -= n - i;
          i = n;
          continue;
        } else {
          // The last piece of a row cut by earlier chunks: it goes out alone, before this chunk's rows.
          this.pieces.push(chunk.subarray(i, end));
          const row = Buffer.concat(this.pieces);
          this.pieces = [];
          const from = this.framer.keepFrom(row, 0, row.length);
          if (from >= 0) more = this.push({ bytes: row.subarray(from), rows: 1 } satisfies RowChunk) && more;
          i = end;
        }
      } else {
        const skip = Math.min(this.left, n - i);
        i += skip;
        this.left -= skip;
        if (this.left > 0) continue;
      }
      this.left = -1;
      const code = this.code;
      this.code = 0;
      if (code === COPY_DONE) {
        if (w > out) this.push({ bytes: chunk.subarray(out, w), rows } satisfies RowChunk);
        this.finished = this.copyDone = true;
        this.handBack(chunk.subarray(i));
        this.push(null);
        return false;
      }
    }
    if (w > out) more = this.push({ bytes: chunk.subarray(out, w), rows } satisfies RowChunk) && more;
    return more;
  }

  /** Gives the connection back to pg, starting with `rest` (CommandComplete and ReadyForQuery, or an error). */
  private handBack(rest: Buffer): void {
    const connection = this.connection;
    const pgData = this.pgData;
    if (!connection || !pgData) return;
    const stream = connection.stream;
    stream.removeListener('readable', this.onReadable);
    stream.on('data', pgData);
    this.pgData = null;
    if (rest.length > 0) pgData(rest);
    // Resumed after the current read returns, as pg-copy-streams does (a listener may have paused it meanwhile).
    process.nextTick(() => stream.resume());
  }

  /** Stopped by its consumer: no more reads, so the socket stays paused (the caller ends the client). */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.finished = true;
    callback(error);
  }

  /**
   * pg: an ErrorResponse (or a lost connection) ends the COPY. After CopyDone the rows are all out
   * and the stream may have no listener left: a later failure shows on the connection's next query.
   */
  handleError(error: Error): void {
    if (this.copyDone) return;
    this.finished = true;
    this.destroy(error);
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /COPY (\d+)/.exec(message.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {}
}

/** A COPY out whose rows go through `framer` (run it with `client.query(copyOut(sql, framer))`). */
export function copyOut(sql: string, framer: CopyRowFramer, chunkBytes?: number): CopyOutStream {
  return new CopyOutStream(sql, framer, chunkBytes);
}
