import { invalid } from '../errors.js';
import type { BlobWriter } from '../store/types.js';

export interface MultipartUpload {
  /** The first part: the object resource as JSON. */
  metadata: Buffer;
  /** The second part's Content-Type, the object's type when the resource names none. */
  mediaContentType?: string;
}

const MAX_METADATA_BYTES = 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary of a `multipart/related; boundary=...` content type. */
export function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\/related\b/i.test(contentType ?? '') || !boundary) {
    throw invalid(`uploadType=multipart needs a multipart/related body with a boundary (got Content-Type ${JSON.stringify(contentType ?? '')})`);
  }
  return boundary;
}

function contentTypeOf(headerBlock: string): string | undefined {
  for (const line of headerBlock.split('\r\n')) {
    const match = /^content-type:\s*(.+)$/i.exec(line);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

/**
 * Streams a two-part multipart/related body (what @google-cloud/storage's simple upload sends: the
 * object resource as JSON, then the media) without holding the media in memory: the first part is
 * buffered, the second goes to `media` as it arrives.
 */
export async function receiveMultipart(body: AsyncIterable<Buffer>, boundary: string, media: BlobWriter): Promise<MultipartUpload> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const metadataChunks: Buffer[] = [];
  let metadataBytes = 0;
  let mediaContentType: string | undefined;
  let part = -1; // -1: before the first delimiter
  let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  // Pretend the body starts with CRLF so the first delimiter matches like every other one.
  let pending: Buffer = Buffer.from('\r\n');

  const emit = async (bytes: Buffer): Promise<void> => {
    if (bytes.length === 0) return;
    if (part === 0) {
      metadataBytes += bytes.length;
      if (metadataBytes > MAX_METADATA_BYTES) throw invalid('multipart upload: the metadata part is larger than 1 MB');
      metadataChunks.push(bytes);
    } else if (part === 1) {
      await media.write(bytes);
    } else {
      throw invalid('multipart upload: expected exactly two parts (object resource, then media)');
    }
  };

  for await (const chunk of body) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (state === 'done') {
        pending = Buffer.alloc(0);
        break;
      }
      if (state === 'headers') {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) {
          if (pending.length > MAX_HEADER_BYTES) throw invalid('multipart upload: part headers too long');
          break;
        }
        if (part === 1) mediaContentType = contentTypeOf(pending.subarray(0, end).toString('latin1'));
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
      // `after` is CRLF, the part's header lines, then a blank line; keep the CRLF so an empty header block still ends in CRLFCRLF.
      pending = after;
    }
  }
  if (part < 1 || state !== 'done') throw invalid('multipart upload: expected two parts (object resource, then media) and a closing boundary');
  return { metadata: Buffer.concat(metadataChunks), ...(mediaContentType ? { mediaContentType } : {}) };
}
