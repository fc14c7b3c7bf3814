/**
 * Every curated model's `<model>.test.yaml`, run by the runner `landform test` uses: the real
 * Dataform CLI on a scratch embedded BigQuery. Also checks that each incremental model's cases
 * hold what the issue asks of them, read from the hand-written files: a row the incremental run
 * must skip (outside the checkpoint window, so only the full refresh has it) and a key delivered twice.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { findTestFiles, loadTestFile, runModelTests, type CaseResult, type ModelTestCase } from '../../dataform-testing/index.js';
import { REPO_ROOT } from './load-includes.js';

async function curatedModels(): Promise<string[]> {
  const files = await readdir(path.join(REPO_ROOT, 'definitions/curated'), { recursive: true });
  return files.filter((f) => f.endsWith('.sqlx')).map((f) => path.basename(f, '.sqlx')).sort();
}

async function allCases(): Promise<ModelTestCase[]> {
  const files = await findTestFiles(REPO_ROOT);
  return (await Promise.all(files.map((f) => loadTestFile(path.join(REPO_ROOT, f), f)))).flat();
}

const keyOf = (row: Record<string, unknown>, key: string[]) => JSON.stringify(key.map((k) => row[k]));

describe('incremental model tests of the curated layer', () => {
  let results: CaseResult[] = [];
  let seconds = 0;

  beforeAll(async () => {
    const run = await runModelTests({ projectDir: REPO_ROOT });
    results = run.results;
    seconds = run.seconds;
  }, 600_000);

  test('every curated model has a test file next to it', async () => {
    const tested = [...new Set((await allCases()).map((c) => c.model))].sort();
    expect(tested).toEqual(await curatedModels());
  });

  test('every case passes, on its incremental path and on a full refresh', async () => {
    const failures = results.filter((r) => !r.passed).map((r) => ({ name: r.name, messages: r.messages }));
    expect(failures).toEqual([]);
    const expectedPhases = (await allCases()).flatMap((c) => Object.keys(c.expect).map((phase) => `${c.model}/${c.name}/${phase}`)).sort();
    expect(results.map((r) => `${r.model}/${r.caseName}/${r.phase}`).sort()).toEqual(expectedPhases);
    process.stdout.write(`incremental model tests: ${results.length} results in ${seconds.toFixed(1)}s\n`);
  });

  test('each incremental case has a row only a full refresh reads and a key delivered twice', async () => {
    const incremental = (await allCases()).filter((c) => c.expect.incremental !== undefined);
    expect(incremental.length).toBeGreaterThanOrEqual(9);
    for (const c of incremental) {
      // The key columns are the first column of each expected row in these files (the model's grain).
      const key = [c.expect.incremental?.columns[0] ?? ''];
      const incrementalKeys = new Set(c.expect.incremental?.rows.map((r) => keyOf(r, key)));
      const onlyFullRefresh = (c.expect.full_refresh?.rows ?? []).filter((r) => !incrementalKeys.has(keyOf(r, key)));
      const inputRows = [...c.inputs.values()].flat();
      const twice = inputRows.filter((r, i) => inputRows.some((o, j) => j !== i && JSON.stringify({ ...o, _batch_id: 0, _extracted_at: 0 }) === JSON.stringify({ ...r, _batch_id: 0, _extracted_at: 0 })));
      expect({ model: c.model, onlyFullRefresh: onlyFullRefresh.length > 0, duplicateDelivery: twice.length >= 2 }).toEqual({ model: c.model, onlyFullRefresh: true, duplicateDelivery: true });
    }
  });
});
