import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { writeReport } from '../../demo/report/html.js';
import type { LineageBatch, RunReport } from '../../demo/report/model.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

function batch(i: number, table: string, status = 'succeeded'): LineageBatch {
  return {
    batchId: `b-${i}`, table, status, startedAt: '2026-11-21T10:00:00.000Z', finishedAt: '2026-11-21T10:00:05.000Z',
    watermarkFrom: i > 2 ? '2026-11-21T09:00:00.000Z' : null, watermarkTo: '2026-11-21T10:00:00.000Z',
    rowsExtracted: 100 + i, rowsLoaded: 90 + i, rowsSkippedDuplicate: 10, rowsQuarantined: i === 1 ? 1 : 0, contractHash: `${i}`.repeat(64),
  };
}

const report: RunReport = {
  generatedAt: '2026-11-21T10:05:00.000Z',
  path: 'incremental',
  source: 'embedded Postgres <script>alert(1)</script>',
  warehouse: 'embedded BigQuery',
  batches: [batch(1, 'devices'), batch(2, 'telemetry_readings'), batch(3, 'query_logs', 'failed'), batch(4, 'ad_events'), batch(5, 'news_events')],
  freshness: [{ table: 'devices', lastSuccessAt: '2026-11-21T10:00:05.000Z', watermarkTo: '2026-11-21T10:00:00.000Z', lagMinutes: 5 }],
  actions: [
    { target: 'landform_curated.cur_devices', kind: 'incremental', status: 'succeeded', jobIds: ['j1'], seconds: 0.4 },
    { target: 'landform_assertions.a_unique', kind: 'assertion', status: 'succeeded', jobIds: [] },
    { target: 'landform_assertions.a_range', kind: 'assertion', status: 'failed', jobIds: [], error: 'row_count 3 > 0' },
  ],
  tests: [{ name: 'mart_vendor_daily_kpis_test', passed: true }],
  charts: [
    { id: 'fleet-health', title: 'Fleet health per day', unit: '% readings in range', kind: 'bar', source: 'landform_marts.mart_device_health_daily',
      points: [{ label: '2026-11-19', value: 97.5 }, { label: '2026-11-20', value: 98.1 }, { label: '2026-11-21', value: 96.2 }] },
    { id: 'risk-trend', title: 'Risk trend', unit: 'mean risk score', kind: 'line', source: 'landform_marts.mart_risk_trend',
      points: [{ label: 'd1', value: 40 }, { label: 'd2', value: 45 }, { label: 'd3', value: 52 }, { label: 'd4', value: 61 }] },
    { id: 'empty', title: 'Empty chart', unit: 'x', kind: 'bar', source: 'landform_marts.mart_nothing', points: [] },
  ],
  ok: false,
  problems: ['1 assertion failed'],
};

(hasChromium ? describe : describe.skip)('run report in headless Chromium', () => {
  let dir = '';
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'landform-report-'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('renders titles, one lineage row per batch, charts with one mark per point, and nothing from the network', async () => {
    const file = await writeReport(path.join(dir, 'report', 'index.html'), report);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);

    await expect(page.title()).resolves.toBe('Landform run report');
    expect(await page.locator('h1').innerText()).toBe('Landform run report');
    expect(await page.locator('#lineage tr.batch').count()).toBe(5);
    expect(await page.locator('#lineage tr.batch').nth(2).innerText()).toContain('failed');
    expect(await page.locator('#lineage tr.batch').first().innerText()).toContain('devices');
    expect(await page.locator('svg[data-chart="fleet-health"] rect.bar').count()).toBe(3);
    expect(await page.locator('svg[data-chart="risk-trend"] circle.point').count()).toBe(4);
    expect(await page.locator('svg[data-chart="fleet-health"]').isVisible()).toBe(true);
    const box = await page.locator('svg[data-chart="fleet-health"] rect.bar').first().boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(10);
    expect(await page.locator('[data-chart-id="empty"] .empty').innerText()).toContain('No data');
    expect(await page.locator('#assertions').innerText()).toContain('1/2 passed');
    expect(await page.locator('#overview').innerText()).toContain('incremental');
    // Source text is escaped, never executed as markup.
    expect(await page.locator('header script').count()).toBe(0);
    expect(await page.locator('header .sub').innerText()).toContain('<script>');
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });
});

// A failed run with everything an architect looks for: two runs of batches, a failed assertion with
// its rows and SQL, quarantine reasons, a graph, and a day still filling up.
const rich: RunReport = {
  ...report,
  ok: false,
  problems: ['dataform assertion landform_assertions.cur_devices_unique_key failed: query returned 2 row(s)'],
  thisRun: { batchIds: ['b-1', 'b-2'], rowsExtracted: 203, rowsLoaded: 183, rowsQuarantined: 1, seconds: 12.5 },
  lastGood: { generatedAt: '2026-11-21T09:05:00.000Z', href: 'last-good.html' },
  batches: [
    batch(1, 'devices'), batch(2, 'telemetry_readings'),
    { ...batch(3, 'devices'), startedAt: '2026-11-21T09:00:00.000Z' }, { ...batch(4, 'a_table_with_a_rather_long_name_for_phones'), startedAt: '2026-11-21T09:00:30.000Z' },
  ],
  freshness: [{ table: 'a_table_with_a_rather_long_name_for_phones', lastSuccessAt: '2026-11-21T10:00:05.000Z', watermarkTo: '2026-11-21T10:00:00.000Z', lagMinutes: 5 }],
  actions: [
    { target: 'landform_curated.cur_devices', kind: 'incremental', status: 'succeeded', jobIds: ['j1'], seconds: 0.4 },
    { target: 'landform_marts.mart_ingestion_reliability_daily_by_source', kind: 'table', status: 'succeeded', jobIds: ['j2'], seconds: 0.2 },
    { target: 'landform_assertions.cur_devices_unique_key', kind: 'assertion', status: 'failed', jobIds: [], error: 'query returned 2 row(s)' },
    { target: 'landform_assertions.mart_fleet_rows', kind: 'assertion', status: 'succeeded', jobIds: [] },
  ],
  assertionDetails: [{
    target: 'landform_assertions.cur_devices_unique_key', table: 'landform_curated.cur_devices',
    rows: [{ device_id: 'd-7', copies: '2' }, { device_id: 'd-9', copies: '3' }], sql: 'select device_id, count(*) as copies from cur_devices group by 1 having count(*) > 1',
  }],
  quarantine: [{ table: 'telemetry_readings', reason: 'metrics is not an object', count: 8, thisRun: 1, samples: ['{"device_id":"d-1","metrics":"oops"}'] }],
  graph: [
    { id: 'landform_raw.devices', kind: 'declaration', dependsOn: [], assertions: [] },
    { id: 'landform_curated.cur_devices', kind: 'incremental', dependsOn: ['landform_raw.devices'], assertions: ['landform_assertions.cur_devices_unique_key'] },
    { id: 'landform_marts.mart_ingestion_reliability_daily_by_source', kind: 'table', dependsOn: ['landform_curated.cur_devices'], assertions: ['landform_assertions.mart_fleet_rows'] },
  ],
  charts: [
    { id: 'fleet-health', title: 'Fleet health per day', unit: '% readings in range', kind: 'bar', source: 'landform_marts.mart_device_health_daily',
      window: '2026-11-19 → 2026-11-21 (3 days)', partial: ['2026-11-21'],
      points: [{ label: '2026-11-19', value: 97.5 }, { label: '2026-11-20', value: 98.1 }, { label: '2026-11-21', value: 96.2 }] },
  ],
};

(hasChromium ? describe : describe.skip)('the report as an architect reads it, on a desktop and on a phone', () => {
  let dir = '';
  let browser: Browser;
  let file = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'landform-report-rich-'));
    file = await writeReport(path.join(dir, 'report', 'index.html'), rich);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test.each([1400, 390])('at %i px nothing overflows sideways and every axis label stays inside its chart', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    expect(widths).toEqual({ document: width, body: width });
    // Wide tables scroll inside their own box; every section fits the viewport.
    const sections = await page.locator('section').evaluateAll((els) => els.map((e) => Math.ceil(e.getBoundingClientRect().right)));
    for (const right of sections) expect(right).toBeLessThanOrEqual(width);
    const chart = page.locator('svg[data-chart="fleet-health"]');
    const box = await chart.boundingBox();
    const labels = await chart.locator('text').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right]));
    for (const [left, right] of labels) {
      expect(left).toBeGreaterThanOrEqual((box?.x ?? 0) - 0.5);
      expect(right).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 0.5);
    }
    await page.close();
  });

  test('failures come first, this run and all time are labelled apart, assertions are grouped with their failing rows and SQL', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.locator('main > section').first().getAttribute('id')).toBe('failures');
    expect(await page.locator('#failures').innerText()).toContain('cur_devices_unique_key failed');
    expect(await page.locator('#failures a').getAttribute('href')).toBe('last-good.html');
    const overview = await page.locator('#overview').innerText();
    expect(overview).toMatch(/This run[\s\S]*183[\s\S]*All time/);
    const group = page.locator('.assertion-group').first();
    expect(await group.getAttribute('data-table')).toBe('landform_curated.cur_devices');
    expect(await group.locator('table.failing-rows tbody tr').count()).toBe(2);
    expect(await group.locator('details pre').textContent()).toContain('having count(*) > 1');
    expect(await page.locator('#quarantine tr.quarantine-reason').innerText()).toMatch(/metrics is not an object\s+1\s+8/);
    await page.close();
  });

  test('the value axis starts at 0 with round ticks and a unit; the partial day is marked; the window is named', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const chart = page.locator('svg[data-chart="fleet-health"]');
    const ticks = await chart.locator('text.axis[text-anchor="end"]:not([transform])').allTextContents();
    expect(ticks).toEqual(['0', '20', '40', '60', '80', '100']);
    expect(await chart.locator('text.unit').textContent()).toBe('% readings in range');
    expect(await chart.locator('rect.bar.partial').count()).toBe(1);
    expect(await chart.locator('rect.bar.partial title').textContent()).toContain('2026-11-21');
    expect(await page.locator('[data-chart-id="fleet-health"] .window').textContent()).toBe('2026-11-19 → 2026-11-21 (3 days)');
    await page.close();
  });

  test('the Dataform graph colours each node by its status; batches are grouped by run with a detail per batch', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const statuses = await page.locator('svg.dag g.node').evaluateAll((els) => els.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-status')]));
    expect(statuses.sort()).toEqual([
      ['landform_curated.cur_devices', 'assertion-failed'], ['landform_marts.mart_ingestion_reliability_daily_by_source', 'succeeded'], ['landform_raw.devices', 'source'],
    ]);
    expect(await page.locator('svg.dag path.edge').count()).toBe(2);
    const runs = page.locator('#lineage tbody.run');
    expect(await runs.count()).toBe(2);
    expect(await runs.first().locator('tr.run-head').innerText()).toContain('(this run): 2 batch(es)');
    expect(await runs.nth(1).locator('tr.batch').count()).toBe(2);
    expect(await page.locator('#lineage tr.batch details pre').first().textContent()).toContain('batch b-1 (this run)');
    await page.close();
  });
});

if (!hasChromium) {
  test.skip(`report rendering needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`, () => undefined);
}
