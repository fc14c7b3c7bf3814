import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { bigQueryJsonSchema, BIGQUERY_SCHEMAS_DIR, schemaFiles } from '../../contracts/schema/bigquery-json.js';
import { loadContracts } from '../../contracts/schema/index.js';
import { rawTableOptions } from '../../loader/publish/raw-schema.js';
import { copyContracts, REPO_ROOT } from './temp-contracts.js';

const CHECKED_IN = path.join(REPO_ROOT, 'contracts', BIGQUERY_SCHEMAS_DIR);

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['bin/landform.js', 'contracts', 'schema', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** JSON drops undefined descriptions; compare the loader's fields the way they would be written. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('BigQuery JSON schema files', () => {
  test('each checked-in file is the raw table schema the loader creates for its contract', async () => {
    const set = await loadContracts();
    const files = (await readdir(CHECKED_IN)).filter((n) => n.endsWith('.schema.json')).sort();
    expect(files).toEqual(set.tables.map((t) => `${t.contract.name}.schema.json`).sort());
    for (const { contract } of set.tables) {
      const written: unknown = JSON.parse(await readFile(path.join(CHECKED_IN, `${contract.name}.schema.json`), 'utf8'));
      expect(written).toEqual(asJson(rawTableOptions(contract).schema.fields));
    }
  });

  test('a dropped column never appears; the metadata columns close every file', async () => {
    const set = await loadContracts();
    const queryLogs = set.tables.find((t) => t.contract.name === 'query_logs');
    expect(queryLogs).toBeDefined();
    const names = bigQueryJsonSchema(queryLogs!.contract).map((f) => f.name);
    expect(names).not.toContain('query_text');
    expect(names).toContain('user_id');
    for (const { contract } of set.tables) {
      // Tables whose hard deletes are scanned also carry the tombstone column, last.
      const tombstone = contract.deletes ? [['_deleted_at', 'TIMESTAMP', 'NULLABLE']] : [];
      expect(bigQueryJsonSchema(contract).slice(-3 - tombstone.length).map((f) => [f.name, f.type, f.mode])).toEqual([
        ['_batch_id', 'STRING', 'REQUIRED'],
        ['_extracted_at', 'TIMESTAMP', 'REQUIRED'],
        ['_contract_hash', 'STRING', 'REQUIRED'],
        ...tombstone,
      ]);
    }
  });

  test('the checked-in files are in step with the contracts (regenerate with `landform contracts schema`)', async () => {
    const set = await loadContracts();
    for (const [name, text] of schemaFiles(set.tables.map((t) => t.contract))) {
      expect({ name, text: await readFile(path.join(CHECKED_IN, name), 'utf8') }).toEqual({ name, text });
    }
    const { code, stdout } = await run('--check');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: \d+ schema files in contracts\/bigquery-schemas\/v1 match the contracts\n$/);
  });

  test('--check exits 1 naming the file when a contract changes without its schema file; writing brings it back in step', async () => {
    const { dir, cleanup } = await copyContracts();
    try {
      const contractFile = path.join(dir, 'tables/economic_indicators.yaml');
      const yaml = await readFile(contractFile, 'utf8');
      await writeFile(contractFile, yaml.replace('description: Units of the value.', 'description: Units the value is measured in.'));
      const out = path.join(dir, BIGQUERY_SCHEMAS_DIR);
      await writeFile(path.join(out, 'retired_table.schema.json'), '[]\n');

      const drifted = await run('--check', '--dir', dir);
      expect(drifted.code).toBe(1);
      expect(drifted.stderr).toContain('differs from its contract: economic_indicators.schema.json\n');
      expect(drifted.stderr).toContain('no contract: retired_table.schema.json\n');
      expect(drifted.stderr).not.toContain('news_events');

      const written = await run('--format', 'bigquery-json', '--dir', dir);
      expect(written.code).toBe(0);
      const fields = JSON.parse(await readFile(path.join(out, 'economic_indicators.schema.json'), 'utf8')) as Array<{ name: string; description: string }>;
      expect(fields.find((f) => f.name === 'units')?.description).toBe('Units the value is measured in.');
      expect((await readdir(out)).includes('retired_table.schema.json')).toBe(false);
      expect((await run('--check', '--dir', dir)).code).toBe(0);
    } finally {
      await cleanup();
    }
  });

  test('an unknown --format is a usage error (exit 2)', async () => {
    const { code, stderr } = await run('--format', 'avro');
    expect(code).toBe(2);
    expect(stderr).toBe('landform contracts schema: unknown --format "avro" (supported: bigquery-json)\n');
  });
});
