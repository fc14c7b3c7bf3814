/** Cursor logic as pure functions: which window a batch gets, and the SQL and settings it turns into. */
import { describe, expect, test } from '@jest/globals';
import type { TableContract } from '../../../contracts/schema/index.js';
import { planWindow, windowFilter, windowStart } from '../../../loader/source/window.js';

const base: TableContract = {
  name: 'telemetry_readings',
  version: 1,
  domain: 'telemetry',
  description: 'd',
  source: { schema: 'public', table: 'telemetry_readings' },
  load: { mode: 'append', cursor: 'ingested_at', lookback: '15m' },
  primary_key: ['reading_id'],
  partition: { column: 'ts', granularity: 'day' },
  cluster_by: [],
  require_partition_filter: true,
  columns: [],
};
const wm = { cursor: '2026-01-01T10:00:00.000001Z', key: { reading_id: '42' } };
const keyColumns = [{ name: 'reading_id', udt: 'int8' }];

describe('planWindow', () => {
  test('first load: incremental without a watermark', () => {
    expect(planWindow(base, null, { safetyLagSeconds: 5 })).toEqual({ kind: 'incremental', watermark: null, lookbackSeconds: 900, safetyLagSeconds: 5 });
  });
  test('later loads carry the watermark and the lookback in seconds', () => {
    const window = planWindow({ ...base, load: { ...base.load, lookback: '1h' } }, wm, { safetyLagSeconds: 0 });
    expect(window).toEqual({ kind: 'incremental', watermark: wm, lookbackSeconds: 3600, safetyLagSeconds: 0 });
    expect(windowStart(window)).toBe(wm.cursor);
  });
  test('full_refresh ignores watermark and backfill', () => {
    const full = { ...base, load: { mode: 'full_refresh' as const, lookback: '0s' } };
    expect(planWindow(full, wm, { safetyLagSeconds: 0, backfill: { from: 'a', to: 'b' } })).toEqual({ kind: 'full' });
  });
  test('a backfill replaces the incremental window', () => {
    const window = planWindow(base, wm, { safetyLagSeconds: 0, backfill: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' } });
    expect(window).toEqual({ kind: 'backfill', from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' });
    expect(windowStart(window)).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('windowFilter', () => {
  test('first load: only the safety lag bounds the window', () => {
    const filter = windowFilter({ kind: 'incremental', watermark: null, lookbackSeconds: 900, safetyLagSeconds: 30 }, 'ingested_at', keyColumns);
    expect(filter.where).toBe(`t."ingested_at" <= (select now() - current_setting('landform.safety_lag')::interval)`);
    expect(filter.settings).toEqual({ 'landform.safety_lag': '30 seconds' });
    // the heap read in order, for the COPY alone
    expect(filter.scanSettings).toEqual({ enable_bitmapscan: 'off', enable_indexscan: 'off' });
  });

  test('lookback > 0: cursor >= watermark - lookback (values only in settings)', () => {
    const filter = windowFilter({ kind: 'incremental', watermark: wm, lookbackSeconds: 900, safetyLagSeconds: 0 }, 'ingested_at', keyColumns);
    expect(filter.where).toContain(`t."ingested_at" >= (select current_setting('landform.watermark')::timestamptz - current_setting('landform.lookback')::interval)`);
    expect(filter.settings).toEqual({ 'landform.safety_lag': '0 seconds', 'landform.watermark': wm.cursor, 'landform.lookback': '900 seconds' });
    expect(filter.where).not.toContain('2026');
  });

  test('lookback 0: (cursor, key...) > (watermark, key...) with keys cast to their Postgres types', () => {
    const filter = windowFilter(
      { kind: 'incremental', watermark: { cursor: wm.cursor, key: { series_id: 'GDP', n: '7' } }, lookbackSeconds: 0, safetyLagSeconds: 0 },
      'updated_at',
      [
        { name: 'series_id', udt: 'text' },
        { name: 'n', udt: 'int4' },
      ],
    );
    expect(filter.where).toContain(
      `(t."updated_at", t."series_id", t."n") > ((select current_setting('landform.watermark')::timestamptz), (select current_setting('landform.key_0')::text), (select current_setting('landform.key_1')::int4))`,
    );
    expect(filter.settings).toMatchObject({ 'landform.key_0': 'GDP', 'landform.key_1': '7' });
  });

  test('a watermark without a value for a key column is refused', () => {
    expect(() => windowFilter({ kind: 'incremental', watermark: { cursor: wm.cursor, key: {} }, lookbackSeconds: 0, safetyLagSeconds: 0 }, 'ingested_at', keyColumns)).toThrow(
      'watermark key has no value for primary key column reading_id',
    );
  });

  test('names that are no identifiers never reach the SQL', () => {
    expect(() => windowFilter({ kind: 'incremental', watermark: null, lookbackSeconds: 0, safetyLagSeconds: 0 }, 'x"; drop table t; --', keyColumns)).toThrow(/invalid identifier/);
    expect(() => windowFilter({ kind: 'incremental', watermark: wm, lookbackSeconds: 0, safetyLagSeconds: 0 }, 'ingested_at', [{ name: 'reading_id', udt: 'int8; drop' }])).toThrow(/invalid type/);
  });

  test('backfill and full windows', () => {
    expect(windowFilter({ kind: 'backfill', from: 'a', to: 'b' }, 'ingested_at', keyColumns)).toEqual({
      where: `t."ingested_at" >= (select current_setting('landform.from')::timestamptz) and t."ingested_at" <= (select current_setting('landform.to')::timestamptz)`,
      settings: { 'landform.from': 'a', 'landform.to': 'b' },
    });
    expect(windowFilter({ kind: 'full' }, undefined, keyColumns)).toEqual({ where: 'true', settings: {} });
  });
});
