import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { canonicalHash, loadContracts, type ContractSet } from '../../contracts/schema/index.js';
import { copyContracts, FIXTURES } from './temp-contracts.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach into arbitrary YAML
type Doc = Record<string, any>;

const hashesOf = (set: ContractSet) => new Map([['telemetry', set.telemetry.hash], ...set.tables.map((t): [string, string] => [t.contract.name, t.hash])]);

describe('canonicalHash', () => {
  test('ignores object key order but not array order', () => {
    expect(canonicalHash({ a: 1, b: [1, 2], c: { d: 'x', e: null } })).toBe(canonicalHash({ c: { e: null, d: 'x' }, b: [1, 2], a: 1 }));
    expect(canonicalHash({ b: [1, 2] })).not.toBe(canonicalHash({ b: [2, 1] }));
  });

  test('drops undefined members and treats -0 as 0', () => {
    expect(canonicalHash({ a: 1, b: undefined })).toBe(canonicalHash({ a: 1 }));
    expect(canonicalHash({ a: -0 })).toBe(canonicalHash({ a: 0 }));
  });

  test('is the sha256 of the sorted compact JSON', () => {
    // sha256('{"a":1,"b":"x"}'), computed with `printf '%s' '{"a":1,"b":"x"}' | sha256sum`.
    expect(canonicalHash({ b: 'x', a: 1 })).toBe('ecf9e98ec0641e23113ff3ce8bdc78d0ddd249886517fd4a7f68cc83d4e65667');
  });
});

describe('contract hashes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let original: Map<string, string>;
  beforeEach(async () => {
    ({ dir, cleanup } = await copyContracts());
    original = hashesOf(await loadContracts(dir));
  });
  afterEach(async () => cleanup());

  test('a hand-reformatted table contract keeps its hash', async () => {
    await copyFile(path.join(FIXTURES, 'reformatted/devices.yaml'), path.join(dir, 'tables/devices.yaml'));
    expect(hashesOf(await loadContracts(dir))).toEqual(original);
  });

  test('a hand-reformatted metrics contract keeps every hash', async () => {
    await copyFile(path.join(FIXTURES, 'reformatted/v1.yaml'), path.join(dir, 'telemetry/v1.yaml'));
    expect(hashesOf(await loadContracts(dir))).toEqual(original);
  });

  test('the hashes do not depend on where the contracts live', async () => {
    expect(hashesOf(await loadContracts())).toEqual(original);
  });

  // Each edit is semantic: exactly the named contracts must change hash.
  const EDITS: Array<[label: string, file: string, edit: (doc: Doc) => void, changed: string[]]> = [
    ['a column description', 'tables/devices.yaml', (d) => (d.columns[2].description = 'Device model.'), ['devices']],
    ['cluster order', 'tables/eval_runs.yaml', (d) => d.cluster_by.reverse(), ['eval_runs']],
    ['a column mode', 'tables/devices.yaml', (d) => (d.columns[4].mode = 'REQUIRED'), ['devices']],
    ['a privacy policy', 'tables/query_logs.yaml', (d) => (d.columns[1].privacy = 'mask_except_last_4'), ['query_logs']],
    ['the lookback', 'tables/ad_events.yaml', (d) => (d.load.lookback = '30m'), ['ad_events']],
    ['partition expiration', 'tables/ad_events.yaml', (d) => delete d.partition.expiration_days, ['ad_events']],
    ['a metric range', 'telemetry/v1.yaml', (d) => (d.metrics.battery_v.max = 32), ['telemetry', 'telemetry_readings']],
    ['a new metric', 'telemetry/v1.yaml', (d) => (d.metrics.exhaust_temp_c = { type: 'FLOAT64', unit: 'degC', min: 0, max: 900, description: 'Exhaust temperature.' }), ['telemetry', 'telemetry_readings']],
  ];

  test.each(EDITS)('changing %s changes the hash', async (_label, file, edit, changed) => {
    const target = path.join(dir, file);
    const doc = parse(await readFile(target, 'utf8')) as Doc;
    edit(doc);
    await writeFile(target, stringify(doc));
    const after = hashesOf(await loadContracts(dir));
    const differing = [...after].filter(([name, hash]) => original.get(name) !== hash).map(([name]) => name);
    expect(differing.sort()).toEqual(changed.sort());
  });
});
