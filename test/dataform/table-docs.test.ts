import { describe, expect, test } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderTableDocs, type GraphTable } from '../../demo/table-docs.js';
import { compileProject } from './compile-graph.js';
import { REPO_ROOT } from './load-includes.js';

async function sqlxNames(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(REPO_ROOT, dir), { recursive: true });
  return entries.filter((e) => e.endsWith('.sqlx') && !e.endsWith('_test.sqlx')).map((e) => path.basename(e, '.sqlx'));
}

describe('docs/tables.md', () => {
  test('is what the compiled graph renders today (run `node scripts/table-docs.mjs` when this fails)', async () => {
    const graph = await compileProject();
    const current = await readFile(path.join(REPO_ROOT, 'docs/tables.md'), 'utf8');
    expect(current).toBe(renderTableDocs(graph.tables as GraphTable[]));
  });

  test('documents every curated and mart model file, each with its grain and a row per column', async () => {
    const text = await readFile(path.join(REPO_ROOT, 'docs/tables.md'), 'utf8');
    const documented = [...text.matchAll(/^### (\S+)$/gm)].map((m) => m[1]).sort();
    const models = [...await sqlxNames('definitions/curated'), ...await sqlxNames('definitions/marts')].sort();
    expect(documented).toEqual(models);
    for (const section of text.split(/^### /m).slice(1)) {
      expect(section).toMatch(/^\*\*Grain:\*\* one row per \S/m);
      expect(section).toMatch(/^\| `\w+` \| \S/m);
    }
  });
});
