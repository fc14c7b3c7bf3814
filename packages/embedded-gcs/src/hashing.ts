import { createHash, type Hash } from 'node:crypto';

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum GCS keeps for every object. */
const TABLE = (() => {
  const table = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  // Slicing-by-8 tables: objects reach hundreds of MiB, and one byte per step is the slow part of an upload.
  for (let n = 0; n < 256; n++) {
    let c = table[n]!;
    for (let s = 1; s < 8; s++) {
      c = (table[c & 0xff]! ^ (c >>> 8)) >>> 0;
      table[s * 256 + n] = c;
    }
  }
  return table;
})();

export function crc32cUpdate(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  const t = TABLE;
  for (; i < end8; i += 8) {
    const lo = (c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    c =
      t[7 * 256 + (lo & 0xff)]! ^
      t[6 * 256 + ((lo >>> 8) & 0xff)]! ^
      t[5 * 256 + ((lo >>> 16) & 0xff)]! ^
      t[4 * 256 + (lo >>> 24)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** GCS's `crc32c` field: the checksum as 4 big-endian bytes, base64. */
export function crc32cBase64(crc: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(crc >>> 0);
  return bytes.toString('base64');
}

export interface Digest {
  size: number;
  /** base64 of the MD5 digest, as in `md5Hash`. */
  md5Hash: string;
  /** base64 of the big-endian CRC-32C, as in `crc32c`. */
  crc32c: string;
}

/** Size, MD5 and CRC-32C of a byte stream, computed as it passes. */
export class Hasher {
  private readonly md5: Hash = createHash('md5');
  private crc = 0;
  private bytes = 0;

  update(chunk: Uint8Array): void {
    this.md5.update(chunk);
    this.crc = crc32cUpdate(this.crc, chunk);
    this.bytes += chunk.length;
  }

  get size(): number {
    return this.bytes;
  }

  digest(): Digest {
    return { size: this.bytes, md5Hash: this.md5.digest('base64'), crc32c: crc32cBase64(this.crc) };
  }
}
