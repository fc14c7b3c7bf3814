/**
 * Generation preconditions through the real client: ifGenerationMatch=0 ("only if absent") for
 * idempotent writes, a matching or stale generation, metageneration on patch, delete and copy, and
 * concurrent writers racing for the same absent name.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bucket } from '@google-cloud/storage';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
let bucket: Bucket;
beforeAll(async () => {
  gcs = await startTestGcs();
  [bucket] = await gcs.storage.createBucket('preconditions');
});
afterAll(async () => {
  await gcs.stop();
});

const conditionNotMet = { code: 412 };

/** The HTTP status of a failed call: the JSON API's ApiError has `code`, a resumable upload's GaxiosError `status`. */
async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: unknown; status?: unknown; response?: { status?: number } };
    return typeof e.code === 'number' ? e.code : typeof e.status === 'number' ? e.status : e.response?.status;
  }
  return undefined;
}

describe('preconditions', () => {
  test.each([
    ['multipart', false],
    ['resumable', true],
  ])('ifGenerationMatch=0 writes once (%s upload)', async (_kind, resumable) => {
    const file = bucket.file(`once-${String(resumable)}.txt`);
    await file.save('first', { resumable, preconditionOpts: { ifGenerationMatch: 0 } });
    expect(await statusOf(file.save('second', { resumable, preconditionOpts: { ifGenerationMatch: 0 } }))).toBe(412);
    const [content] = await file.download();
    expect(content.toString()).toBe('first');
  });

  test('a matching generation replaces, a stale one is refused', async () => {
    const file = bucket.file('versioned.txt');
    await file.save('v1', { resumable: false });
    const [v1] = await file.getMetadata();
    await file.save('v2', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(v1.generation) } });
    const [v2] = await file.getMetadata();
    expect(BigInt(String(v2.generation))).toBeGreaterThan(BigInt(String(v1.generation)));
    await expect(file.save('v3', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(v1.generation) } })).rejects.toMatchObject(conditionNotMet);
    // An object that does not exist has generation 0, so any other generation fails.
    await expect(bucket.file('absent.txt').save('x', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(v1.generation) } })).rejects.toMatchObject(conditionNotMet);
    const [content] = await file.download();
    expect(content.toString()).toBe('v2');
  });

  test('the 412 is GCS error shaped', async () => {
    await bucket.file('shape.txt').save('x', { resumable: false });
    const response = await fetch(`${gcs.server.url}/upload/storage/v1/b/preconditions/o?uploadType=media&name=shape.txt&ifGenerationMatch=0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'y',
    });
    expect(response.status).toBe(412);
    expect(await response.json()).toEqual({
      error: {
        code: 412,
        message: 'At least one of the pre-conditions you specified did not hold.',
        errors: [{ message: 'At least one of the pre-conditions you specified did not hold.', domain: 'global', reason: 'conditionNotMet', locationType: 'header', location: 'If-Match' }],
      },
    });
  });

  test('a resumable session checks at start and again at the end', async () => {
    const file = bucket.file('raced.txt');
    const [uri] = await file.createResumableUpload({ preconditionOpts: { ifGenerationMatch: 0 } });
    // Another writer creates the object while the session is open.
    await file.save('winner', { resumable: false });
    const last = await fetch(uri, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-4/5' }, body: 'loser' });
    expect(last.status).toBe(412);
    const [content] = await file.download();
    expect(content.toString()).toBe('winner');
    const atStart = await fetch(`${gcs.server.url}/upload/storage/v1/b/preconditions/o?uploadType=resumable&name=raced.txt&ifGenerationMatch=0`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(atStart.status).toBe(412);
  });

  test('of 8 concurrent writers with ifGenerationMatch=0, exactly one succeeds', async () => {
    const file = bucket.file('contended.txt');
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => file.save(`writer ${i}`, { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } })));
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected.map((r) => (r.reason as { code?: number }).code)).toEqual(Array(7).fill(412));
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    const [content] = await file.download();
    expect(content.toString()).toBe(`writer ${winner}`);
  });

  test('delete, patch and copy honour generation and metageneration preconditions', async () => {
    const file = bucket.file('guarded.txt');
    await file.save('guarded', { resumable: false });
    const [meta] = await file.getMetadata();
    const generation = Number(meta.generation);

    await expect(file.setMetadata({ metadata: { a: '1' } }, { ifMetagenerationMatch: 2 })).rejects.toMatchObject(conditionNotMet);
    const [patched] = await file.setMetadata({ metadata: { a: '1' } }, { ifMetagenerationMatch: 1 });
    expect(patched.metageneration).toBe('2');

    await expect(file.copy(bucket.file('guarded-copy.txt'), { preconditionOpts: { ifGenerationMatch: 123 } })).rejects.toMatchObject(conditionNotMet);
    await file.copy(bucket.file('guarded-copy.txt'), { preconditionOpts: { ifGenerationMatch: 0 } });
    await expect(file.copy(bucket.file('guarded-copy.txt'), { preconditionOpts: { ifGenerationMatch: 0 } })).rejects.toMatchObject(conditionNotMet);

    await expect(file.delete({ ifGenerationMatch: generation + 1 })).rejects.toMatchObject(conditionNotMet);
    await file.delete({ ifGenerationMatch: generation });
    const [exists] = await file.exists();
    expect(exists).toBe(false);
  });

  test('a read naming another generation is 404', async () => {
    const file = bucket.file('generations.txt');
    await file.save('g', { resumable: false });
    const [meta] = await file.getMetadata();
    const [same] = await bucket.file('generations.txt', { generation: Number(meta.generation) }).download();
    expect(same.toString()).toBe('g');
    await expect(bucket.file('generations.txt', { generation: Number(meta.generation) - 1 }).download()).rejects.toMatchObject({ code: 404 });
  });
});
