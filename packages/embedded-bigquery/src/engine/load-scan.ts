/**
 * One streaming pass over a load job's CSV or NDJSON file: counts its rows (non-blank lines, for
 * maxBadRecords) and finds the first row over BigQuery's maximum row size. Streamed, because an
 * upload can be larger than the biggest string V8 allows; newlines are found with Buffer.indexOf.
 */
import { createReadStream } from 'node:fs';

export interface LineScan {
  lines: number;
  /** Byte offset where the first row longer than maxRowBytes starts. */
  oversizeAt?: number;
}

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d;
}

export async function scanLines(path: string, maxRowBytes: number): Promise<LineScan> {
  let lines = 0;
  let lineHasContent = false;
  let lineStart = 0;
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, i);
      const end = nl < 0 ? chunk.length : nl;
      for (let k = i; !lineHasContent && k < end; k++) if (!isBlank(chunk[k]!)) lineHasContent = true;
      if (nl < 0) break;
      if (offset + nl - lineStart > maxRowBytes) return { lines, oversizeAt: lineStart };
      if (lineHasContent) lines++;
      lineHasContent = false;
      lineStart = offset + nl + 1;
      i = nl + 1;
    }
    offset += chunk.length;
    if (offset - lineStart > maxRowBytes) return { lines, oversizeAt: lineStart };
  }
  return { lines: lineHasContent ? lines + 1 : lines };
}
