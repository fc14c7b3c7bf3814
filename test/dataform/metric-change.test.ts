import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadContracts, type ContractSet } from '../../contracts/schema/index.js';
import { compileProject, type CompiledGraph } from './compile-graph.js';
import { REPO_ROOT } from './load-includes.js';

// Editing contracts/telemetry/v1.yaml alone (a new metric, a new range) must change the compiled
// columns, the checks and the contract hashes, in a copy of the project with no other edit.
const NEW_METRIC = `  exhaust_temp_c:
    type: FLOAT64
    unit: degC
    min: 0
    max: 900
    description: Exhaust gas temperature.
`;

let root: string;
let before: CompiledGraph;
let after: CompiledGraph;
let hashesBefore: ContractSet;
let hashesAfter: ContractSet;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'landform-dataform-'));
  for (const entry of ['definitions', 'includes', 'contracts', 'workflow_settings.yaml', 'package.json']) {
    await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  // The Dataform CLI refuses a symlinked node_modules (its sandbox resolves real paths), so copy core.
  await cp(path.join(REPO_ROOT, 'node_modules/@dataform/core'), path.join(root, 'node_modules/@dataform/core'), { recursive: true });

  [before, hashesBefore] = await Promise.all([compileProject(root), loadContracts(path.join(root, 'contracts'))]);
  const v1 = path.join(root, 'contracts/telemetry/v1.yaml');
  const text = await readFile(v1, 'utf8');
  const widened = text.replace(/(battery_v:\n(?: {4}.*\n)*? {4}max: )30\n/, '$132\n');
  expect(widened).not.toBe(text);
  await writeFile(v1, widened);
  await appendFile(v1, NEW_METRIC);
  [after, hashesAfter] = await Promise.all([compileProject(root), loadContracts(path.join(root, 'contracts'))]);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const query = (graph: CompiledGraph, name: string) => graph.tables.find((t) => t.target.name === name)?.query ?? '';
const assertion = (graph: CompiledGraph, name: string) => graph.assertions.find((a) => a.target.name === name)?.query ?? '';

describe('a metric change in the telemetry contract', () => {
  test('adds the typed column to the curated readings and the daily mean to device health', () => {
    expect(query(before, 'cur_telemetry_readings')).not.toContain('exhaust_temp_c');
    expect(query(after, 'cur_telemetry_readings')).toContain("safe_cast(json_value(metrics, '$.exhaust_temp_c') as float64) as exhaust_temp_c");
    expect(query(after, 'mart_device_health_daily')).toContain('avg(exhaust_temp_c) as avg_exhaust_temp_c');
    expect(query(after, 'mart_out_of_range_readings')).toContain("'exhaust_temp_c' as metric_key");
    const columns = after.tables.find((t) => t.target.name === 'cur_telemetry_readings')?.actionDescriptor?.columns?.map((c) => c.path[0]);
    expect(columns).toContain('exhaust_temp_c');
  });

  test('moves the range checks', () => {
    expect(assertion(before, 'cur_telemetry_readings_metric_ranges')).toContain('countif(battery_v < 0 or battery_v > 30)');
    expect(assertion(after, 'cur_telemetry_readings_metric_ranges')).toContain('countif(battery_v < 0 or battery_v > 32)');
    expect(assertion(after, 'cur_telemetry_readings_metric_ranges')).toContain('countif(exhaust_temp_c < 0 or exhaust_temp_c > 900)');
  });

  test('changes the telemetry and telemetry_readings hashes and no other', () => {
    expect(hashesAfter.telemetry.hash).not.toBe(hashesBefore.telemetry.hash);
    const changed = hashesAfter.tables.filter((t, i) => t.hash !== hashesBefore.tables[i]?.hash).map((t) => t.contract.name);
    expect(changed).toEqual(['telemetry_readings']);
  });

  test('leaves the rest of the graph alone', () => {
    const unrelated = (g: CompiledGraph) => g.tables.filter((t) => !/telemetry|device_health|out_of_range/.test(t.target.name)).map((t) => [t.target.name, t.query]);
    expect(unrelated(after)).toEqual(unrelated(before));
    expect(after.graphErrors?.compilationErrors ?? []).toEqual([]);
  });
});
