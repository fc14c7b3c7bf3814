/**
 * Objects through the real @google-cloud/storage client: multipart and resumable (single- and
 * multi-chunk) uploads, a raw media upload, metadata as GCS reports it, downloads the client
 * validates, ranged reads and gzip-encoded objects. Hashes come from ./hashes.ts, not the server.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bucket } from '@google-cloud/storage';
import { crc32cBase64, md5Base64, pseudoRandomBytes } from './hashes.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
let bucket: Bucket;
beforeAll(async () => {
  gcs = await startTestGcs();
  [bucket] = await gcs.storage.createBucket('objects');
});
afterAll(async () => {
  await gcs.stop();
});

const MiB = 1024 * 1024;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('objects', () => {
  test('a multipart upload reports metadata as GCS does', async () => {
    const data = Buffer.from('{"hello":"world"}\n');
    const file = bucket.file('docs/hello.json');
    await file.save(data, { resumable: false, contentType: 'application/json', metadata: { metadata: { source: 'test', rows: 1 } } });
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({
      kind: 'storage#object',
      name: 'docs/hello.json',
      bucket: 'objects',
      size: String(data.length),
      contentType: 'application/json',
      md5Hash: md5Base64(data),
      crc32c: crc32cBase64(data),
      metageneration: '1',
      storageClass: 'STANDARD',
      metadata: { source: 'test', rows: '1' },
    });
    expect(metadata.generation).toMatch(/^[1-9]\d{15}$/);
    expect(metadata.id).toBe(`objects/docs/hello.json/${String(metadata.generation)}`);
    expect(new Date(String(metadata.timeCreated)).toISOString()).toBe(metadata.timeCreated);
    expect(metadata.updated).toBe(metadata.timeCreated);
    expect(typeof metadata.etag).toBe('string');
    const [downloaded] = await file.download();
    expect(downloaded.equals(data)).toBe(true);
  });

  test('a small resumable upload (the client default) round-trips', async () => {
    const data = Buffer.from('résumé ✓\n'.repeat(100));
    const file = bucket.file('small-resumable.txt');
    await file.save(data);
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ size: String(data.length), md5Hash: md5Base64(data), crc32c: crc32cBase64(data), contentType: 'text/plain' });
    const [downloaded] = await file.download();
    expect(downloaded.equals(data)).toBe(true);
  });

  test('an empty object', async () => {
    const file = bucket.file('empty');
    await file.save(Buffer.alloc(0), { resumable: false });
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ size: '0', md5Hash: md5Base64(Buffer.alloc(0)), crc32c: crc32cBase64(Buffer.alloc(0)) });
    const [downloaded] = await file.download();
    expect(downloaded.length).toBe(0);
  });

  test('a 12 MiB object, resumable in one request and in 2 MiB chunks, downloads with both hashes validated', async () => {
    const data = pseudoRandomBytes(12 * MiB + 12345);
    const expected = { size: String(data.length), md5Hash: md5Base64(data), crc32c: crc32cBase64(data) };
    const single = bucket.file('large/single.bin');
    await single.save(data, { contentType: 'application/octet-stream' });
    const chunked = bucket.file('large/chunked.bin');
    const statuses: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = chunked.createWriteStream({ chunkSize: 2 * MiB });
      stream.on('response', (response: { status?: number }) => statuses.push(Number(response.status)));
      stream.on('error', reject);
      stream.on('finish', () => resolve());
      stream.end(data);
    });
    // Six 308s (chunks 1-6 held) then the 200 that returns the object.
    expect(statuses.filter((s) => s === 308).length).toBeGreaterThanOrEqual(6);
    for (const file of [single, chunked]) {
      const [metadata] = await file.getMetadata();
      expect(metadata).toMatchObject(expected);
      // The client checks crc32c by default and md5 on request: a wrong hash would fail the download.
      const [viaCrc] = await file.download();
      expect(viaCrc.equals(data)).toBe(true);
      const [viaMd5] = await file.download({ validation: 'md5' });
      expect(md5Base64(viaMd5)).toBe(expected.md5Hash);
    }
  });

  test('downloads carry the headers that make the client validate them', async () => {
    const data = Buffer.from('validated');
    await bucket.file('validated.txt').save(data, { resumable: false });
    const response = await fetch(`${gcs.server.url}/storage/v1/b/objects/o/validated.txt?alt=media`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-goog-hash')).toBe(`crc32c=${crc32cBase64(data)},md5=${md5Base64(data)}`);
    expect(response.headers.get('x-goog-stored-content-encoding')).toBe('identity');
    expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
  });

  test('ranged reads', async () => {
    const data = pseudoRandomBytes(1000, 7);
    const file = bucket.file('ranged.bin');
    await file.save(data, { resumable: false });
    expect((await readAll(file.createReadStream({ start: 10, end: 19 }))).equals(data.subarray(10, 20))).toBe(true);
    expect((await readAll(file.createReadStream({ start: 990 }))).equals(data.subarray(990))).toBe(true);
    expect((await readAll(file.createReadStream({ end: 0 }))).equals(data.subarray(0, 1))).toBe(true);
    const [head] = await file.download({ start: 0, end: 99 });
    expect(head.equals(data.subarray(0, 100))).toBe(true);

    const url = `${gcs.server.url}/storage/v1/b/objects/o/ranged.bin?alt=media`;
    const suffix = await fetch(url, { headers: { Range: 'bytes=-25' } });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe('bytes 975-999/1000');
    expect(Buffer.from(await suffix.arrayBuffer()).equals(data.subarray(975))).toBe(true);
    const beyondEnd = await fetch(url, { headers: { Range: 'bytes=900-5000' } });
    expect(beyondEnd.status).toBe(206);
    expect(beyondEnd.headers.get('content-range')).toBe('bytes 900-999/1000');
    const unsatisfiable = await fetch(url, { headers: { Range: 'bytes=1000-' } });
    expect(unsatisfiable.status).toBe(416);
    expect(await unsatisfiable.json()).toMatchObject({ error: { code: 416, errors: [{ reason: 'requestedRangeNotSatisfiable' }] } });
  });

  test('uploadType=media takes the name from the query and the type from Content-Type', async () => {
    const data = Buffer.from('a,b\n1,2\n');
    const response = await fetch(`${gcs.server.url}/upload/storage/v1/b/objects/o?uploadType=media&name=${encodeURIComponent('media/one file.csv')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: data,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'media/one file.csv', contentType: 'text/csv', size: String(data.length), crc32c: crc32cBase64(data) });
    const [downloaded] = await bucket.file('media/one file.csv').download();
    expect(downloaded.equals(data)).toBe(true);
  });

  test('an upload whose declared hash does not match is refused and leaves no object', async () => {
    const response = await fetch(`${gcs.server.url}/upload/storage/v1/b/objects/o?uploadType=media&name=bad-hash`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'X-Goog-Hash': `crc32c=${crc32cBase64(Buffer.from('other'))}` },
      body: 'content',
    });
    expect(response.status).toBe(400);
    const [exists] = await bucket.file('bad-hash').exists();
    expect(exists).toBe(false);
  });

  test('a gzip-encoded object comes back decompressed and validated', async () => {
    const text = Buffer.from('line of text\n'.repeat(5000));
    const file = bucket.file('compressed.txt');
    await file.save(text, { gzip: true, resumable: false, contentType: 'text/plain' });
    const [metadata] = await file.getMetadata();
    expect(metadata.contentEncoding).toBe('gzip');
    expect(Number(metadata.size)).toBeLessThan(text.length);
    const [downloaded] = await file.download();
    expect(downloaded.equals(text)).toBe(true);
    // A client that does not accept gzip gets the decompressed bytes (GCS's decompressive transcoding).
    const plain = await fetch(`${gcs.server.url}/storage/v1/b/objects/o/compressed.txt?alt=media`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(Buffer.from(await plain.arrayBuffer()).equals(text)).toBe(true);
    // Stored bytes are the gzip stream the client sent: they hash as stored.
    const raw = await fetch(`${gcs.server.url}/storage/v1/b/objects/o/compressed.txt?alt=media`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(raw.headers.get('x-goog-hash')).toContain(`crc32c=${metadata.crc32c}`);
    expect(raw.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await raw.arrayBuffer()).equals(text)).toBe(true);
  });

  test('patch updates metadata and metageneration; delete removes the object', async () => {
    const file = bucket.file('patched.txt');
    await file.save('x', { resumable: false, metadata: { metadata: { keep: 'a', drop: 'b' } } });
    const [before] = await file.getMetadata();
    const [after] = await file.setMetadata({ contentType: 'text/markdown', metadata: { drop: null, added: 'c' } });
    expect(after).toMatchObject({ contentType: 'text/markdown', metageneration: '2', generation: before.generation, metadata: { keep: 'a', added: 'c' } });
    expect(after.metadata).not.toHaveProperty('drop');
    await file.delete();
    const [exists] = await file.exists();
    expect(exists).toBe(false);
    await expect(file.delete()).rejects.toMatchObject({ code: 404 });
  });

  test('a missing object is 404 in GCS error shape', async () => {
    const response = await fetch(`${gcs.server.url}/storage/v1/b/objects/o/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 404, message: 'No such object: objects/nothing-here', errors: [{ message: 'No such object: objects/nothing-here', domain: 'global', reason: 'notFound' }] },
    });
  });
});
