/**
 * The embedded BigQuery stands alone: its packed tarball installs into an empty project, which can
 * start it (the package's own CLI, and an in-process import) and answer a query from the real
 * @google-cloud/bigquery client. Anything the package imported from the rest of Landform would be
 * missing there.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigQueryClientFor } from '../../support/embedded-bigquery.js';
import { packAndInstall, readyUrl as startReady, stopChild } from '../../support/packed-package.js';

const PACKAGE_DIR = fileURLToPath(new URL('../../../packages/embedded-bigquery', import.meta.url));

let work: string;
let project: string;

beforeAll(async () => {
  // The registry is reachable, but the npm cache already holds @duckdb/node-api from `npm ci`.
  ({ work, project } = await packAndInstall(PACKAGE_DIR, 'landform-bq-package-'));
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('@landform/embedded-bigquery from its tarball', () => {
  test('the tarball holds the built package and its README, no sources or tests, and depends on DuckDB, QuickJS (the JavaScript UDF sandbox) and tldts (the public suffix list) only', async () => {
    const installed = join(project, 'node_modules/@landform/embedded-bigquery');
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@duckdb/node-api', '@jitl/quickjs-wasmfile-release-sync', 'quickjs-emscripten-core', 'tldts']);
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
      // the sandbox's WebAssembly loads from the installed package
      const [js] = await client.query(`CREATE TEMP FUNCTION twice(x FLOAT64) RETURNS FLOAT64 LANGUAGE js AS "return 2 * x"; SELECT twice(21) AS v`);
      expect(js).toEqual([{ v: 42 }]);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  }, 120_000);
});
