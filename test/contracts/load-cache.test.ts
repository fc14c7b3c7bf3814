/**
 * Contracts parsed once per process: loading an unchanged directory again gives the same set
 * (a copy of it), and any change of a file's text or of the table files listed is seen by the
 * next load, with the same errors (file, field, rule) a first load gives.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadContracts, validateContracts } from '../../contracts/schema/index.js';
import { copyContracts } from './temp-contracts.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await copyContracts());
});
afterEach(async () => cleanup());

const table = (name: string) => path.join(dir, 'tables', `${name}.yaml`);
const hashOf = async (name: string) => (await loadContracts(dir)).tables.find((t) => t.contract.name === name)?.hash;

describe('loading the same contracts again', () => {
  test('gives an equal set, as a copy: changing one result does not change the next', async () => {
    const first = await loadContracts(dir);
    const second = await loadContracts(dir);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    second.tables[0]!.contract.description = 'changed by a caller';
    expect((await loadContracts(dir)).tables[0]!.contract.description).toBe(first.tables[0]!.contract.description);
  });

  test("an edited table contract is read again: its hash moves and a broken one names file, field and rule", async () => {
    const before = await hashOf('ad_events');
    const text = await readFile(table('ad_events'), 'utf8');
    await writeFile(table('ad_events'), text.replace('description: One row per ad impression', 'description: Exactly one row per ad impression'));
    const after = await hashOf('ad_events');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    await writeFile(table('ad_events'), text.replace('mode: append', 'mode: sometimes'));
    const broken = await validateContracts(dir);
    expect(broken.ok).toBe(false);
    const message = broken.ok ? '' : broken.errors.map((e) => e.message).join('\n');
    expect(message).toContain('contracts/tables/ad_events.yaml');
    expect(message).toContain('load.mode');

    await writeFile(table('ad_events'), text);
    expect(await hashOf('ad_events')).toBe(before);
  });

  test('an edited metrics contract moves the hash of the table that names it', async () => {
    const before = await hashOf('telemetry_readings');
    const file = path.join(dir, 'telemetry', 'v1.yaml');
    await writeFile(file, `${await readFile(file, 'utf8')}\n# a comment changes the text, not the contract\n`);
    expect(await hashOf('telemetry_readings')).toBe(before);
    const text = await readFile(file, 'utf8');
    const edited = text.replace(/description: ([^\n]+)/, 'description: $1 (edited)');
    expect(edited).not.toBe(text);
    await writeFile(file, edited);
    expect(await hashOf('telemetry_readings')).not.toBe(before);
  });

  test('a table file added or removed is listed by the next load', async () => {
    const names = async () => (await loadContracts(dir)).tables.map((t) => t.contract.name);
    expect(await names()).toContain('world_bank');
    await rm(table('world_bank'));
    expect(await names()).not.toContain('world_bank');
    const copy = (await readFile(table('devices'), 'utf8')).replace('name: devices', 'name: devices_copy').replace(/table: devices\b/, 'table: devices_copy');
    await writeFile(table('devices_copy'), copy);
    expect(await names()).toContain('devices_copy');
  });
});
