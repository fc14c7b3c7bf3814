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

if (!hasChromium) {
  test.skip(`report rendering needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`, () => undefined);
}
