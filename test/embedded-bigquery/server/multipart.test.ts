import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundaryOf, receiveMultipart } from '../../../packages/embedded-bigquery/src/server/multipart.js';

/** The exact bytes teeny-request's createMultipartStream sends for a load job. */
function body(boundary: string, metadata: string, data: string): Buffer {
  return Buffer.from(
    `--${boundary}\r\nContent-Type: application/json\r\n\r\n${metadata}\r\n` +
      `--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n${data}\r\n--${boundary}--`,
  );
}

async function* chunks(bytes: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('multipart/related upload parsing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'landform-multipart-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('boundary from the content type', () => {
    expect(boundaryOf('multipart/related; boundary=abc-123')).toBe('abc-123');
    expect(boundaryOf('multipart/related; boundary="q u o t e d"')).toBe('q u o t e d');
    expect(() => boundaryOf('application/json')).toThrow(/multipart/);
  });

  // Data that looks like delimiters without being one, and CRLFs next to the boundary.
  const data = '{"a":"--b"}\r\n{"a":"\\r\\n--bound"}\r\n--boundar\r\nlast line without newline';
  const metadata = '{"configuration":{"load":{"sourceFormat":"NEWLINE_DELIMITED_JSON"}}}';

  test.each([1, 2, 3, 7, 16, 64, 100000])('splits metadata and data with %i-byte chunks', async (size) => {
    const path = join(dir, `data-${size}`);
    const upload = await receiveMultipart(chunks(body('boundary', metadata, data), size), 'boundary', path, 1 << 30);
    expect(upload.metadata.toString()).toBe(metadata);
    expect(await readFile(path, 'utf8')).toBe(data);
    expect(upload.dataBytes).toBe(Buffer.byteLength(data));
  });

  test('an empty data part gives an empty file', async () => {
    const path = join(dir, 'empty');
    const upload = await receiveMultipart(chunks(body('b', metadata, ''), 5), 'b', path, 1 << 30);
    expect(upload.dataBytes).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('');
  });

  test('a body with only one part is rejected', async () => {
    const only = Buffer.from(`--b\r\nContent-Type: application/json\r\n\r\n${metadata}\r\n--b--`);
    await expect(receiveMultipart(chunks(only, 10), 'b', join(dir, 'one'), 1 << 30)).rejects.toThrow(/two parts/);
  });
});
