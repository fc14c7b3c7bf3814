import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunReport } from './model.js';
import { chartSvg, escapeHtml } from './svg.js';

const CSS = `
:root{--ink:#1d2433;--muted:#667085;--line:#e4e7ec;--ok:#12805c;--bad:#c4320a;--warn:#b54708;--accent:#2e6bd1;--bg:#f7f8fa}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:20px 28px;background:#fff;border-bottom:1px solid var(--line)}h1{margin:0 0 4px;font-size:22px}
.sub{color:var(--muted)}main{padding:20px 28px;display:grid;grid-template-columns:minmax(0,1fr);gap:20px}
section{min-width:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 18px}h2{margin:0 0 12px;font-size:16px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:20px}.charts figure{min-width:0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
th{color:var(--muted);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.ok{background:#e7f6ef;color:var(--ok)}.bad{background:#fdece7;color:var(--bad)}.skip{background:#fef4e6;color:var(--warn)}
.kpis{display:flex;gap:14px;flex-wrap:wrap}.kpi{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px;background:#fff}
.kpi b{display:block;font-size:20px}.kpi span{color:var(--muted);font-size:12px}
svg.chart .bar{fill:var(--accent)}svg.chart .line{fill:none;stroke:var(--accent);stroke-width:2}svg.chart .point{fill:#fff;stroke:var(--accent);stroke-width:2}
svg.chart .grid{stroke:var(--line)}svg.chart .axis{font-size:10px;fill:var(--muted)}.empty{color:var(--muted)}
.scroll{overflow-x:auto}
`;

function badge(status: string): string {
  const cls = status === 'succeeded' || status === 'passed' ? 'ok' : status === 'failed' ? 'bad' : 'skip';
  return `<span class="badge ${cls}">${escapeHtml(status)}</span>`;
}

function cell(value: string | number | null | undefined, numeric = false): string {
  const text = value === null || value === undefined ? '—' : typeof value === 'number' ? value.toLocaleString('en-US') : value;
  return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
}

function shortTime(iso: string | null): string | null {
  return iso === null ? null : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/** The whole report as one self-contained HTML document: inline CSS and SVG, no script, no network. */
export function renderReport(report: RunReport): string {
  const assertions = report.actions.filter((a) => a.kind === 'assertion');
  const models = report.actions.filter((a) => a.kind !== 'assertion');
  const passed = assertions.filter((a) => a.status === 'succeeded').length;
  const rowsLoaded = report.batches.reduce((s, b) => s + b.rowsLoaded, 0);
  const kpis = [
    ['Run', report.ok ? 'succeeded' : 'failed'],
    ['Path', report.path === 'first-load' ? 'first load' : 'incremental'],
    ['Batches', String(report.batches.length)],
    ['Rows landed', rowsLoaded.toLocaleString('en-US')],
    ['Assertions', `${passed}/${assertions.length} passed`],
    ['Unit tests', `${report.tests.filter((t) => t.passed).length}/${report.tests.length} passed`],
  ];
  const html: string[] = [];
  html.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  html.push(`<title>Landform run report</title><style>${CSS}</style></head><body>`);
  html.push(`<header><h1>Landform run report</h1><div class="sub">${escapeHtml(shortTime(report.generatedAt) ?? '')} · source: ${escapeHtml(report.source)} · warehouse: ${escapeHtml(report.warehouse)}</div></header><main>`);
  html.push(`<section id="overview"><h2>Overview</h2><div class="kpis">${kpis.map(([k, v]) => `<div class="kpi"><b>${escapeHtml(v ?? '')}</b><span>${escapeHtml(k ?? '')}</span></div>`).join('')}</div>`);
  if (report.problems.length > 0) html.push(`<ul class="problems">${report.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`);
  html.push(`</section>`);

  html.push(`<section id="charts"><h2>Marts</h2><div class="charts">`);
  for (const chart of report.charts) {
    html.push(`<figure data-chart-id="${escapeHtml(chart.id)}" style="margin:0"><h3 style="margin:0 0 6px;font-size:14px">${escapeHtml(chart.title)}</h3>${chartSvg(chart)}<figcaption class="sub">${escapeHtml(chart.unit)} · from <code>${escapeHtml(chart.source)}</code></figcaption></figure>`);
  }
  html.push(`</div></section>`);

  html.push(`<section id="freshness"><h2>Freshness per table</h2><table><thead><tr><th>Table</th><th>Last successful batch</th><th>Newest landed cursor</th><th>Lag</th></tr></thead><tbody>`);
  for (const f of report.freshness) {
    html.push(`<tr>${cell(f.table)}${cell(shortTime(f.lastSuccessAt))}${cell(shortTime(f.watermarkTo))}${cell(f.lagMinutes === null ? null : f.lagMinutes < 120 ? `${Math.round(f.lagMinutes)} min` : `${(f.lagMinutes / 60).toFixed(1)} h`, true)}</tr>`);
  }
  html.push(`</tbody></table></section>`);

  html.push(`<section id="assertions"><h2>Assertions (${passed}/${assertions.length} passed)</h2><div class="scroll"><table><thead><tr><th>Assertion</th><th>Status</th><th>Detail</th></tr></thead><tbody>`);
  for (const a of assertions) html.push(`<tr>${cell(a.target)}<td>${badge(a.status)}</td>${cell(a.error ?? '')}</tr>`);
  html.push(`</tbody></table></div>`);
  if (report.tests.length > 0) {
    html.push(`<h2 style="margin-top:16px">Dataform unit tests</h2><table><thead><tr><th>Test</th><th>Status</th></tr></thead><tbody>`);
    for (const t of report.tests) html.push(`<tr>${cell(t.name)}<td>${badge(t.passed ? 'passed' : 'failed')}</td></tr>`);
    html.push(`</tbody></table>`);
  }
  html.push(`</section>`);

  html.push(`<section id="actions"><h2>Dataform actions</h2><div class="scroll"><table><thead><tr><th>Action</th><th>Type</th><th>Status</th><th>Time</th></tr></thead><tbody>`);
  for (const a of models) html.push(`<tr>${cell(a.target)}${cell(a.kind)}<td>${badge(a.status)}</td>${cell(a.seconds === undefined ? null : `${a.seconds.toFixed(2)} s`, true)}</tr>`);
  html.push(`</tbody></table></div></section>`);

  html.push(`<section id="lineage"><h2>Lineage: export batches</h2><div class="scroll"><table><thead><tr><th>Batch</th><th>Table</th><th>Status</th><th>Contract hash</th><th>Started</th><th>Cursor window (from → to)</th><th>Extracted</th><th>Loaded</th><th>Dup. skipped</th><th>Quarantined</th></tr></thead><tbody>`);
  for (const b of report.batches) {
    const range = b.watermarkTo === null ? null : `${shortTime(b.watermarkFrom) ?? 'start'} → ${shortTime(b.watermarkTo)}`;
    html.push(`<tr class="batch">${cell(b.batchId)}${cell(b.table)}<td>${badge(b.status)}</td><td><code title="${escapeHtml(b.contractHash)}">${escapeHtml(b.contractHash.slice(0, 12))}</code></td>${cell(shortTime(b.startedAt))}${cell(range)}${cell(b.rowsExtracted, true)}${cell(b.rowsLoaded, true)}${cell(b.rowsSkippedDuplicate, true)}${cell(b.rowsQuarantined, true)}</tr>`);
  }
  html.push(`</tbody></table></div></section>`);
  html.push(`</main></body></html>\n`);
  return html.join('\n');
}

export async function writeReport(file: string, report: RunReport): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderReport(report));
  return path.resolve(file);
}
