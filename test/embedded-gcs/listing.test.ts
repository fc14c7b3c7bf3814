/**
 * objects.list through the real client: prefix and delimiter (prefixes), paging over more objects
 * than a page, startOffset/endOffset. Expected lists are written out or derived from the names
 * the test created, in GCS's order (UTF-8 byte order).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bucket, GetFilesResponse } from '@google-cloud/storage';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
let bucket: Bucket;
beforeAll(async () => {
  gcs = await startTestGcs();
  [bucket] = await gcs.storage.createBucket('listing');
  for (const name of ['a.txt', 'dir/one.txt', 'dir/two.txt', 'dir/sub/deep.txt', 'dir/sub/deeper/x.txt', 'dir2/z.txt', 'zeta', 'é-accent', 'dir/']) {
    await bucket.file(name).save(name, { resumable: false });
  }
});
afterAll(async () => {
  await gcs.stop();
});

interface Page {
  names: string[];
  prefixes: string[];
  pageToken?: string;
}

async function page(query: Record<string, unknown>): Promise<Page> {
  const [files, next, response] = await bucket.getFiles({ autoPaginate: false, ...query });
  const pageToken = (next as { pageToken?: string } | null)?.pageToken;
  return {
    names: files.map((f) => f.name),
    prefixes: ((response as { prefixes?: string[] }).prefixes ?? []),
    ...(pageToken ? { pageToken } : {}),
  };
}

describe('listing objects', () => {
  test('everything, in UTF-8 byte order', async () => {
    const [files] = await bucket.getFiles();
    // 'é' is 0xC3 0xA9 in UTF-8, after every ASCII letter.
    expect(files.map((f) => f.name)).toEqual(['a.txt', 'dir/', 'dir/one.txt', 'dir/sub/deep.txt', 'dir/sub/deeper/x.txt', 'dir/two.txt', 'dir2/z.txt', 'zeta', 'é-accent']);
  });

  test('delimiter collapses names into prefixes', async () => {
    expect(await page({ delimiter: '/' })).toEqual({ names: ['a.txt', 'zeta', 'é-accent'], prefixes: ['dir/', 'dir2/'] });
    expect(await page({ prefix: 'dir/', delimiter: '/' })).toEqual({ names: ['dir/', 'dir/one.txt', 'dir/two.txt'], prefixes: ['dir/sub/'] });
    expect(await page({ prefix: 'dir/sub/', delimiter: '/' })).toEqual({ names: ['dir/sub/deep.txt'], prefixes: ['dir/sub/deeper/'] });
    expect(await page({ prefix: 'dir' })).toEqual({ names: ['dir/', 'dir/one.txt', 'dir/sub/deep.txt', 'dir/sub/deeper/x.txt', 'dir/two.txt', 'dir2/z.txt'], prefixes: [] });
    expect(await page({ prefix: 'nothing/' })).toEqual({ names: [], prefixes: [] });
  });

  test('includeTrailingDelimiter also lists an object named like its prefix', async () => {
    expect(await page({ delimiter: '/', includeTrailingDelimiter: true })).toEqual({ names: ['a.txt', 'dir/', 'zeta', 'é-accent'], prefixes: ['dir/', 'dir2/'] });
  });

  test('pages of names and prefixes share one budget', async () => {
    const first = await page({ delimiter: '/', maxResults: 2 });
    expect(first).toMatchObject({ names: ['a.txt'], prefixes: ['dir/'] });
    const second = await page({ delimiter: '/', maxResults: 2, pageToken: first.pageToken });
    expect(second).toMatchObject({ names: ['zeta'], prefixes: ['dir2/'] });
    expect(second.pageToken).toBeDefined();
    const third = await page({ delimiter: '/', maxResults: 2, pageToken: second.pageToken });
    expect(third).toEqual({ names: ['é-accent'], prefixes: [] });
  });

  test('one entry per page: an object named like a prefix and the prefix itself are each listed once', async () => {
    const entries: string[] = [];
    let pageToken: string | undefined;
    do {
      const result = await page({ prefix: 'dir/', delimiter: '/', maxResults: 1, ...(pageToken ? { pageToken } : {}) });
      entries.push(...result.names.map((n) => `name ${n}`), ...result.prefixes.map((p) => `prefix ${p}`));
      pageToken = result.pageToken;
    } while (pageToken);
    expect(entries).toEqual(['name dir/', 'name dir/one.txt', 'prefix dir/sub/', 'name dir/two.txt']);
  });

  test('startOffset and endOffset', async () => {
    expect((await page({ startOffset: 'dir/sub', endOffset: 'dir2' })).names).toEqual(['dir/sub/deep.txt', 'dir/sub/deeper/x.txt', 'dir/two.txt']);
    expect((await page({ startOffset: 'zeta' })).names).toEqual(['zeta', 'é-accent']);
    expect((await page({ endOffset: 'dir/' })).names).toEqual(['a.txt']);
  });

  test('paging over 1,234 objects: the client follows pages of at most 1,000; manual pages cover each name once', async () => {
    const many = await gcs.storage.createBucket('listing-many').then(([b]) => b);
    const names = Array.from({ length: 1234 }, (_, i) => `part-${String(i).padStart(5, '0')}.csv`);
    for (let i = 0; i < names.length; i += 100) {
      await Promise.all(names.slice(i, i + 100).map((name) => many.file(name).save('x', { resumable: false })));
    }
    const pageSizes: number[] = [];
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const [files, next]: GetFilesResponse = await many.getFiles({ autoPaginate: false, maxResults: 5000, ...(pageToken ? { pageToken } : {}) });
      pageSizes.push(files.length);
      seen.push(...files.map((f) => f.name));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
    // GCS caps maxResults at 1,000.
    expect(pageSizes).toEqual([1000, 234]);
    expect(seen).toEqual(names);

    const [all] = await many.getFiles();
    expect(all.map((f) => f.name)).toEqual(names);

    const small: string[] = [];
    pageToken = undefined;
    let pages = 0;
    do {
      const [files, next]: GetFilesResponse = await many.getFiles({ autoPaginate: false, maxResults: 30, prefix: 'part-01', ...(pageToken ? { pageToken } : {}) });
      small.push(...files.map((f) => f.name));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
      pages += 1;
    } while (pageToken);
    const expected = names.filter((n) => n.startsWith('part-01'));
    expect(expected).toHaveLength(234);
    expect(pages).toBe(8);
    expect(small).toEqual(expected);
  });
});
