/**
 * The resumable upload protocol on the wire (as documented for GCS's JSON API): a session URI,
 * chunks with Content-Range answered 308 + Range, status queries with `bytes *\/*`, a resent
 * overlapping chunk, the final chunk answered 200 with the object, and a session resumed by the
 * real client from its URI.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bucket } from '@google-cloud/storage';
import { crc32cBase64, md5Base64, pseudoRandomBytes } from './hashes.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
let bucket: Bucket;
beforeAll(async () => {
  gcs = await startTestGcs();
  [bucket] = await gcs.storage.createBucket('resumable');
});
afterAll(async () => {
  await gcs.stop();
});

const CHUNK = 256 * 1024;

async function startSession(name: string, contentType = 'application/x-test'): Promise<string> {
  const response = await fetch(`${gcs.server.url}/upload/storage/v1/b/resumable/o?uploadType=resumable&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Upload-Content-Type': contentType },
    body: JSON.stringify({ metadata: { step: 'raw' } }),
  });
  expect(response.status).toBe(200);
  const location = response.headers.get('location');
  expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/upload\/storage\/v1\/b\/resumable\/o\?.*upload_id=/);
  return location!;
}

function put(uri: string, range: string, body?: Buffer): Promise<Response> {
  return fetch(uri, { method: 'PUT', headers: { 'Content-Range': range }, ...(body ? { body: new Uint8Array(body) } : {}) });
}

describe('resumable uploads', () => {
  test('chunks, status queries, a resent overlap, then the object', async () => {
    const data = pseudoRandomBytes(3 * CHUNK + 1000, 11);
    const uri = await startSession('raw/three-chunks.bin');

    const status0 = await put(uri, 'bytes */*');
    expect(status0.status).toBe(308);
    expect(status0.headers.get('range')).toBeNull();

    const first = await put(uri, `bytes 0-${CHUNK - 1}/*`, data.subarray(0, CHUNK));
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${CHUNK - 1}`);

    const status1 = await put(uri, 'bytes */*');
    expect(status1.status).toBe(308);
    expect(status1.headers.get('range')).toBe(`bytes=0-${CHUNK - 1}`);

    // A client that lost the answer resends from an earlier offset: the bytes it already holds are skipped.
    const resent = await put(uri, `bytes ${CHUNK / 2}-${2 * CHUNK - 1}/*`, data.subarray(CHUNK / 2, 2 * CHUNK));
    expect(resent.status).toBe(308);
    expect(resent.headers.get('range')).toBe(`bytes=0-${2 * CHUNK - 1}`);

    const ahead = await put(uri, `bytes ${3 * CHUNK}-${3 * CHUNK + 9}/*`, data.subarray(3 * CHUNK, 3 * CHUNK + 10));
    expect(ahead.status).toBe(400);

    const last = await put(uri, `bytes ${2 * CHUNK}-${data.length - 1}/${data.length}`, data.subarray(2 * CHUNK));
    expect(last.status).toBe(200);
    const resource = (await last.json()) as Record<string, unknown>;
    expect(resource).toMatchObject({
      name: 'raw/three-chunks.bin',
      contentType: 'application/x-test',
      size: String(data.length),
      md5Hash: md5Base64(data),
      crc32c: crc32cBase64(data),
      metadata: { step: 'raw' },
    });

    // The finished session keeps answering with the object.
    const again = await put(uri, 'bytes */*');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { generation: string }).generation).toBe(resource.generation);

    const [downloaded] = await bucket.file('raw/three-chunks.bin').download();
    expect(downloaded.equals(data)).toBe(true);
  });

  test('`bytes */<total>` finishes an upload whose bytes are all in', async () => {
    const data = pseudoRandomBytes(CHUNK, 12);
    const uri = await startSession('raw/finish-by-status.bin');
    expect((await put(uri, `bytes 0-${CHUNK - 1}/*`, data)).status).toBe(308);
    const finished = await put(uri, `bytes */${CHUNK}`);
    expect(finished.status).toBe(200);
    expect(await finished.json()).toMatchObject({ size: String(CHUNK), crc32c: crc32cBase64(data) });
  });

  test('the real client resumes a session another writer started', async () => {
    const data = pseudoRandomBytes(2 * CHUNK + 77, 13);
    const file = bucket.file('raw/resumed-by-client.bin');
    const [uri] = await file.createResumableUpload({ metadata: { contentType: 'application/x-resumed' } });
    expect((await put(uri, `bytes 0-${CHUNK - 1}/*`, data.subarray(0, CHUNK))).status).toBe(308);
    await new Promise<void>((resolve, reject) => {
      // The client asks the session for its offset, then sends only the rest.
      const stream = file.createWriteStream({ uri, offset: CHUNK, validation: false });
      stream.on('error', reject);
      stream.on('finish', () => resolve());
      stream.end(data.subarray(CHUNK));
    });
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ size: String(data.length), md5Hash: md5Base64(data), crc32c: crc32cBase64(data), contentType: 'application/x-resumed' });
  });

  test('a cancelled session is gone', async () => {
    const uri = await startSession('raw/cancelled.bin');
    expect((await put(uri, `bytes 0-9/*`, Buffer.alloc(10))).status).toBe(308);
    const cancelled = await fetch(uri, { method: 'DELETE' });
    expect(cancelled.status).toBe(499);
    expect((await put(uri, 'bytes */*')).status).toBe(404);
    const [exists] = await bucket.file('raw/cancelled.bin').exists();
    expect(exists).toBe(false);
  });
});
