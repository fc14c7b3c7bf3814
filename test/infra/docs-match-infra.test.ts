import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTerraform, type TerraformConfig } from './terraform-config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let config: TerraformConfig;
let docs: string;
beforeAll(async () => {
  config = await loadTerraform(path.join(root, 'infra'));
  const files = ['docs/runbook.md', 'docs/costs.md', 'docs/gcp-dataform.md'];
  docs = (await Promise.all(files.map((f) => readFile(path.join(root, f), 'utf8')))).join('\n');
});

const unique = (xs: string[]) => [...new Set(xs)].sort();

describe('the runbook and cost notes refer to what infra/ defines', () => {
  test('every `terraform output` they use exists', () => {
    const used = unique([...docs.matchAll(/terraform(?: -chdir=\S+)? output -raw (\w+)/g)].map((m) => m[1] ?? ''));
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !(name in config.outputs))).toEqual([]);
  });

  test('every variable or output they name in backticks exists', () => {
    // stage_uri is an export_batches column (docs/conventions.md), not a Terraform name; export_batches
    // and extract_runs are lineage tables.
    const columns = new Set(['stage_uri', 'export_batches', 'extract_runs']);
    const named = unique([...docs.matchAll(/`((?:stage|loader|dataform|extract|export|alert)_[a-z0-9_]+|enable_export|enable_extract|schedules_paused|time_zone|vpc_network|vpc_subnetwork|bigquery_location)`/g)].map((m) => m[1] ?? ''));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((name) => !(name in config.variables) && !(name in config.outputs) && !columns.has(name))).toEqual([]);
  });

  test('every Terraform address they target exists', () => {
    const addresses = unique([...docs.matchAll(/'(google_[a-z0-9_]+\.[a-z0-9_]+)'/g)].map((m) => m[1] ?? ''));
    const defined = new Set(config.resources.map((r) => `${r.type}.${r.name}`));
    expect(addresses.length).toBeGreaterThan(3);
    expect(addresses.filter((a) => !defined.has(a))).toEqual([]);
  });
});
