/**
 * The embedded GCS stands alone: its packed tarball installs into an empty project (no dependencies
 * to fetch), which can start it (the package's own CLI, and an in-process import), and the real
 * @google-cloud/storage client saves and reads an object through it. Anything the package imported
 * from the rest of Landform would be missing there.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32cBase64, md5Base64, pseudoRandomBytes } from '../hashes.js';
import { storageClientFor } from '../../support/embedded-gcs.js';
import { packAndInstall, readyUrl as startReady, stopChild } from '../../support/packed-package.js';

const PACKAGE_DIR = fileURLToPath(new URL('../../../packages/embedded-gcs', import.meta.url));

let work: string;
let project: string;

beforeAll(async () => {
  // No dependencies: nothing may be fetched.
  ({ work, project } = await packAndInstall(PACKAGE_DIR, 'landform-gcs-package-', { offline: true }));
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('@landform/embedded-gcs from its tarball', () => {
  test('the tarball holds the built package and its README, no sources or tests, and no dependencies', async () => {
    const installed = join(project, 'node_modules/@landform/embedded-gcs');
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(manifest.dependencies ?? {}).toEqual({});
    expect((await readdir(installed)).sort()).toEqual(['README.md', 'dist', 'package.json']);
    expect(await readdir(join(installed, 'dist'))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'cli.js']));
    // Nothing else was installed: the package runs on Node's builtins alone.
    expect((await readdir(join(project, 'node_modules'))).filter((d) => d !== '.bin' && !d.startsWith('.'))).toEqual(['@landform']);
  });

  test('its command starts the server on a data directory; objects survive a restart', async () => {
    const data = pseudoRandomBytes(3 * 1024 * 1024 + 5, 41);
    const start = () => spawn(process.execPath, ['node_modules/.bin/embedded-gcs', '--port', '0', '--data', 'gcs-data'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = start();
    try {
      const storage = storageClientFor(await startReady(first));
      const [bucket] = await storage.createBucket('standalone');
      await bucket.file('from/the/tarball.bin').save(data);
    } finally {
      expect(await stopChild(first)).toBe(0);
    }
    const second = start();
    try {
      const storage = storageClientFor(await startReady(second));
      const file = storage.bucket('standalone').file('from/the/tarball.bin');
      const [metadata] = await file.getMetadata();
      expect(metadata).toMatchObject({ size: String(data.length), md5Hash: md5Base64(data), crc32c: crc32cBase64(data) });
      const [bytes] = await file.download();
      expect(bytes.equals(data)).toBe(true);
    } finally {
      expect(await stopChild(second)).toBe(0);
    }
  }, 120_000);

  test('it starts in-process from an import in the empty project', async () => {
    const script = [
      "import { startEmbeddedGcs } from '@landform/embedded-gcs';",
      "const server = await startEmbeddedGcs({ port: 0, dataPath: ':memory:' });",
      'process.stdout.write(`ready ${server.url}\\n`);',
      "process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));",
    ].join('\n');
    await writeFile(join(project, 'start.mjs'), script);
    const child = spawn(process.execPath, ['start.mjs'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const storage = storageClientFor(await startReady(child));
      const [bucket] = await storage.createBucket('in-process');
      await bucket.file('hello.txt').save('hello from an import', { resumable: false });
      const [text] = await bucket.file('hello.txt').download();
      expect(text.toString()).toBe('hello from an import');
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  }, 120_000);
});
