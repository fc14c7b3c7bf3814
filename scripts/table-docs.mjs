#!/usr/bin/env node
// Regenerates docs/tables.md from the compiled Dataform graph: `node scripts/table-docs.mjs`
// (`--check` exits 1 instead of writing when the file is out of date).
/* global process, URL */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { register } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { renderTableDocs } = await import('../demo/table-docs.ts');
const { stdout } = await promisify(execFile)(`${root}node_modules/.bin/dataform`, ['compile', root, '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
const text = renderTableDocs(JSON.parse(stdout).tables);
const file = `${root}docs/tables.md`;
if (process.argv.includes('--check')) {
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current !== text) {
    process.stderr.write('docs/tables.md is out of date: run node scripts/table-docs.mjs\n');
    process.exit(1);
  }
} else {
  await writeFile(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
