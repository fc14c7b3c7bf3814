import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { postgresDistribution } from '../../demo/embedded-postgres.js';
import { freePort } from '../../demo/free-port.js';
import { postgresRunAs, type RunAs } from '../../demo/postgres-access.js';
import { placePostgres } from '../../demo/postgres-placement.js';
import { initCluster, startCluster, type RunningPostgres } from '../../demo/postgres-process.js';

// Real Postgres, real failures: the classification below is what the person's message is built from.
const FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'];
let root = '';
let dataDir = '';
let runAs: RunAs | null = null;
const binDir = path.join(postgresDistribution().nativeDir, 'bin');
const quiet = (): void => undefined;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'landform-pg-errors-'));
  await chmod(root, 0o755);
  runAs = await postgresRunAs();
  dataDir = path.join(root, 'data');
  await initCluster({ binDir, dataDir, runAs, user: 'postgres', password: 'pw-for-tests', onLog: quiet });
}, 60_000);

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('why the embedded Postgres did not start', () => {
  test('a port another program holds is reported as port-in-use', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startCluster({ binDir, dataDir, runAs, port, flags: FLAGS, onLog: quiet })).rejects.toMatchObject({ failure: 'port-in-use', details: { port } });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('a data directory another Postgres runs on is reported as data-dir-locked, naming its pid', async () => {
    const running: RunningPostgres = await startCluster({ binDir, dataDir, runAs, port: await freePort(), flags: FLAGS, onLog: quiet });
    try {
      await expect(startCluster({ binDir, dataDir, runAs, port: await freePort(), flags: FLAGS, onLog: quiet }))
        .rejects.toMatchObject({ failure: 'data-dir-locked', details: { pid: running.pid } });
    } finally {
      await running.stop();
    }
  });
});

const asRoot = process.getuid?.() === 0 ? test : test.skip;
describe('a place Postgres cannot reach at all', () => {
  asRoot('fails before starting, with one sentence that names LANDFORM_HOME', async () => {
    // Both the state dir and the fallback sit behind a mode-700 directory: nothing can be placed.
    const closed = await mkdtemp(path.join(tmpdir(), 'landform-closed-'));
    try {
      await expect(placePostgres({
        nativeDir: path.join(closed, 'native'), version: 'x', dataDir: path.join(closed, 'state', 'postgres'), runAs, sharedRoot: path.join(closed, 'shared'),
      })).rejects.toThrow(/^Postgres runs as the `postgres` user, which can reach neither this checkout \(.+ is not searchable\) nor .+; set LANDFORM_HOME to a directory it can reach/);
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });
});
