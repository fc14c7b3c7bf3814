/**
 * The in-process handoff: a file on this machine becomes an object without passing through HTTP or
 * being written a second time. The blob store takes the file over (a hard link into its directory,
 * a copy when the link is not possible, the bytes in memory for ':memory:'). Its md5Hash and crc32c
 * are not computed here: the catalog computes them from the stored bytes the first time a response
 * needs them (Catalog.hashed), so a host that only writes objects (an extract job) spends no CPU on
 * hashes nobody reads, and every response still reports them as GCS does. When the caller streams
 * the file's bytes as they are written (`bytes`), the handoff waits for that stream to end (the file
 * is complete then) and its length must equal the file's size. Only a host that started the server in
 * its own process can call it (EmbeddedGcs.putFile): nothing of it is reachable over the network.
 */
import { stat } from 'node:fs/promises';
import { validateBucketName, validateObjectName } from '../names.js';
import type { Catalog } from './catalog.js';

export interface PutFileOptions {
  contentType?: string;
  /** The file's bytes, in order, as they are written (e.g. read behind a writer); ends when the file is complete. Only counted, not hashed. */
  bytes?: AsyncIterable<Uint8Array>;
}

/** The new object; its hashes are in its metadata (objects.get, list, download's x-goog-hash), computed on first request. */
export interface PutFileResult {
  generation: string;
  size: number;
}

export async function putFile(catalog: Catalog, bucket: string, name: string, filePath: string, options: PutFileOptions = {}): Promise<PutFileResult> {
  validateBucketName(bucket);
  validateObjectName(name);
  catalog.getBucket(bucket); // 404 before any work when the bucket does not exist
  let streamed: number | undefined;
  if (options.bytes) {
    streamed = 0;
    for await (const chunk of options.bytes) streamed += chunk.length;
  }
  const { size } = await stat(filePath);
  if (streamed !== undefined && size !== streamed) {
    throw new Error(`putFile ${filePath}: ${streamed} bytes were streamed but the file holds ${size}; the file changed while it was handed over, so it was not stored`);
  }
  const blob = await catalog.blobs.adopt(filePath);
  const record = await catalog.commitObject({
    bucket, name, blob, digest: { size }, properties: { contentType: options.contentType ?? 'application/octet-stream' }, preconditions: {},
  });
  return { generation: record.generation, size: record.size };
}
