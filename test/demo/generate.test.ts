import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { DEMO_TABLES, demoData, type DemoRow } from '../../demo/generate/index.js';

const ANCHOR = new Date('2026-03-18T15:00:00.000Z');
const HOUR = 3_600_000;
const PRIMARY_KEYS: Record<string, string[]> = {
  devices: ['device_id'], telemetry_readings: ['reading_id'], query_logs: ['query_id'], ingestion_runs: ['run_id'], eval_runs: ['eval_run_id'],
  marketplace_events: ['event_id'], ad_events: ['ad_event_id'], news_events: ['event_id'], entity_mentions: ['mention_id'],
  economic_indicators: ['series_id', 'observation_date'], un_comtrade: ['record_id'], world_bank: ['indicator_id', 'country_code', 'date'],
};
const CURSORS: Record<string, string> = {
  devices: 'updated_at', telemetry_readings: 'ingested_at', query_logs: 'created_at', ingestion_runs: 'updated_at', eval_runs: 'updated_at',
  marketplace_events: 'ingested_at', ad_events: 'ingested_at', news_events: 'updated_at', entity_mentions: 'ingested_at',
};

function rowsOf(table: string, from: Date | null, to: Date, seed = 7, nextReadingId = 1): DemoRow[] {
  return [...demoData({ seed, size: 'small', scale: 1, anchor: ANCHOR }).rows(table, { from, to }, { nextReadingId })];
}

function key(table: string, row: DemoRow): string {
  return (PRIMARY_KEYS[table] ?? []).map((k) => String(row[k])).join('|');
}

function ms(value: unknown): number {
  return (value as Date).getTime();
}

const seeded = Object.fromEntries(DEMO_TABLES.map((t) => [t, rowsOf(t, null, ANCHOR)])) as Record<string, DemoRow[]>;
const rows = (table: string): DemoRow[] => seeded[table] ?? [];

describe('demo data generator', () => {
  test('the same seed gives the same rows; another seed gives other rows', () => {
    for (const table of DEMO_TABLES) {
      expect(JSON.stringify(rowsOf(table, null, ANCHOR))).toBe(JSON.stringify(rows(table)));
    }
    expect(JSON.stringify(rowsOf('marketplace_events', null, ANCHOR, 8))).not.toBe(JSON.stringify(rows('marketplace_events')));
  });

  test('every table has rows, unique primary keys, and nothing arrives after the anchor', () => {
    for (const table of DEMO_TABLES) {
      const list = rows(table);
      expect(list.length).toBeGreaterThan(0);
      expect(new Set(list.map((r) => key(table, r))).size).toBe(list.length);
      const cursor = CURSORS[table];
      if (cursor !== undefined) for (const r of list) expect(ms(r[cursor])).toBeLessThanOrEqual(ANCHOR.getTime());
    }
  });

  test('consecutive windows of arriving rows neither repeat nor lose a row (what the incremental load relies on)', () => {
    const t1 = new Date(ANCHOR.getTime() + 2 * HOUR);
    const t2 = new Date(ANCHOR.getTime() + 5 * HOUR);
    for (const table of ['telemetry_readings', 'query_logs', 'marketplace_events', 'ad_events', 'entity_mentions']) {
      const pieces = [...rows(table), ...rowsOf(table, ANCHOR, t1), ...rowsOf(table, t1, t2)];
      const whole = rowsOf(table, null, t2);
      // Telemetry ids are assigned on arrival, so compare readings by device and time there.
      const id = (r: DemoRow): string => (table === 'telemetry_readings' ? `${String(r.device_id)}@${ms(r.ts)}@${ms(r.ingested_at)}` : key(table, r));
      expect(pieces.map(id).sort()).toEqual(whole.map(id).sort());
    }
  });

  test('updates in a later window move state rows forward: runs finish, scores are revised, devices change', () => {
    const t1 = new Date(ANCHOR.getTime() + 6 * HOUR);
    for (const table of ['devices', 'ingestion_runs', 'news_events']) {
      const before = new Map(rows(table).map((r) => [key(table, r), r]));
      const changed = rowsOf(table, ANCHOR, t1);
      expect(changed.length).toBeGreaterThan(0);
      const cursor = CURSORS[table] as string;
      for (const r of changed) {
        expect(ms(r[cursor])).toBeGreaterThan(ANCHOR.getTime());
        const old = before.get(key(table, r));
        if (old !== undefined) expect(ms(r[cursor])).toBeGreaterThan(ms(old[cursor]));
      }
      expect({ table, updatesExisting: changed.some((r) => before.has(key(table, r))) }).toEqual({ table, updatesExisting: true });
    }
  });

  test('marketplace: every payment follows its order with the same amount; payouts are the previous day\'s card payments net of 8%', () => {
    const events = rows('marketplace_events');
    const created = new Map(events.filter((e) => e.event_type === 'order_created').map((e) => [e.order_id, e]));
    const payments = events.filter((e) => e.event_type === 'order_paid' || e.event_type === 'cash_collected');
    expect(payments.length).toBeGreaterThan(created.size / 2);
    for (const p of payments) {
      const order = created.get(p.order_id);
      expect(order).toBeDefined();
      expect(p.amount_cents).toBe(order?.amount_cents);
      expect(p.vendor_store_id).toBe(order?.vendor_store_id);
      expect(ms(p.occurred_at)).toBeGreaterThan(ms(order?.occurred_at));
    }
    const payouts = events.filter((e) => e.event_type === 'payout_completed');
    expect(payouts.length).toBeGreaterThan(0);
    for (const payout of payouts) {
      expect(payout.order_id).toBeNull();
      const day = new Date(ms(payout.occurred_at)).toISOString().slice(0, 10);
      const previous = new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);
      const gross = events
        .filter((e) => e.event_type === 'order_paid' && e.vendor_store_id === payout.vendor_store_id)
        .filter((e) => new Date(ms(created.get(e.order_id)?.occurred_at)).toISOString().slice(0, 10) === previous)
        .reduce((s, e) => s + Number(e.amount_cents), 0);
      expect(payout.amount_cents).toBe(Math.round(gross * 0.92));
    }
  });

  test('telemetry has noise within the contract, a few out-of-range values, unknown metric keys and late arrivals', () => {
    const contract = parse(readFileSync(path.resolve('contracts/telemetry/v1.yaml'), 'utf8')) as { metrics: Record<string, { min: number; max: number }> };
    const readings = rows('telemetry_readings');
    let outOfRange = 0;
    let unknown = 0;
    let late = 0;
    for (const r of readings) {
      const metrics = r.metrics as Record<string, number>;
      const keys = Object.keys(metrics);
      if (keys.some((k) => contract.metrics[k] !== undefined && (metrics[k] as number < contract.metrics[k]!.min || metrics[k] as number > contract.metrics[k]!.max))) outOfRange += 1;
      if (keys.some((k) => contract.metrics[k] === undefined)) unknown += 1;
      if (ms(r.ingested_at) - ms(r.ts) > HOUR) late += 1;
      expect(ms(r.ingested_at)).toBeGreaterThan(ms(r.ts));
    }
    expect(outOfRange / readings.length).toBeGreaterThan(0.001);
    expect(outOfRange / readings.length).toBeLessThan(0.02);
    expect(unknown).toBeGreaterThan(0);
    expect(late / readings.length).toBeGreaterThan(0.005);
    expect(late / readings.length).toBeLessThan(0.05);
    // Reading ids are the arrival sequence the caller starts.
    expect(rowsOf('telemetry_readings', ANCHOR, new Date(ANCHOR.getTime() + HOUR), 7, 5000)[0]?.reading_id).toBe(5000);
  });

  test('knowledge platform and news rows are internally consistent', () => {
    for (const q of rows('query_logs')) {
      if (q.status === 'error') expect(q.result_count).toBe(0);
      expect(Number(q.latency_ms)).toBeGreaterThan(0);
    }
    expect(rows('query_logs').some((q) => q.status === 'error')).toBe(true);
    for (const run of rows('ingestion_runs')) {
      expect(run.status === 'running').toBe(run.finished_at === null);
      expect(Number(run.docs_failed)).toBeLessThanOrEqual(Number(run.docs_processed));
    }
    expect(new Set(rows('ingestion_runs').map((r) => r.status))).toEqual(new Set(['succeeded', 'failed', 'running']));
    for (const e of rows('eval_runs')) expect(Number(e.cases_passed)).toBeLessThanOrEqual(Number(e.cases_total));
    const severity = (s: number): string => (s >= 85 ? 'critical' : s >= 65 ? 'high' : s >= 40 ? 'medium' : 'low');
    for (const n of rows('news_events')) {
      expect(n.severity).toBe(severity(Number(n.risk_score)));
      expect(Number(n.risk_score)).toBeGreaterThanOrEqual(0);
      expect(Number(n.risk_score)).toBeLessThanOrEqual(100);
    }
    const events = new Set(rows('news_events').map((n) => n.event_id));
    const mentions = rows('entity_mentions');
    expect(mentions.filter((m) => events.has(m.event_id)).length / mentions.length).toBeGreaterThan(0.9);
  });

  test('trending entities are mentioned more in the last day than on the first day', () => {
    const mentions = rows('entity_mentions');
    const first = ANCHOR.getTime() - 3 * 24 * HOUR;
    const counts = new Map<string, [number, number]>();
    for (const m of mentions) {
      const c = counts.get(String(m.entity_id)) ?? [0, 0];
      if (ms(m.mentioned_at) < first + 24 * HOUR) c[0] += 1;
      if (ms(m.mentioned_at) > ANCHOR.getTime() - 24 * HOUR) c[1] += 1;
      counts.set(String(m.entity_id), c);
    }
    // Entities 3, 8, 13... trend (growth ~1/day): at least one grows at least threefold.
    expect([...counts.values()].some(([early, late]) => late >= 3 * Math.max(1, early))).toBe(true);
  });
});
