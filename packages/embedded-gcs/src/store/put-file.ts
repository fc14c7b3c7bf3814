/**
 * The in-process handoff: a file on this machine becomes an object without passing through HTTP or
 * being written a second time. The blob store takes the file over (a hard link into its directory,
 * a copy when the link is not possible, the bytes in memory for ':memory:'); the digest is computed
 * from `bytes` when the caller streams the file's bytes as they are written (each chunk hashed as it
 * comes, so the file is never read twice), else from one read of the file; either way the hashed
 * size must equal the file's. Only a host that started the server in its own process can call it
 * (EmbeddedGcs.putFile): nothing of it is reachable over the network.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Hasher } from '../hashing.js';
import { validateBucketName, validateObjectName } from '../names.js';
import type { Catalog } from './catalog.js';

export interface PutFileOptions {
  contentType?: string;
  /** The file's bytes, in order, as they are written (e.g. read behind a writer); ends when the file is complete. */
  bytes?: AsyncIterable<Uint8Array>;
}

export interface PutFileResult {
  generation: string;
  size: number;
  md5Hash: string;
  crc32c: string;
}

export async function putFile(catalog: Catalog, bucket: string, name: string, filePath: string, options: PutFileOptions = {}): Promise<PutFileResult> {
  validateBucketName(bucket);
  validateObjectName(name);
  catalog.getBucket(bucket); // 404 before any work when the bucket does not exist
  const hasher = new Hasher();
  for await (const chunk of options.bytes ?? createReadStream(filePath, { highWaterMark: 1 << 20 })) hasher.update(chunk as Uint8Array);
  const { size } = await stat(filePath);
  if (size !== hasher.size) throw new Error(`putFile ${filePath}: ${hasher.size} bytes were hashed but the file holds ${size}; the file changed while it was handed over`);
  const blob = await catalog.blobs.adopt(filePath);
  const record = await catalog.commitObject({
    bucket, name, blob, digest: hasher.digest(), properties: { contentType: options.contentType ?? 'application/octet-stream' }, preconditions: {},
  });
  return { generation: record.generation, size: record.size, md5Hash: record.md5Hash ?? '', crc32c: record.crc32c };
}
