import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { BigQueryApiError } from '../engine/types.js';
import { tooLarge } from './http-io.js';

export interface MultipartUpload {
  /** The first part: the job resource as JSON. */
  metadata: Buffer;
  /** Size of the second part (the data), written to the target file. */
  dataBytes: number;
}

export const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * The boundary of a `multipart/related; boundary=...` content type. Only multipart/related (what
 * Google's clients send): multipart/form-data is what a web page can post cross-site unasked.
 */
export function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!contentType?.toLowerCase().startsWith('multipart/related') || !boundary) {
    throw new BigQueryApiError('invalid', `uploadType=multipart needs a multipart/related body with a boundary (got Content-Type ${JSON.stringify(contentType ?? '')})`);
  }
  return boundary;
}

/**
 * Streams a two-part multipart/related body (what @google-cloud/common's makeWritableStream sends
 * for load jobs: JSON metadata, then the data) without holding the data in memory: the first part
 * is buffered, the second is written to `dataPath` as it arrives, up to `maxDataBytes` (then a 413).
 */
export async function receiveMultipart(body: AsyncIterable<Buffer>, boundary: string, dataPath: string, maxDataBytes: number): Promise<MultipartUpload> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const out = createWriteStream(dataPath);
  const metadataChunks: Buffer[] = [];
  let metadataBytes = 0;
  let dataBytes = 0;
  let part = -1; // -1: before the first delimiter
  let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  // Pretend the body starts with CRLF so the first delimiter matches like every other one.
  let pending: Buffer = Buffer.from('\r\n');

  const emit = async (bytes: Buffer): Promise<void> => {
    if (bytes.length === 0) return;
    if (part === 0) {
      metadataBytes += bytes.length;
      if (metadataBytes > MAX_METADATA_BYTES) throw new BigQueryApiError('invalid', 'multipart upload: the metadata part is larger than 1 MB');
      metadataChunks.push(bytes);
    } else if (part === 1) {
      dataBytes += bytes.length;
      if (dataBytes > maxDataBytes) throw tooLarge('the uploaded data', maxDataBytes, 'maxUploadBytes');
      if (!out.write(bytes)) await once(out, 'drain');
    }
    // Parts beyond the second are ignored, as BigQuery reads only metadata + media.
  };

  try {
    for await (const chunk of body) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (state === 'done') {
          pending = Buffer.alloc(0);
          break;
        }
        if (state === 'headers') {
          const end = pending.indexOf('\r\n\r\n');
          if (end < 0) break;
          pending = pending.subarray(end + 4);
          state = 'body';
          continue;
        }
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          // Keep a tail that could be the start of a delimiter split across chunks.
          const keep = Math.min(pending.length, delimiter.length - 1);
          if (state === 'body') await emit(pending.subarray(0, pending.length - keep));
          pending = pending.subarray(pending.length - keep);
          break;
        }
        if (state === 'body') await emit(pending.subarray(0, at));
        const after = pending.subarray(at + delimiter.length);
        if (after.length < 2) {
          pending = pending.subarray(at);
          break;
        }
        if (after[0] === 0x2d && after[1] === 0x2d) {
          state = 'done';
          continue;
        }
        part += 1;
        state = 'headers';
        // `after` is CRLF, the part's header lines, then a blank line: the headers state skips to that blank line.
        pending = after;
      }
    }
  } finally {
    out.end();
    await finished(out).catch(() => undefined);
  }
  if (part < 1) throw new BigQueryApiError('invalid', 'multipart upload: expected two parts (job metadata, then data)');
  return { metadata: Buffer.concat(metadataChunks), dataBytes };
}
