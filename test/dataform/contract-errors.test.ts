import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { validateContracts } from '../../contracts/schema/index.js';
import { REPO_ROOT } from './load-includes.js';

// A broken contract must stop `dataform compile` with one error naming file, path and rule, the
// same first problem `landform contracts validate` reports (one shared rule set), and nothing else.
let root: string;
const original = new Map<string, string>();

async function compile(): Promise<{ code: number; errors: string[] }> {
  const cli = path.join(REPO_ROOT, 'node_modules/.bin/dataform');
  const result = await promisify(execFile)(cli, ['compile', root, '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 })
    .then(({ stdout }) => ({ code: 0, stdout }), (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));
  const graph = JSON.parse(result.stdout) as { graphErrors?: { compilationErrors?: Array<{ fileName: string; message: string }> } };
  return { code: result.code, errors: (graph.graphErrors?.compilationErrors ?? []).map((e) => `${e.fileName}: ${e.message}`) };
}

async function edit(relative: string, change: (text: string) => string): Promise<void> {
  const file = path.join(root, relative);
  const text = original.get(relative) ?? await readFile(file, 'utf8');
  original.set(relative, text);
  const changed = change(text);
  expect(changed).not.toBe(text);
  await writeFile(file, changed);
}

async function restore(): Promise<void> {
  for (const [relative, text] of original) await writeFile(path.join(root, relative), text);
  original.clear();
}

async function firstValidateError(): Promise<string> {
  const result = await validateContracts(path.join(root, 'contracts'));
  return result.ok ? 'valid' : (result.errors[0]?.message ?? '');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'landform-contract-errors-'));
  for (const entry of ['definitions', 'includes', 'contracts', 'workflow_settings.yaml', 'package.json']) {
    await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  await cp(path.join(REPO_ROOT, 'node_modules/@dataform/core'), path.join(root, 'node_modules/@dataform/core'), { recursive: true });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('dataform compile on a broken contract', () => {
  test.each([
    ['a misspelled type', 'contracts/tables/devices.yaml', (t: string) => t.replace(/type: STRING/, 'type: STRNG'), 'contracts/tables/devices.yaml: columns[0].type: unknown BigQuery type "STRNG"'],
    ['a cluster column that does not exist', 'contracts/tables/query_logs.yaml', (t: string) => t.replace(/cluster_by: \[/, 'cluster_by: [nosuchcol, '), 'contracts/tables/query_logs.yaml: cluster_by[0]: cluster column nosuchcol is not a column of the table'],
    ['a metric range upside down', 'contracts/telemetry/v1.yaml', (t: string) => t.replace(/(battery_v:\n(?: {4}.*\n)*? {4}min: )\S+/, '$1999'), 'contracts/telemetry/v1.yaml: metrics.battery_v.min: min 999 is greater than max'],
  ])('%s fails with one error, the one `contracts validate` reports first', async (_what, file, change, expected) => {
    await edit(file, change);
    try {
      const { code, errors } = await compile();
      expect(code).not.toBe(0);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`definitions/contracts_valid.js: invalid data contract: ${expected}`);
      expect(errors[0]).not.toMatch(/\n/);
      expect(errors[0]).toContain(await firstValidateError());
    } finally {
      await restore();
    }
  });

  test('a contract that is not YAML at all is one error too, not one per model', async () => {
    await edit('contracts/tables/devices.yaml', (t) => `${t}extra: [unclosed\n`);
    try {
      const { code, errors } = await compile();
      expect(code).not.toBe(0);
      expect(errors).toEqual([expect.stringMatching(/^definitions\/contracts_valid\.js: invalid data contract: contracts\/tables\/devices\.yaml: \(root\): invalid YAML: /)]);
    } finally {
      await restore();
    }
  });
});
