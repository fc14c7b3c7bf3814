import { invalid } from '../errors.js';
import type { Digest } from '../hashing.js';
import type { BlobWriter } from '../store/types.js';

/** Feeds a request body into a blob, dropping its first `skip` bytes (a resent chunk's overlap). */
export async function receiveInto(body: AsyncIterable<Buffer>, writer: BlobWriter, skip = 0): Promise<number> {
  let written = 0;
  for await (const chunk of body) {
    let piece = chunk;
    if (skip > 0) {
      const dropped = Math.min(skip, piece.length);
      piece = piece.subarray(dropped);
      skip -= dropped;
    }
    if (piece.length === 0) continue;
    await writer.write(piece);
    written += piece.length;
  }
  return written;
}

/** Hashes a client declared (an `X-Goog-Hash` header, or the resource's crc32c / md5Hash). */
export interface DeclaredHashes {
  crc32c?: string;
  md5?: string;
}

export function parseGoogHash(header: string | string[] | undefined): DeclaredHashes {
  const out: DeclaredHashes = {};
  for (const value of Array.isArray(header) ? header : header ? [header] : []) {
    for (const pair of value.split(',')) {
      const at = pair.indexOf('=');
      if (at < 0) continue;
      const key = pair.slice(0, at).trim().toLowerCase();
      const hash = pair.slice(at + 1).trim();
      if (key === 'crc32c') out.crc32c = hash;
      else if (key === 'md5') out.md5 = hash;
    }
  }
  return out;
}

export function declaredInResource(resource: Record<string, unknown>): DeclaredHashes {
  return {
    ...(typeof resource.crc32c === 'string' ? { crc32c: resource.crc32c } : {}),
    ...(typeof resource.md5Hash === 'string' ? { md5: resource.md5Hash } : {}),
  };
}

/** GCS refuses an upload whose bytes do not match a hash the client declared. */
export function verifyDeclared(digest: Digest, ...declared: DeclaredHashes[]): void {
  for (const hashes of declared) {
    if (hashes.crc32c !== undefined && hashes.crc32c !== digest.crc32c) {
      throw invalid(`Provided CRC32C "${hashes.crc32c}" doesn't match calculated CRC32C "${digest.crc32c}".`);
    }
    if (hashes.md5 !== undefined && hashes.md5 !== digest.md5Hash) {
      throw invalid(`Provided MD5 hash "${hashes.md5}" doesn't match calculated MD5 hash "${digest.md5Hash}".`);
    }
  }
}
