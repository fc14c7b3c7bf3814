import type { DataformAction } from '../dataform.js';
import type { AssertionDetail, LineageBatch, RunReport } from './model.js';
import { badge, cell, shortTime } from './sections-run.js';
import { escapeHtml } from './svg.js';

/** Runs shown in full; older ones are counted. */
export const RUNS_SHOWN = 10;
/** Batches that started this close together belong to one run. */
const RUN_GAP_MS = 5 * 60_000;

export function freshnessSection(report: RunReport): string {
  const html = ['<section id="freshness"><h2>Freshness per table (all time)</h2><div class="scroll"><table><thead><tr><th>Table</th><th>Last successful batch</th><th>Newest landed cursor</th><th>Lag</th></tr></thead><tbody>'];
  for (const f of report.freshness) {
    const lag = f.lagMinutes === null ? null : f.lagMinutes < 120 ? `${Math.round(f.lagMinutes)} min` : `${(f.lagMinutes / 60).toFixed(1)} h`;
    html.push(`<tr>${cell(f.table)}${cell(shortTime(f.lastSuccessAt))}${cell(shortTime(f.watermarkTo))}${cell(lag, true)}</tr>`);
  }
  html.push('</tbody></table></div></section>');
  return html.join('');
}

/** The table an assertion checks: from the compiled graph, else the longest table name its name starts with. */
function tableOf(assertion: DataformAction, report: RunReport, details: Map<string, AssertionDetail>): string {
  const fromDetail = details.get(assertion.target)?.table;
  if (fromDetail) return fromDetail;
  const node = report.graph?.find((g) => g.assertions.includes(assertion.target));
  if (node !== undefined) return node.id;
  return 'other checks';
}

function failingRows(detail: AssertionDetail | undefined): string {
  if (detail === undefined) return '';
  const html: string[] = [];
  if (detail.rows.length > 0) {
    const columns = Object.keys(detail.rows[0] ?? {});
    html.push(`<div class="scroll"><table class="failing-rows"><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>`);
    for (const row of detail.rows) html.push(`<tr>${columns.map((c) => cell(row[c] ?? '')).join('')}</tr>`);
    html.push(`</tbody></table></div><p class="note">First ${detail.rows.length} failing row(s).</p>`);
  }
  if (detail.sql !== null) html.push(`<details><summary>The assertion's SQL</summary><pre>${escapeHtml(detail.sql.trim())}</pre></details>`);
  return html.join('');
}

/** Assertions grouped by the table they check; groups with a failure first, failures first within. */
export function assertionsSection(report: RunReport): string {
  const assertions = report.actions.filter((a) => a.kind === 'assertion');
  const passed = assertions.filter((a) => a.status === 'succeeded').length;
  const details = new Map((report.assertionDetails ?? []).map((d) => [d.target, d]));
  const groups = new Map<string, DataformAction[]>();
  for (const a of assertions) {
    const table = tableOf(a, report, details);
    groups.set(table, [...(groups.get(table) ?? []), a]);
  }
  const failedIn = (list: DataformAction[]): number => list.filter((a) => a.status !== 'succeeded').length;
  const ordered = [...groups.entries()].sort(([ta, a], [tb, b]) => failedIn(b) - failedIn(a) || ta.localeCompare(tb));
  const html = [`<section id="assertions"><h2>Assertions (${passed}/${assertions.length} passed)</h2>`];
  for (const [table, list] of ordered) {
    const failed = failedIn(list);
    // A table whose checks all passed folds away: the page opens on what failed.
    const heading = `${escapeHtml(table)} · ${list.length - failed}/${list.length} passed`;
    html.push(failed > 0
      ? `<div class="assertion-group" data-table="${escapeHtml(table)}"><h3>${heading}</h3><div class="scroll"><table><tbody>`
      : `<details class="assertion-group" data-table="${escapeHtml(table)}"><summary>${heading}</summary><div class="scroll"><table><tbody>`);
    for (const a of [...list].sort((x, y) => Number(x.status === 'succeeded') - Number(y.status === 'succeeded') || x.target.localeCompare(y.target))) {
      html.push(`<tr class="assertion ${a.status}">${cell(a.target)}<td>${badge(a.status)}</td><td class="wrap">${escapeHtml(a.error ?? '')}${a.status === 'failed' ? failingRows(details.get(a.target)) : ''}</td></tr>`);
    }
    html.push(`</tbody></table></div></${failed > 0 ? 'div' : 'details'}>`);
  }
  if (report.tests.length > 0) {
    html.push('<h3>Dataform unit tests</h3><div class="scroll"><table><thead><tr><th>Test</th><th>Status</th></tr></thead><tbody>');
    for (const t of [...report.tests].sort((a, b) => Number(a.passed) - Number(b.passed))) html.push(`<tr>${cell(t.name)}<td>${badge(t.passed ? 'passed' : 'failed')}</td></tr>`);
    html.push('</tbody></table></div>');
  }
  html.push('</section>');
  return html.join('');
}

export function quarantineSection(report: RunReport): string {
  const reasons = report.quarantine ?? [];
  const html = ['<section id="quarantine"><h2>Quarantine: why rows were held back</h2>'];
  if (reasons.length === 0) {
    html.push('<p class="empty">No quarantined rows in <code>landform_raw.quarantine</code>.</p></section>');
    return html.join('');
  }
  html.push('<div class="scroll"><table><thead><tr><th>Table</th><th>Reason</th><th>This run</th><th>All time</th><th>Sample rows</th></tr></thead><tbody>');
  for (const q of reasons) {
    const samples = q.samples.map((s) => `<pre>${escapeHtml(s)}</pre>`).join('');
    html.push(`<tr class="quarantine-reason">${cell(q.table)}<td class="wrap">${escapeHtml(q.reason)}</td>${cell(q.thisRun, true)}${cell(q.count, true)}<td class="wrap"><details><summary>${q.samples.length} sample(s)</summary>${samples}</details></td></tr>`);
  }
  html.push('</tbody></table></div></section>');
  return html.join('');
}

/** Batches grouped into runs (started within minutes of each other), newest first. */
export function groupRuns(batches: LineageBatch[]): LineageBatch[][] {
  const runs: LineageBatch[][] = [];
  let last = Number.NaN;
  for (const b of batches) {
    const at = Date.parse(b.startedAt ?? '');
    const current = runs[runs.length - 1];
    if (current === undefined || !(Math.abs(last - at) <= RUN_GAP_MS)) runs.push([b]);
    else current.push(b);
    last = at;
  }
  return runs;
}

function batchRow(b: LineageBatch, thisRun: Set<string>): string {
  const range = b.watermarkTo === null ? null : `${shortTime(b.watermarkFrom) ?? 'start'} → ${shortTime(b.watermarkTo)}`;
  const detail = `<details><summary>${escapeHtml(b.batchId.slice(0, 12))}</summary><pre>${escapeHtml([
    `batch ${b.batchId}${thisRun.has(b.batchId) ? ' (this run)' : ''}`, `contract ${b.contractHash}`,
    `started ${b.startedAt ?? '—'}, finished ${b.finishedAt ?? '—'}`, `cursor ${b.watermarkFrom ?? 'start'} → ${b.watermarkTo ?? '—'}`,
    ...(b.error ? [`error: ${b.error}`] : []),
  ].join('\n'))}</pre></details>`;
  return `<tr class="batch">${cell(b.table)}<td>${badge(b.status)}</td><td>${detail}</td><td><code title="${escapeHtml(b.contractHash)}">${escapeHtml(b.contractHash.slice(0, 12))}</code></td>${cell(range)}${cell(b.rowsExtracted, true)}${cell(b.rowsLoaded, true)}${cell(b.rowsSkippedDuplicate, true)}${cell(b.rowsQuarantined, true)}</tr>`;
}

export function lineageSection(report: RunReport): string {
  const thisRun = new Set(report.thisRun?.batchIds ?? []);
  const runs = groupRuns(report.batches);
  const html = ['<section id="lineage"><h2>Lineage: export batches by run (all time)</h2><div class="scroll"><table>'];
  html.push('<thead><tr><th>Table</th><th>Status</th><th>Batch</th><th>Contract hash</th><th>Cursor window (from → to)</th><th>Extracted</th><th>Loaded</th><th>Dup. skipped</th><th>Quarantined</th></tr></thead>');
  for (const run of runs.slice(0, RUNS_SHOWN)) {
    const failed = run.filter((b) => b.status !== 'succeeded').length;
    const mine = run.some((b) => thisRun.has(b.batchId));
    html.push(`<tbody class="run"><tr class="run-head"><td colspan="9">Run at ${escapeHtml(shortTime(run[run.length - 1]?.startedAt) ?? '—')}${mine ? ' (this run)' : ''}: ${run.length} batch(es)${failed > 0 ? `, ${failed} failed` : ''}, ${run.reduce((s, b) => s + b.rowsLoaded, 0).toLocaleString('en-US')} rows landed</td></tr>`);
    for (const b of run) html.push(batchRow(b, thisRun));
    html.push('</tbody>');
  }
  html.push('</table></div>');
  const older = runs.slice(RUNS_SHOWN);
  if (older.length > 0) html.push(`<p class="note">${older.length} earlier run(s), ${older.reduce((s, r) => s + r.length, 0)} batches, not shown: query <code>landform_raw.export_batches</code>.</p>`);
  html.push('</section>');
  return html.join('');
}
