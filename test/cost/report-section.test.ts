/** The demo report's cost section: what `landform cost` saved, shown in the report it adds itself to, and in the reports after it. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { renderReport } from '../../demo/report/html.js';
import { addCostToReport, writeReportKeepingLastGood } from '../../demo/report/last-good.js';
import type { ReportCost, RunReport } from '../../demo/report/model.js';

const MB = 2 ** 20;
const GIB = 2 ** 30;

const report: RunReport = {
  generatedAt: '2026-11-21T10:05:00.000Z', path: 'incremental', source: 'embedded Postgres', warehouse: 'embedded BigQuery',
  batches: [], freshness: [], actions: [], tests: [], charts: [], ok: true, problems: [],
};

const cost: ReportCost = {
  generatedAt: '2026-11-21T10:06:00.000Z', warehouse: "the demo's embedded BigQuery", fullRefresh: false, pricePerTib: 6.25,
  schedule: { cron: '30 3 * * *', runsPerMonth: 365 / 12 },
  actions: [
    { target: 'landform_curated.cur_devices', kind: 'incremental', bytesProcessed: 2048, bytesBilled: 10 * MB, price: (10 * MB / 2 ** 40) * 6.25 },
    { target: 'landform_marts.mart_device_health_daily', kind: 'table', bytesProcessed: 512 * GIB, bytesBilled: 512 * GIB, price: 3.125 },
  ],
  perRun: { bytesProcessed: 512 * GIB + 2048, bytesBilled: 512 * GIB + 10 * MB, price: 3.125 + (10 * MB / 2 ** 40) * 6.25 },
  perMonth: { runs: 365 / 12, bytesProcessed: 0, bytesBilled: (512 * GIB + 10 * MB) * (365 / 12), price: (3.125 + (10 * MB / 2 ** 40) * 6.25) * (365 / 12) },
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'landform-cost-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const section = (html: string) => /<section id="cost">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

describe('the cost section', () => {
  test('without an estimate it says how to make one', () => {
    expect(section(renderReport(report))).toContain('Not estimated yet: <code>npx landform cost</code>');
  });

  test('the month, the run, and the actions by billed bytes, largest first', () => {
    const html = section(renderReport({ ...report, cost }));
    // 30.4166 runs × $3.1250596 = $95.05; a run is $3.13 (512 GiB + 10 MiB billed)
    expect(html).toContain('<b>$95.05</b> a month');
    expect(html).toContain('$3.13 a run (512 GiB)');
    expect(html).toContain('<code>30 3 * * *</code> (30.4 runs a month)');
    const rows = [...html.matchAll(/data-cost-action="([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['landform_marts.mart_device_health_daily', 'landform_curated.cur_devices']);
    expect(html).toContain('<td class="num">2.00 KiB</td><td class="num">10.0 MiB</td><td class="num">$0.0001</td>');
  });

  test('beyond twelve actions, the rest share one line', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ target: `a.t${String(i).padStart(2, '0')}`, kind: 'assertion', bytesProcessed: i, bytesBilled: 10 * MB, price: 1 }));
    const html = section(renderReport({ ...report, cost: { ...cost, actions: many } }));
    // equal billed bytes: the most processed first, so t14 .. t03 are listed and t02, t01, t00 share the last line
    const rows = [...html.matchAll(/data-cost-action="([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['a.t14', 'a.t13', 'a.t12', 'a.t11', 'a.t10', 'a.t09', 'a.t08', 'a.t07', 'a.t06', 'a.t05', 'a.t04', 'a.t03']);
    expect(html).toContain('<tr class="cost-rest"><td>3 more actions</td><td></td><td class="num">3 B</td><td class="num">30.0 MiB</td><td class="num">$3.00</td></tr>');
  });

  test('landform cost adds it to the report last written, and the next reports keep showing it', async () => {
    const file = path.join(dir, 'report', 'index.html');
    expect(await addCostToReport(file, cost)).toBeNull(); // no report yet: only saved
    expect(existsSync(path.join(dir, 'report', 'cost.json'))).toBe(true);
    await writeReportKeepingLastGood(file, report);
    expect(section(await readFile(file, 'utf8'))).toContain('<b>$95.05</b> a month');
    const newer = { ...cost, perMonth: { ...cost.perMonth, price: 1 } };
    expect(await addCostToReport(file, newer)).toBe(path.resolve(file));
    expect(section(await readFile(file, 'utf8'))).toContain('<b>$1.00</b> a month');
  });
});
