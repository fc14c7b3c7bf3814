/** Copy, rewrite and compose through the real client; expected hashes computed here from the bytes. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bucket } from '@google-cloud/storage';
import { crc32cBase64, md5Base64, pseudoRandomBytes } from './hashes.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
let source: Bucket;
let target: Bucket;
beforeAll(async () => {
  gcs = await startTestGcs();
  [source] = await gcs.storage.createBucket('copy-source');
  [target] = await gcs.storage.createBucket('copy-target');
});
afterAll(async () => {
  await gcs.stop();
});

describe('copy, rewrite, compose', () => {
  test('file.copy (rewriteTo) within a bucket and to another keeps bytes and metadata', async () => {
    const data = pseudoRandomBytes(300_000, 21);
    const original = source.file('reports/2025/09/16/report.parquet');
    await original.save(data, { resumable: false, contentType: 'application/vnd.apache.parquet', metadata: { metadata: { rows: '42' } } });
    const [originalMeta] = await original.getMetadata();

    const [sameBucket] = await original.copy('reports/latest.parquet');
    const [otherBucket] = await original.copy(target.file('mirror/report.parquet'));
    const [viaGsUrl] = await original.copy('gs://copy-target/by-url.parquet');
    for (const copy of [sameBucket, otherBucket, viaGsUrl]) {
      const [metadata] = await copy.getMetadata();
      expect(metadata).toMatchObject({ size: String(data.length), md5Hash: md5Base64(data), crc32c: crc32cBase64(data), contentType: 'application/vnd.apache.parquet', metadata: { rows: '42' } });
      expect(metadata.generation).not.toBe(originalMeta.generation);
      const [bytes] = await copy.download();
      expect(bytes.equals(data)).toBe(true);
    }
    expect([sameBucket.bucket.name, otherBucket.bucket.name, viaGsUrl.bucket.name]).toEqual(['copy-source', 'copy-target', 'copy-target']);
  });

  test('metadata given to copy overrides the source', async () => {
    const original = source.file('typed.txt');
    await original.save('typed', { resumable: false, contentType: 'text/plain', metadata: { metadata: { a: '1' } } });
    const [copy] = await original.copy(target.file('retyped.txt'), { contentType: 'text/csv', metadata: { b: '2' } });
    const [metadata] = await copy.getMetadata();
    expect(metadata.contentType).toBe('text/csv');
    expect(metadata.metadata).toEqual({ b: '2' });
  });

  test('the rewrite response says it is done in one call', async () => {
    await source.file('raw-rewrite.bin').save(Buffer.from('0123456789'), { resumable: false });
    const response = await fetch(`${gcs.server.url}/storage/v1/b/copy-source/o/raw-rewrite.bin/rewriteTo/b/copy-target/o/${encodeURIComponent('re/written.bin')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: 'storage#rewriteResponse', done: true, totalBytesRewritten: '10', objectSize: '10', resource: { name: 're/written.bin', bucket: 'copy-target', size: '10' } });
  });

  test('copying a missing object is 404', async () => {
    await expect(source.file('missing').copy('anywhere')).rejects.toMatchObject({ code: 404 });
  });

  test('compose (bucket.combine) concatenates, reports crc32c and componentCount, and has no md5Hash', async () => {
    const parts = [pseudoRandomBytes(1000, 31), pseudoRandomBytes(262_144, 32), Buffer.from('tail\n')];
    const files = parts.map((_, i) => source.file(`parts/part-${i}`));
    for (const [i, file] of files.entries()) await file.save(parts[i]!, { resumable: false });
    const whole = Buffer.concat(parts);
    const [composed] = await source.combine(files, source.file('parts/whole.bin'));
    const [metadata] = await composed.getMetadata();
    expect(metadata).toMatchObject({ size: String(whole.length), crc32c: crc32cBase64(whole), componentCount: 3 });
    expect(metadata.md5Hash).toBeUndefined();
    const [bytes] = await composed.download();
    expect(bytes.equals(whole)).toBe(true);
    // A composite's components count toward the next compose.
    const [again] = await source.combine([composed, files[0]!], source.file('parts/again.bin'));
    const [againMeta] = await again.getMetadata();
    expect(againMeta).toMatchObject({ componentCount: 4, crc32c: crc32cBase64(Buffer.concat([whole, parts[0]!])) });
    // md5 validation cannot work on a composite, as in GCS.
    await expect(composed.download({ validation: 'md5' })).rejects.toThrow();
  });

  test('compose refuses more than 32 sources and a missing source', async () => {
    const one = source.file('one-part');
    await one.save('1', { resumable: false });
    await expect(source.combine(Array.from({ length: 33 }, () => one), source.file('too-many'))).rejects.toMatchObject({ code: 400 });
    await expect(source.combine([one, source.file('not-there')], source.file('with-missing'))).rejects.toMatchObject({ code: 404 });
    const [exists] = await source.file('with-missing').exists();
    expect(exists).toBe(false);
  });
});
