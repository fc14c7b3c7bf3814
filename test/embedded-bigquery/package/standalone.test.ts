/**
 * The embedded BigQuery stands alone: its packed tarball installs into an empty project, which can
 * start it (the package's own CLI, and an in-process import) and answer a query from the real
 * @google-cloud/bigquery client. Anything the package imported from the rest of Landform would be
 * missing there.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bigQueryClientFor } from '../../support/embedded-bigquery.js';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('../../../packages/embedded-bigquery', import.meta.url));
const NPM_ENV = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let work: string;
let project: string;
let tarball: string;

/** Starts a command that prints `ready <url>` on stdout and resolves with the url. */
function startReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^ready (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)} before ready: ${stderr}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'landform-bq-package-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: PACKAGE_DIR, env: NPM_ENV, maxBuffer: 16 * 1024 * 1024 });
  const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed[0]!.filename);
  project = join(work, 'consumer');
  await run('mkdir', ['-p', project]);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The registry is reachable, but the npm cache already holds @duckdb/node-api from `npm ci`.
  await run('npm', ['install', '--prefer-offline', '--no-package-lock', tarball], { cwd: project, env: NPM_ENV, maxBuffer: 16 * 1024 * 1024 });
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('@landform/embedded-bigquery from its tarball', () => {
  test('the tarball holds the built package and its README, no sources or tests, and depends on DuckDB only', async () => {
    const installed = join(project, 'node_modules/@landform/embedded-bigquery');
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(['@duckdb/node-api']);
    const top = (await readdir(installed)).sort();
    expect(top).toEqual(['README.md', 'dist', 'package.json']);
    expect(await readdir(join(installed, 'dist'))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'cli.js']));
  });

  test('its command starts the server in the empty project and answers a query from @google-cloud/bigquery', async () => {
    const child = spawn(process.execPath, ['node_modules/.bin/embedded-bigquery', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await startReady(child);
      const client = bigQueryClientFor(url);
      const [rows] = await client.query({ query: 'SELECT 17 * 3 AS answer, UPPER(@word) AS word', params: { word: 'standalone' } });
      expect(rows).toEqual([{ answer: 51, word: 'STANDALONE' }]);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  }, 120_000);

  test('it starts in-process from an import in the empty project', async () => {
    const script = [
      "import { startEmbeddedBigQuery } from '@landform/embedded-bigquery';",
      "const server = await startEmbeddedBigQuery({ port: 0, dataPath: ':memory:' });",
      'process.stdout.write(`ready ${server.url}\\n`);',
      "process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));",
    ].join('\n');
    await writeFile(join(project, 'start.mjs'), script);
    const child = spawn(process.execPath, ['start.mjs'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await startReady(child);
      const client = bigQueryClientFor(url);
      await client.createDataset('probe');
      await client.query('CREATE TABLE probe.t (id INT64, name STRING)');
      await client.query("INSERT INTO probe.t VALUES (1, 'a'), (2, 'b')");
      const [rows] = await client.query('SELECT COUNT(*) AS n, STRING_AGG(name, \',\' ORDER BY id) AS names FROM probe.t');
      expect(rows).toEqual([{ n: 2, names: 'a,b' }]);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  }, 120_000);
});
