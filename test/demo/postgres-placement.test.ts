import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createLogger } from '../../common/logger.js';
import { postgresDistribution, startDemoPostgres } from '../../demo/embedded-postgres.js';
import { statePaths } from '../../demo/paths.js';
import { resetState } from '../../demo/reset.js';

// CI runs as root, where Postgres runs as the `postgres` user: the case a mode-700 home breaks.
const asRoot = process.getuid?.() === 0 ? test : test.skip;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function select(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select 41 + 1 as answer')).rows;
  } finally {
    await client.end();
  }
}

describe('the demo Postgres behind a directory only root can search', () => {
  asRoot('starts from a mode-700 parent (checkout and state inside it), keeps its data across starts, and reset removes it', async () => {
    // mkdtemp makes mode-700 directories: a stand-in for /root or a `mktemp -d` checkout.
    const home = await mkdtemp(path.join(tmpdir(), 'landform-home-'));
    const shared = await mkdtemp(path.join(tmpdir(), 'landform-shared-'));
    dirs.push(home, shared);
    await chmod(shared, 0o755);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    // The binaries inside the closed directory too, as node_modules of a checkout there would be.
    const nativeDir = path.join(home, 'native');
    await cp(postgresDistribution().nativeDir, nativeDir, { recursive: true, verbatimSymlinks: true });
    const root = path.join(home, 'checkout', '.landform');
    const paths = statePaths(root);
    const logger = createLogger('test', 'silent');

    const first = await startDemoPostgres({ dataDir: paths.postgres, configFile: paths.postgresConfig, logger, sharedRoot: shared, nativeDir });
    try {
      expect(first.created).toBe(true);
      expect(await select(first.url)).toEqual([{ answer: 42 }]);
    } finally {
      await first.stop();
    }
    expect((await lstat(paths.postgres)).isSymbolicLink()).toBe(true);

    const second = await startDemoPostgres({ dataDir: paths.postgres, configFile: paths.postgresConfig, logger, sharedRoot: shared, nativeDir });
    try {
      expect(second.created).toBe(false);
      expect(await select(second.url)).toEqual([{ answer: 42 }]);
    } finally {
      await second.stop();
    }
    await resetState(root, { sharedRoot: shared });
    expect(existsSync(root)).toBe(false);
    // The binaries stay for the next run; the data went with the reset.
    await expect(readdir(shared)).resolves.toEqual([expect.stringMatching(/^postgres-/)]);
  });
});
