/**
 * Writes a batch's NDJSON as a sequence of staged part files (`..._{batch}_{NNN}.jsonl.gz`, as in
 * the export spec's file names), closing a part once it holds `partBytes` of uncompressed rows and
 * reporting it, so its load job can start while the next part is still being extracted. Input
 * chunks hold whole rows (CopyRowSplitter emits nothing else) and are cut only after a newline, so
 * parts never split a row; a row longer than a part gets a part of its own.
 */
import { Writable } from 'node:stream';
import type { ColumnBatch } from './column-batch.js';
import type { Compression } from './layout.js';
import { openStagedFile, type StagedFile, type StagedFileInfo } from './staged-file.js';
import type { Stage } from './stage.js';

export interface StagedPart extends StagedFileInfo {
  index: number;
  rows: number;
}

const NEWLINE = 0x0a;
/** Bytes of row chunks gathered into one write to a part (see writeGathered). */
const GATHER_BYTES = 1 << 20;

function countRows(chunk: Buffer): number {
  let rows = 0;
  for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) rows++;
  return rows;
}

/**
 * Resolves once `file` takes more input; rejects with the file's own error (ENOSPC, EACCES, ...) if
 * it fails instead. Waiting for 'drain' alone hangs forever once a write error has destroyed the stream.
 */
function drained(file: StagedFile): Promise<void> {
  const input = file.input;
  const failure = () => file.done.then(() => new Error('staged file closed before its data was written'), (error: Error) => error);
  if (input.destroyed) return failure().then((error) => Promise.reject(error));
  return new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      input.off('drain', onDrain);
      input.off('close', onClose);
      input.off('error', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      void failure().then(reject);
    };
    input.on('drain', onDrain);
    input.on('close', onClose);
    input.on('error', onClose);
  });
}

/** Whole rows with their count, for formats whose rows may hold newlines (CSV's quoted fields). */
export interface RowChunk {
  bytes: Buffer;
  rows: number;
}

export class PartWriter extends Writable {
  private current: { file: StagedFile; index: number; bytes: number; rows: number } | null = null;
  /** Row chunks of the current part not yet written to it (RowChunk input only). */
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private next = 0;
  private readonly closing: Promise<StagedPart>[] = [];

  /** `rowChunks`: the input is RowChunk objects, each kept whole in one part; otherwise NDJSON bytes. */
  constructor(
    private readonly stage: Stage,
    private readonly pathOf: (index: number) => string,
    private readonly compression: Compression,
    private readonly partBytes: number,
    private readonly onPart: (part: StagedPart) => void,
    rowChunks = false,
  ) {
    super(rowChunks ? { objectMode: true, highWaterMark: 4 } : { highWaterMark: 1 << 20 });
  }

  override _write(chunk: Buffer | RowChunk, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    (Buffer.isBuffer(chunk) ? this.writeRows(chunk) : this.writeChunk(chunk)).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  private async writeChunk(chunk: RowChunk): Promise<void> {
    if (!this.current) this.current = { file: openStagedFile(this.stage, this.pathOf(this.next), this.compression), index: this.next++, bytes: 0, rows: 0 };
    const part = this.current;
    part.bytes += chunk.bytes.length;
    part.rows += chunk.rows;
    this.gathered.push(chunk.bytes);
    this.gatheredBytes += chunk.bytes.length;
    if (this.gatheredBytes >= GATHER_BYTES || part.bytes >= this.partBytes) await this.writeGathered(part.file);
    if (part.bytes >= this.partBytes) this.close();
  }

  /**
   * Row chunks come about one socket read each (~64 KiB, copy-out.ts): they go to the part in
   * writes of about 1 MiB, as each write is a round trip to zlib's thread pool.
   */
  private async writeGathered(file: StagedFile): Promise<void> {
    if (this.gatheredBytes === 0) return;
    const bytes = this.gathered.length === 1 ? this.gathered[0]! : Buffer.concat(this.gathered, this.gatheredBytes);
    this.gathered = [];
    this.gatheredBytes = 0;
    if (!file.input.write(bytes)) await drained(file);
  }

  private async writeRows(chunk: Buffer): Promise<void> {
    let rest = chunk;
    while (rest.length > 0) {
      if (!this.current) this.current = { file: openStagedFile(this.stage, this.pathOf(this.next), this.compression), index: this.next++, bytes: 0, rows: 0 };
      const part = this.current;
      const room = this.partBytes - part.bytes;
      let cut = rest.length;
      if (rest.length > room) {
        // Largest prefix of whole rows that fits; at least one row when the part is still empty.
        const lastFit = room > 0 ? rest.lastIndexOf(NEWLINE, room - 1) : -1;
        cut = lastFit >= 0 ? lastFit + 1 : part.bytes === 0 ? rest.indexOf(NEWLINE) + 1 || rest.length : 0;
      }
      if (cut > 0) {
        const piece = rest.subarray(0, cut);
        rest = rest.subarray(cut);
        part.bytes += piece.length;
        part.rows += countRows(piece);
        if (!part.file.input.write(piece)) await drained(part.file);
      }
      if (part.bytes >= this.partBytes || rest.length > 0) this.close();
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    const part = this.current;
    (part ? this.writeGathered(part.file) : Promise.resolve())
      .then(() => {
        this.close();
        return Promise.all(this.closing);
      })
      .then(
        () => callback(),
        (error: Error) => callback(error),
      );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.current?.file.input.destroy();
    callback(error);
  }

  private close(): void {
    const part = this.current;
    if (!part) return;
    this.current = null;
    part.file.input.end();
    const done = part.file.done.then((info) => {
      const staged = { ...info, index: part.index, rows: part.rows };
      this.onPart(staged);
      return staged;
    });
    done.catch(() => undefined);
    this.closing.push(done);
  }

  /** Parts written so far, in order (after the stream finished: all of them). */
  async parts(): Promise<StagedPart[]> {
    return (await Promise.all(this.closing)).sort((a, b) => a.index - b.index);
  }
}

/**
 * Writes a batch's column batches as Parquet part files (`..._{batch}_{NNN}.parquet`), one row group
 * each, and reports each part once it is in the stage, so its load job can start while the next
 * batch is being read. The decoder waits for each part to be written: one batch in memory at a time.
 */
export class ParquetPartWriter {
  private next = 0;
  private readonly written: StagedPart[] = [];

  constructor(
    private readonly stage: Stage,
    private readonly pathOf: (index: number) => string,
    /** Snappy-compressed pages (a bucket stage) or stored as they are (a local stage). */
    private readonly compress: boolean,
    private readonly onPart: (part: StagedPart) => void,
  ) {}

  async write(batch: ColumnBatch): Promise<void> {
    const index = this.next++;
    const bytes = batch.toParquet(this.compress);
    const file = openStagedFile(this.stage, this.pathOf(index), 'none');
    file.input.end(bytes);
    const info = await file.done;
    const part = { ...info, index, rows: batch.length };
    this.written.push(part);
    this.onPart(part);
  }

  parts(): StagedPart[] {
    return [...this.written].sort((a, b) => a.index - b.index);
  }
}
