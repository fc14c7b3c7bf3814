/**
 * The operator's path through `landform load`, as a child process: readiness is checked before
 * anything is created, an unreachable BigQuery is a readiness failure (exit 2) within the budget
 * the operator sets, `status` needs no DATABASE_URL, and no form of database URL ever gets its
 * password printed (stdout and stderr of each run searched for every piece of it).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;
let silent: Server;
let silentUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  env = await startLoaderEnv();
  // Accepts connections and never answers: a BigQuery endpoint that hangs.
  silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await env?.stop();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Run> {
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '', ...env.bq.env, DATABASE_URL: env.db.url, GOOGLE_CLOUD_PROJECT: 'landform-local', LANDFORM_LOG_LEVEL: 'info', ...extraEnv };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/landform.js', 'load', ...args], { env: childEnv as NodeJS.ProcessEnv, timeout: 90_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

const common = () => ['--tables', 'telemetry_readings', '--stage-dir', env.stageDir, '--contracts', env.contractsDir, '--env', 'test'];

async function datasets(): Promise<string[]> {
  const [list] = await env.bigquery.getDatasets();
  return list.map((d) => d.id ?? '');
}

describe('readiness before anything is created', () => {
  test('a database that cannot be reached exits 2 and creates no dataset or table', async () => {
    const run = await cli(common(), { DATABASE_URL: 'postgres://loader:s3cret-pw@127.0.0.1:1/nowhere' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot connect to Postgres at postgres://loader:***@127.0.0.1:1/nowhere');
    expect(await datasets()).toEqual([]);
  });

  test('a BigQuery that accepts connections and never answers is a readiness failure within the budget', async () => {
    const run = await cli([...common(), '--readiness-timeout', '3', '--request-timeout', '1'], { BIGQUERY_EMULATOR_HOST: silentUrl });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot reach BigQuery at ${silentUrl} within 3 s`);
    // Budget 3 s plus process start-up (a few seconds under load), far below the client's own 60 s x 4 retries.
    expect(run.ms).toBeLessThan(45_000);
    expect(await datasets()).toEqual([]);
  });

  test('the budget can come from the environment', async () => {
    const run = await cli(common(), { BIGQUERY_EMULATOR_HOST: silentUrl, LANDFORM_READINESS_TIMEOUT: '2', LANDFORM_BQ_REQUEST_TIMEOUT: '1' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('within 2 s');
    const bad = await cli(common(), { LANDFORM_READINESS_TIMEOUT: 'soon' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('LANDFORM_READINESS_TIMEOUT must be a number of seconds > 0');
  });
});

describe('landform load status', () => {
  test('reads only BigQuery: runs without DATABASE_URL', async () => {
    await env.db.client.query(`insert into telemetry_readings values (1, 'dev', '2026-07-01T00:00:00Z', '{}', '2026-07-01T00:00:01Z')`);
    const load = await cli([...common(), '--json']);
    expect(load.code).toBe(0);
    const [landed] = JSON.parse(load.stdout) as { batchId: string }[];
    const status = await cli([...common(), 'status', '--json'], { DATABASE_URL: undefined });
    expect({ code: status.code, stderr: status.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ table_name: 'telemetry_readings', batch_id: landed?.batchId, status: 'succeeded', rows_loaded: 1 })]);
  });
});

describe('no password in any output, whatever the URL form', () => {
  const forms: [string, string, string[]][] = [
    ['userinfo password', 'postgres://loader:Userinfo-Pw1@127.0.0.1:1/fleet', ['Userinfo-Pw1']],
    ['password= parameter', 'postgres://loader@127.0.0.1:1/fleet?password=Query-Pw2', ['Query-Pw2']],
    ['sslpassword parameter', 'postgres://loader:Main-Pw3@127.0.0.1:1/fleet?sslpassword=Ssl-Pw3', ['Main-Pw3', 'Ssl-Pw3']],
    ['unescaped @ before #', 'postgres://loader:Hash@Piece#Tail-Pw4@127.0.0.1:1/fleet', ['Hash@Piece#Tail-Pw4', 'Piece#Tail-Pw4', 'Tail-Pw4', 'Piece']],
    ['unescaped /', 'postgres://loader:Slash/Pw5x@127.0.0.1:1/fleet', ['Slash/Pw5x', 'Slash', 'Pw5x']],
    ['not a URL at all', 'loader:NoUrl-Pw6@nowhere', ['NoUrl-Pw6']],
  ];
  test.each(forms)('%s', async (_form, url, pieces) => {
    const run = await cli(common(), { DATABASE_URL: url });
    expect(run.code).toBe(2);
    for (const piece of pieces) {
      expect(run.stdout).not.toContain(piece);
      expect(run.stderr).not.toContain(piece);
    }
    expect(run.stderr).toMatch(/landform load: [\s\S]*(DATABASE_URL|databaseUrl|Postgres)/);
  });
});
