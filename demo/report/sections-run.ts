import { dagSvg } from './dag.js';
import type { RunReport } from './model.js';
import { escapeHtml } from './svg.js';

export function badge(status: string): string {
  const cls = status === 'succeeded' || status === 'passed' ? 'ok' : status === 'failed' ? 'bad' : 'skip';
  return `<span class="badge ${cls}">${escapeHtml(status)}</span>`;
}

export function cell(value: string | number | null | undefined, numeric = false): string {
  const text = value === null || value === undefined ? '—' : typeof value === 'number' ? value.toLocaleString('en-US') : value;
  return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
}

export function shortTime(iso: string | null | undefined): string | null {
  return iso === null || iso === undefined ? null : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

const n = (value: number): string => value.toLocaleString('en-US');

function kpis(items: Array<[string, string]>): string {
  return `<div class="kpis">${items.map(([k, v]) => `<div class="kpi"><b>${escapeHtml(v)}</b><span>${escapeHtml(k)}</span></div>`).join('')}</div>`;
}

/** What went wrong, before anything else: the problems, then what the rest of the page is made of. */
export function failuresSection(report: RunReport): string {
  if (report.ok) return '';
  const html: string[] = ['<section id="failures" class="failed"><h2>This run failed</h2>'];
  html.push(`<ol class="problems">${report.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ol>`);
  const failedTests = report.tests.filter((t) => !t.passed);
  if (failedTests.length > 0) html.push(`<p>Unit tests failed: ${failedTests.map((t) => `<code>${escapeHtml(t.name)}</code>`).join(', ')}.</p>`);
  if (report.lastGood) {
    html.push(`<p>The last good run's report, from ${escapeHtml(shortTime(report.lastGood.generatedAt) ?? '')}, is kept: <a href="${escapeHtml(report.lastGood.href)}">open it</a>.</p>`);
  } else {
    html.push('<p class="note">No earlier successful run in this state directory.</p>');
  }
  const borrowed = report.borrowed ?? [];
  if (borrowed.length > 0 && report.lastGood) {
    html.push(`<p class="note">This run could not read the warehouse, so the ${borrowed.join(' and ')} below ${borrowed.length > 1 ? 'are' : 'is'} the last good run's (${escapeHtml(shortTime(report.lastGood.generatedAt) ?? '')}).</p>`);
  }
  html.push('</section>');
  return html.join('');
}

/** "This run" and "all time" side by side, each labelled, never mixed. */
export function overviewSection(report: RunReport): string {
  const assertions = report.actions.filter((a) => a.kind === 'assertion');
  const passed = assertions.filter((a) => a.status === 'succeeded').length;
  const run = report.thisRun;
  const pathText = report.path === 'first-load' ? 'first load' : report.path === 'incremental' ? 'incremental' : 'not reached';
  const thisRun: Array<[string, string]> = [
    ['Run', report.ok ? 'succeeded' : 'failed'],
    ['Path (from export_batches)', pathText],
    ['Batches', String(run?.batchIds.length ?? 0)],
    ['Rows landed', n(run?.rowsLoaded ?? 0)],
    ['Rows quarantined', n(run?.rowsQuarantined ?? 0)],
    ['Assertions', `${passed}/${assertions.length} passed`],
    ['Unit tests', report.tests.length === 0 ? 'not run' : `${report.tests.filter((t) => t.passed).length}/${report.tests.length} passed`],
  ];
  if (run !== undefined) thisRun.push(['Duration', `${run.seconds.toFixed(1)} s`]);
  const allTime: Array<[string, string]> = [
    ['Batches', n(report.batches.length)],
    ['Succeeded', n(report.batches.filter((b) => b.status === 'succeeded').length)],
    ['Rows landed', n(report.batches.reduce((s, b) => s + b.rowsLoaded, 0))],
    ['Rows quarantined', n(report.batches.reduce((s, b) => s + b.rowsQuarantined, 0))],
    ['Tables', n(report.freshness.length)],
  ];
  return `<section id="overview"><h2>Overview</h2><h3>This run</h3>${kpis(thisRun)}`
    + `<h3>All time</h3><p class="note">From <code>landform_raw.export_batches</code> (the newest ${n(report.batches.length)} batches of the last 400 days).</p>${kpis(allTime)}</section>`;
}

/** The compiled graph, coloured by this run's status, with the per-action table under it. */
export function dagSection(report: RunReport): string {
  const models = report.actions.filter((a) => a.kind !== 'assertion');
  const html: string[] = ['<section id="dag"><h2>Dataform graph (this run)</h2>'];
  if (report.graph !== undefined && report.graph.length > 0) {
    html.push('<p class="legend">'
      + [['#e7f6ef', 'succeeded'], ['#fdece7', 'failed'], ['#fef4e6', 'assertion failed / skipped'], ['#f2f4f7', 'not run'], ['#fff', 'source']]
        .map(([colour, label]) => `<span><i style="background:${colour};border:1px solid #98a2b3"></i>${label}</span>`).join('')
      + '</p>');
    html.push(`<div class="scroll">${dagSvg(report.graph, report.actions)}</div>`);
  }
  html.push('<h3>Actions</h3><div class="scroll"><table><thead><tr><th>Action</th><th>Type</th><th>Status</th><th>Time</th></tr></thead><tbody>');
  const ordered = [...models].sort((a, b) => Number(a.status === 'succeeded') - Number(b.status === 'succeeded'));
  for (const a of ordered) html.push(`<tr>${cell(a.target)}${cell(a.kind)}<td>${badge(a.status)}</td>${cell(a.seconds === undefined ? null : `${a.seconds.toFixed(2)} s`, true)}</tr>`);
  html.push('</tbody></table></div></section>');
  return html.join('');
}
