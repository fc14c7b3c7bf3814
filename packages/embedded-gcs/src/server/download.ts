import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { GcsApiError } from '../errors.js';
import type { BlobStore, HashedObject } from '../store/types.js';

/** A `Range: bytes=...` header against an object of `size` bytes: [start, end) or undefined for the whole. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // GCS ignores a Range it cannot parse (several ranges included) and sends the whole object.
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size : Math.min(size, Number(match[2]) + 1);
  }
  if (start >= size || end <= start) {
    if (size === 0 && start === 0) return undefined;
    throw new GcsApiError(416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.');
  }
  return { start, end };
}

/** Whether `Accept-Encoding` lists gzip with a non-zero quality. */
function acceptsGzip(req: IncomingMessage): boolean {
  return (req.headers['accept-encoding'] ?? '').split(',').some((entry) => {
    const [coding, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * alt=media: the object's bytes with the headers @google-cloud/storage reads. `x-goog-hash` carries
 * the whole object's crc32c (and md5 unless composite) and `x-goog-stored-content-encoding` says the
 * bytes are as stored, which is what makes the client validate its download. A gzip-encoded object
 * goes out as stored to a client that accepts gzip, and decompressed to one that does not (GCS's
 * decompressive transcoding, which ignores Range).
 */
export async function sendMedia(req: IncomingMessage, res: ServerResponse, object: HashedObject, blobs: BlobStore): Promise<void> {
  const gzipped = object.contentEncoding === 'gzip';
  const transcode = gzipped && !acceptsGzip(req);
  const range = transcode ? undefined : parseRange(req.headers.range, object.size);
  const hash = [`crc32c=${object.crc32c}`, ...(object.md5Hash ? [`md5=${object.md5Hash}`] : [])].join(',');
  const headers: Record<string, string | number> = {
    'Content-Type': object.contentType,
    'x-goog-hash': hash,
    'x-goog-generation': object.generation,
    'x-goog-metageneration': object.metageneration,
    'x-goog-stored-content-encoding': object.contentEncoding ?? 'identity',
    'x-goog-stored-content-length': object.size,
    'Last-Modified': new Date(object.updated).toUTCString(),
    ETag: `"${object.md5Hash ? Buffer.from(object.md5Hash, 'base64').toString('hex') : object.crc32c}"`,
    'Accept-Ranges': 'bytes',
    ...(object.cacheControl ? { 'Cache-Control': object.cacheControl } : {}),
    ...(object.contentDisposition ? { 'Content-Disposition': object.contentDisposition } : {}),
    ...(object.contentLanguage ? { 'Content-Language': object.contentLanguage } : {}),
  };
  if (gzipped && !transcode) headers['Content-Encoding'] = 'gzip';
  if (transcode) {
    res.writeHead(200, headers);
    await pipeline(blobs.read(object.blob, 0, object.size), createGunzip(), res);
    return;
  }
  const { start, end } = range ?? { start: 0, end: object.size };
  headers['Content-Length'] = end - start;
  if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${object.size}`;
  res.writeHead(range ? 206 : 200, headers);
  await pipeline(blobs.read(object.blob, start, end), res);
}
