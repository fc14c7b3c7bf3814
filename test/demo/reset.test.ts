import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createLogger } from '../../common/logger.js';
import { startDemoPostgres } from '../../demo/embedded-postgres.js';
import { statePaths } from '../../demo/paths.js';
import { resetState } from '../../demo/reset.js';

const dirs: string[] = [];
async function tempRoot(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'landform-reset-'));
  dirs.push(dir);
  // Postgres runs as the `postgres` user when tests run as root: it must reach the data dir.
  await chmod(dir, 0o755);
  return path.join(dir, '.landform');
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('landform reset', () => {
  test('stops the Postgres running from the state dir, then removes the dir', async () => {
    const root = await tempRoot();
    const paths = statePaths(root);
    const server = await startDemoPostgres({ dataDir: paths.postgres, configFile: paths.postgresConfig, logger: createLogger('test', 'silent') });
    expect(server.created).toBe(true);
    await mkdir(path.dirname(paths.report), { recursive: true });
    await writeFile(paths.report, '<html></html>');

    const done = await resetState(root);
    expect(done).toEqual({ removed: ['postgres', 'postgres.json', 'report'], kept: [], stoppedPostgres: true });
    expect(existsSync(root)).toBe(false);
    const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  });

  test('keeps what other tools store in the same directory', async () => {
    const root = await tempRoot();
    await mkdir(path.join(root, 'bench'), { recursive: true });
    await writeFile(path.join(root, 'demo-state.json'), '{}');
    await writeFile(path.join(root, 'notes.txt'), 'mine');
    await expect(resetState(root)).resolves.toEqual({ removed: ['demo-state.json'], kept: ['bench', 'notes.txt'], stoppedPostgres: false });
    expect(existsSync(path.join(root, 'notes.txt'))).toBe(true);
    expect(existsSync(path.join(root, 'demo-state.json'))).toBe(false);
  });

  test('a missing state dir is nothing to do', async () => {
    await expect(resetState(path.join(tmpdir(), 'landform-reset-absent-dir'))).resolves.toEqual({ removed: [], kept: [], stoppedPostgres: false });
  });
});
