/**
 * Rows of one Parquet part, held column by column as Arrow buffers filled straight from Postgres's
 * binary COPY fields (no per-value JavaScript objects), then encoded as one Parquet file with
 * apache-arrow (record batch → IPC) and parquet-wasm (IPC → Parquet). Each kind is the Postgres
 * binary representation the extraction query casts the column to:
 *
 * | kind        | Postgres binary            | Arrow / Parquet                         | BigQuery  |
 * |-------------|----------------------------|-----------------------------------------|-----------|
 * | int8        | 8-byte big-endian integer  | Int64 / INT64                           | INT64     |
 * | float8      | 8-byte big-endian IEEE 754 | Float64 / DOUBLE                        | FLOAT64   |
 * | bool        | 1 byte                     | Bool / BOOLEAN                          | BOOL      |
 * | text        | UTF-8 bytes                | Utf8 / BYTE_ARRAY (STRING)              | STRING    |
 * | timestamptz | µs since 2000-01-01 UTC    | Timestamp(µs, UTC) / INT64 TIMESTAMP(MICROS, UTC) | TIMESTAMP |
 * | timestamp   | µs since 2000-01-01        | Timestamp(µs) / INT64 TIMESTAMP(MICROS, local) | DATETIME |
 * | date        | days since 2000-01-01      | Date(day) / INT32 DATE                  | DATE      |
 */
import { Bool, DateDay, Field, Float64, Int64, RecordBatch, Schema, Struct, Table, TimestampMicrosecond, Utf8, makeData, tableToIPC, type Data } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, writeParquet } from 'parquet-wasm';

export type BinaryKind = 'int8' | 'float8' | 'bool' | 'text' | 'timestamptz' | 'timestamp' | 'date';

export interface BatchColumn {
  name: string;
  kind: BinaryKind;
  nullable: boolean;
}

/** 2000-01-01 (Postgres's epoch) in µs and days after 1970-01-01 (Arrow's and Parquet's). */
const PG_EPOCH_DAYS = 10_957;
const PG_EPOCH_MICROS_HI = Math.floor((PG_EPOCH_DAYS * 86_400_000_000) / 2 ** 32);
const PG_EPOCH_MICROS_LO = PG_EPOCH_DAYS * 86_400_000_000 - PG_EPOCH_MICROS_HI * 2 ** 32;

const WIDTH: Record<BinaryKind, number> = { int8: 8, float8: 8, bool: 1, text: 0, timestamptz: 8, timestamp: 8, date: 4 };

interface ColumnBuffers {
  fixed: Uint8Array;
  validity: Uint8Array;
  nulls: number;
  offsets: Int32Array;
  text: Buffer;
  textBytes: number;
}

export class ColumnBatch {
  length = 0;
  private readonly buffers: ColumnBuffers[];

  constructor(
    readonly columns: BatchColumn[],
    readonly capacity: number,
  ) {
    this.buffers = columns.map((c) => ({
      fixed: new Uint8Array(capacity * WIDTH[c.kind]),
      validity: new Uint8Array(Math.ceil(capacity / 8)),
      nulls: 0,
      offsets: new Int32Array(c.kind === 'text' ? capacity + 1 : 0),
      text: c.kind === 'text' ? Buffer.allocUnsafe(1 << 16) : Buffer.alloc(0),
      textBytes: 0,
    }));
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Bytes of variable-length data held so far (what bounds a part besides its row count). */
  get textBytes(): number {
    let n = 0;
    for (const b of this.buffers) n += b.textBytes;
    return n;
  }

  /**
   * Appends one row whose field `i` is `buf[starts[i], starts[i] + lengths[i])`, length -1 for null.
   * The caller guarantees the field sizes (the query casts every column to its kind).
   */
  append(buf: Buffer, starts: Int32Array, lengths: Int32Array): void {
    const row = this.length;
    for (let i = 0; i < this.columns.length; i++) {
      const b = this.buffers[i]!;
      const kind = this.columns[i]!.kind;
      const length = lengths[i]!;
      if (kind === 'text') {
        const at = b.textBytes;
        if (length > 0) {
          if (at + length > b.text.length) {
            const grown = Buffer.allocUnsafe(Math.max(b.text.length * 2, at + length));
            b.text.copy(grown, 0, 0, at);
            b.text = grown;
          }
          buf.copy(b.text, at, starts[i]!, starts[i]! + length);
          b.textBytes = at + length;
        }
        b.offsets[row + 1] = b.textBytes;
      }
      if (length < 0) {
        b.nulls++;
        continue;
      }
      b.validity[row >> 3]! |= 1 << (row & 7);
      const start = starts[i]!;
      const fixed = b.fixed;
      switch (kind) {
        case 'int8':
        case 'float8':
        case 'timestamptz':
        case 'timestamp': {
          // big-endian on the wire, little-endian in Arrow
          const o = row * 8;
          for (let k = 0; k < 8; k++) fixed[o + k] = buf[start + 7 - k]!;
          break;
        }
        case 'date': {
          const o = row * 4;
          for (let k = 0; k < 4; k++) fixed[o + k] = buf[start + 3 - k]!;
          break;
        }
        case 'bool':
          fixed[row] = buf[start]!;
          break;
        case 'text':
          break;
      }
    }
    this.length = row + 1;
  }

  /** The rows as one Arrow record batch (views over this batch's buffers: encode before reuse). */
  private recordBatch(): RecordBatch {
    const n = this.length;
    const fields: Field[] = [];
    const children: Data[] = [];
    this.columns.forEach((column, i) => {
      const b = this.buffers[i]!;
      const nullBitmap = b.nulls > 0 ? b.validity.subarray(0, Math.ceil(n / 8)) : undefined;
      const base = { length: n, nullCount: b.nulls, ...(nullBitmap ? { nullBitmap } : {}) };
      let data: Data;
      switch (column.kind) {
        case 'int8':
          data = makeData({ type: new Int64(), ...base, data: new BigInt64Array(b.fixed.buffer, b.fixed.byteOffset, n) });
          break;
        case 'float8':
          data = makeData({ type: new Float64(), ...base, data: new Float64Array(b.fixed.buffer, b.fixed.byteOffset, n) });
          break;
        case 'timestamptz':
        case 'timestamp': {
          shiftEpochMicros(new Uint32Array(b.fixed.buffer, b.fixed.byteOffset, 2 * n));
          data = makeData({ type: new TimestampMicrosecond(column.kind === 'timestamptz' ? 'UTC' : null), ...base, data: new BigInt64Array(b.fixed.buffer, b.fixed.byteOffset, n) });
          break;
        }
        case 'date': {
          const days = new Int32Array(b.fixed.buffer, b.fixed.byteOffset, n);
          for (let r = 0; r < n; r++) days[r] = days[r]! + PG_EPOCH_DAYS;
          data = makeData({ type: new DateDay(), ...base, data: days });
          break;
        }
        case 'bool': {
          const bits = new Uint8Array(Math.ceil(n / 8));
          for (let r = 0; r < n; r++) if (b.fixed[r]) bits[r >> 3]! |= 1 << (r & 7);
          data = makeData({ type: new Bool(), ...base, data: bits });
          break;
        }
        case 'text':
          data = makeData({ type: new Utf8(), ...base, valueOffsets: b.offsets.subarray(0, n + 1), data: b.text.subarray(0, b.textBytes) });
          break;
      }
      fields.push(new Field(column.name, data.type, column.nullable));
      children.push(data);
    });
    const schema = new Schema(fields);
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  }

  /** The rows as one Parquet file (one row group); `compress` uses Snappy, else pages are stored as they are. */
  toParquet(compress: boolean): Uint8Array {
    const ipc = tableToIPC(new Table(this.recordBatch()), 'stream');
    const properties = new WriterPropertiesBuilder()
      .setCompression(compress ? Compression.SNAPPY : Compression.UNCOMPRESSED)
      // Parquet 1.0 data pages: what every reader, BigQuery included, takes.
      .setWriterVersion(WriterVersion.V1)
      .setMaxRowGroupSize(Math.max(1, this.length))
      .setCreatedBy('landform loader')
      .build();
    return writeParquet(WasmTable.fromIPCStream(ipc), properties);
  }
}

/** Adds 2000-01-01 in µs to each little-endian int64 (as lo/hi uint32 pairs, no BigInt per value). */
function shiftEpochMicros(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const lo = words[i]! + PG_EPOCH_MICROS_LO;
    const carry = lo >= 2 ** 32 ? 1 : 0;
    words[i] = lo >>> 0;
    words[i + 1] = (words[i + 1]! + PG_EPOCH_MICROS_HI + carry) >>> 0;
  }
}
