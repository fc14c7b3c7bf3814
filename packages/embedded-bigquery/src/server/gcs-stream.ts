/**
 * An extract's shard sent to Cloud Storage while DuckDB writes it: the file is read behind the
 * writer (from where the last read ended up to its current end, again when it has grown) until the
 * write has ended and the end is reached, and the bytes go out as they are read: to an in-process
 * storage server through the GcsTarget's `putFile` (which hashes them as they come and then takes
 * the finished file over), else in one media upload over HTTP with a chunked body. Either way the
 * file is never read after the write, and the transfer overlaps the write. DuckDB writes each file
 * from start to end, so bytes before the file's end never change once read.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { BigQueryApiError } from '../engine/types.js';
import { checkGcsWrite, postBody, type GcsObjectName, type GcsTarget } from './gcs-upload.js';
import { HttpError } from './http-error.js';

const CHUNK = 1 << 20;
const POLL_MS = 2;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function openWhenCreated(path: string, written: Promise<void>, isDone: () => boolean): Promise<FileHandle> {
  for (;;) {
    const done = isDone();
    try {
      return await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (done) {
        await written; // a failed write rejects here with its own error
        throw new Error(`${path} was not written`, { cause: error });
      }
      await sleep(POLL_MS);
    }
  }
}

/** The bytes of `path` in order while it is written, ending once `written` settled and everything was read. */
export async function* readBehindWriter(path: string, written: Promise<void>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  let finished = false;
  written.then(() => (finished = true), () => (finished = true));
  const isDone = (): boolean => finished;
  const handle = await openWhenCreated(path, written, isDone);
  try {
    let position = 0;
    // a fresh buffer only after one was handed out: an empty poll (every few ms while DuckDB writes) reuses it
    let buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      // read the flag first: a read after the write ended sees every byte it wrote
      const done = isDone();
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead > 0) {
        position += bytesRead;
        const chunk = buffer.subarray(0, bytesRead);
        buffer = Buffer.allocUnsafe(CHUNK);
        yield chunk;
      } else if (done) {
        await written;
        return;
      } else {
        await Promise.race([written.catch(() => undefined), sleep(POLL_MS)]);
      }
    }
  } finally {
    await handle.close();
  }
}

/** Sends the shard DuckDB is writing at `filePath` to `object`, as it is written. */
export async function streamShardToGcs(target: GcsTarget, object: GcsObjectName, filePath: string, written: Promise<void>, signal?: AbortSignal): Promise<void> {
  const uri = `gs://${object.bucket}/${object.name}`;
  const bytes = readBehindWriter(filePath, written, signal);
  if (target.putFile) {
    await target.putFile(object, filePath, bytes).catch((error: unknown) => {
      if (signal?.aborted) throw signal.reason;
      const e = error as { code?: unknown; message?: string };
      if (e.code === 404) throw new BigQueryApiError('notFound', `Not found: URI ${uri} (${e.message ?? 'no such bucket'})`);
      throw error;
    });
    return;
  }
  const base = target.url.replace(/\/+$/, '');
  const url = new URL(`${base}/upload/storage/v1/b/${encodeURIComponent(object.bucket)}/o?uploadType=media&name=${encodeURIComponent(object.name)}`);
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' };
  if (target.token !== undefined) headers.Authorization = `Bearer ${target.token}`;
  const response = await postBody(url, headers, Readable.from(bytes), signal).catch(async (error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    await written; // the write's own error first, when it is what failed
    throw new HttpError(503, 'backendError', `Cloud Storage at ${base} could not be reached for ${uri}: ${(error as Error).message}`);
  });
  checkGcsWrite(response, uri);
}
