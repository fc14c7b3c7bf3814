/**
 * A data directory: objects survive a restart with their bytes and metadata; object names that look
 * like paths (`..`, `/`, `%`, backslashes, unicode) never reach the filesystem as paths, so every
 * file stays inside the data directory in the package's own layout; leftovers of a crash are swept.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { lstat, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { startEmbeddedGcs, type EmbeddedGcs } from '@landform/embedded-gcs';
import { crc32cBase64, md5Base64 } from './hashes.js';
import { storageClientFor } from '../support/embedded-gcs.js';

let root: string;
let dataDir: string;
beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'landform-gcs-persist-')));
  dataDir = join(root, 'data');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const HOSTILE_NAMES = [
  '../../escape.txt',
  '../escape',
  'a/../../b',
  '/absolute/etc/passwd',
  '%2e%2e%2fencoded',
  '%',
  '100% done',
  '..%2F..%2Fdouble',
  'back\\slash\\..\\..\\x',
  'ünïcødé/日本語/😀.txt',
  '.hidden',
  './dot',
  '...',
  'a//b',
  ' spaced name ',
  'CON',
  `long-${'x'.repeat(1000)}`,
];

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    const stats = await lstat(path);
    expect(stats.isSymbolicLink()).toBe(false);
    if (stats.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

async function start(): Promise<EmbeddedGcs> {
  return startEmbeddedGcs({ port: 0, dataPath: dataDir });
}

describe('a data directory', () => {
  const contents = new Map(HOSTILE_NAMES.map((name, i) => [name, Buffer.from(`object ${i}: ${name}`)]));

  test('hostile object names round-trip, every file stays inside the data directory in its layout, and a restart keeps it all', async () => {
    const before = new Map<string, Record<string, unknown>>();
    const server = await start();
    try {
      const storage = storageClientFor(server.url);
      const [bucket] = await storage.createBucket('persisted');
      for (const [name, data] of contents) {
        await bucket.file(name).save(data, { resumable: name.length % 2 === 0, contentType: 'text/plain', metadata: { metadata: { original: name.slice(0, 50) } } });
      }
      const [files] = await bucket.getFiles();
      expect(files.map((f) => f.name).sort()).toEqual([...contents.keys()].sort());
      for (const [name, data] of contents) {
        const [bytes] = await bucket.file(name).download();
        expect({ name, same: bytes.equals(data) }).toEqual({ name, same: true });
        const [metadata] = await bucket.file(name).getMetadata();
        expect(metadata).toMatchObject({ md5Hash: md5Base64(data), crc32c: crc32cBase64(data) });
        before.set(name, metadata as Record<string, unknown>);
      }
    } finally {
      await server.stop();
    }
    expect(await readdir(root)).toEqual(['data']);
    const layout = /^(blobs\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|buckets\/persisted\/bucket\/bucket\.json|buckets\/persisted\/objects\/[0-9a-f]{64}\.json)$/;
    const files = await walk(dataDir);
    for (const file of files) {
      const rel = relative(dataDir, file).split(sep).join('/');
      expect({ rel, ok: !rel.startsWith('..') && layout.test(rel) }).toEqual({ rel, ok: true });
    }
    // One blob and one record per object, plus the bucket record.
    expect(files.filter((f) => f.includes(`${sep}blobs${sep}`))).toHaveLength(HOSTILE_NAMES.length);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(HOSTILE_NAMES.length + 1);

    // A restart keeps buckets, bytes and metadata, sweeps crash leftovers, and keeps generations increasing.
    // What a crash can leave: an upload's partial blob, an orphaned blob, a half-written record.
    const leftovers = [join(dataDir, 'blobs', `${randomUUID()}.part`), join(dataDir, 'blobs', randomUUID()), join(dataDir, 'buckets', 'persisted', 'objects', `${'0'.repeat(64)}.json.${randomUUID()}.tmp`)];
    for (const path of leftovers) await writeFile(path, 'junk');

    const restarted = await start();
    try {
      const storage = storageClientFor(restarted.url);
      const bucket = storage.bucket('persisted');
      const [exists] = await bucket.exists();
      expect(exists).toBe(true);
      const [files] = await bucket.getFiles();
      expect(files.map((f) => f.name).sort()).toEqual([...contents.keys()].sort());
      for (const [name, data] of contents) {
        const [bytes] = await bucket.file(name).download();
        expect(bytes.equals(data)).toBe(true);
        const [metadata] = await bucket.file(name).getMetadata();
        const earlier = before.get(name)!;
        for (const field of ['generation', 'metageneration', 'size', 'md5Hash', 'crc32c', 'contentType', 'timeCreated', 'metadata']) {
          expect({ name, field, value: metadata[field] }).toEqual({ name, field, value: earlier[field] });
        }
      }
      for (const path of leftovers) await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });

      const name = HOSTILE_NAMES[0]!;
      await bucket.file(name).save('rewritten after restart', { resumable: false });
      const [metadata] = await bucket.file(name).getMetadata();
      expect(BigInt(String(metadata.generation))).toBeGreaterThan(BigInt(String(before.get(name)!.generation)));
      await bucket.file(HOSTILE_NAMES[1]!).delete();
    } finally {
      await restarted.stop();
    }
    const afterRestart = await walk(dataDir);
    // The overwritten object's old blob and the deleted object's blob and record are gone.
    expect(afterRestart.filter((f) => f.includes(`${sep}blobs${sep}`))).toHaveLength(HOSTILE_NAMES.length - 1);
    expect(afterRestart.filter((f) => f.endsWith('.json'))).toHaveLength(HOSTILE_NAMES.length);
  });

  test('a second server on the same directory is refused while the first runs; a crashed owner\'s lock is taken over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'landform-gcs-lock-'));
    const first = await startEmbeddedGcs({ port: 0, dataPath: dir });
    try {
      await storageClientFor(first.url).createBucket('locked');
      await expect(startEmbeddedGcs({ port: 0, dataPath: dir })).rejects.toThrow(/in use by another embedded GCS|already served by this process/);
    } finally {
      await first.stop();
    }
    // A lock left by a process that no longer exists (pid far above any pid_max).
    await writeFile(join(dir, 'embedded-gcs.lock'), '2147483646');
    const again = await startEmbeddedGcs({ port: 0, dataPath: dir });
    try {
      const [exists] = await storageClientFor(again.url).bucket('locked').exists();
      expect(exists).toBe(true);
    } finally {
      await again.stop();
    }
    await expect(lstat(join(dir, 'embedded-gcs.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    await rm(dir, { recursive: true, force: true });
  });

  test('names GCS forbids are refused', async () => {
    const server = await startEmbeddedGcs({ port: 0 });
    try {
      const storage = storageClientFor(server.url);
      const [bucket] = await storage.createBucket('forbidden-names');
      for (const name of ['..', '.', 'line\nfeed', 'carriage\rreturn', '.well-known/acme-challenge/x', 'x'.repeat(1025)]) {
        const response = await fetch(`${server.url}/upload/storage/v1/b/forbidden-names/o?uploadType=media&name=${encodeURIComponent(name)}`, { method: 'POST', body: 'x' });
        expect({ name, status: response.status }).toEqual({ name, status: 400 });
      }
      const [files] = await bucket.getFiles();
      expect(files).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
