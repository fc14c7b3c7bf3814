import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createLogger } from '../../common/logger.js';
import { demoData } from '../../demo/generate/index.js';
import { statePaths } from '../../demo/paths.js';
import { openDemoSource, simulateActivity } from '../../demo/source.js';
import { readDemoState } from '../../demo/state.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';

const logger = createLogger('test', 'silent');
const NOW = new Date('2026-05-04T12:34:56.000Z');
let pg: TestPostgres;
let home = '';

beforeAll(async () => {
  pg = await startTestPostgres();
  home = await mkdtemp(path.join(tmpdir(), 'landform-source-'));
  await chmod(home, 0o755);
});

afterAll(async () => {
  await pg?.stop();
  if (home !== '') await rm(home, { recursive: true, force: true });
});

async function count(table: string): Promise<number> {
  return Number((await pg.client.query(`select count(*) as n from ${table}`)).rows[0].n);
}

describe('demo source on an external DATABASE_URL', () => {
  test('is never written unless asked', async () => {
    const paths = statePaths(path.join(home, 'a'));
    const source = await openDemoSource({ paths, env: { DATABASE_URL: pg.url }, logger, now: NOW });
    await source.stop();
    expect(source.kind).toBe('external');
    expect(source.seeded).toBeNull();
    expect(source.describe).not.toContain('landform-test'); // the password never appears
    const tables = await pg.client.query("select count(*) as n from information_schema.tables where table_schema = 'public' and table_name = 'telemetry_readings'");
    expect(Number(tables.rows[0].n)).toBe(0);
  });

  test('seeding creates the contract tables and writes exactly the generated rows; simulate appends the next window', async () => {
    const paths = statePaths(path.join(home, 'b'));
    const source = await openDemoSource({ paths, env: { DATABASE_URL: pg.url }, logger, size: 'tiny', seed: 99, seedExternal: true, now: NOW });
    try {
      const state = await readDemoState(paths.demoState);
      expect(state).toMatchObject({ seed: 99, size: 'tiny', scale: 1, anchor: '2026-05-04T09:34:00.000Z', clock: '2026-05-04T09:34:00.000Z' });
      // Expected counts come from the generator on its own, not from what was written.
      const data = demoData({ seed: 99, size: 'tiny', scale: 1, anchor: new Date('2026-05-04T09:34:00.000Z') });
      for (const table of ['telemetry_readings', 'marketplace_events', 'news_events', 'economic_indicators']) {
        const expected = [...data.rows(table, { from: null, to: new Date('2026-05-04T09:34:00.000Z') })].length;
        expect({ table, rows: await count(table) }).toEqual({ table, rows: expected });
        expect(source.seeded?.[table]).toBe(expected);
      }
      const notNull = await pg.client.query("select is_nullable from information_schema.columns where table_name = 'devices' and column_name = 'owner_email'");
      expect(notNull.rows[0].is_nullable).toBe('YES');

      const before = await count('telemetry_readings');
      const sim = await simulateActivity(source, paths, 60, NOW);
      expect(sim).toMatchObject({ from: '2026-05-04T09:34:00.000Z', to: '2026-05-04T10:34:00.000Z' });
      const window = { from: new Date('2026-05-04T09:34:00.000Z'), to: new Date('2026-05-04T10:34:00.000Z') };
      expect(sim.changes.telemetry_readings?.inserted).toBe([...data.rows('telemetry_readings', window)].length);
      expect(await count('telemetry_readings')).toBe(before + (sim.changes.telemetry_readings?.inserted ?? 0));
      const ids = await pg.client.query('select count(distinct reading_id) as n, max(reading_id) as max from telemetry_readings');
      expect(Number(ids.rows[0].n)).toBe(Number(ids.rows[0].max));
      expect((await readDemoState(paths.demoState))?.simulations).toBe(1);

      // The simulated clock never passes the wall clock (minus a safety margin).
      await simulateActivity(source, paths, 10_000, NOW);
      await expect(simulateActivity(source, paths, 10, NOW)).rejects.toThrow(/caught up with real time/);
    } finally {
      await source.stop();
    }
  });
});
