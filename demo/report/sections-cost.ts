/** The report's cost section: what `landform cost` estimated for the next scheduled `dataform run`. */
import type { RunReport } from './model.js';
import { cell, shortTime } from './sections-run.js';
import { escapeHtml } from './svg.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
/** Actions listed one by one, largest first; the rest share a line. */
const SHOWN = 12;

function bytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${UNITS[u]}`;
}

function dollars(v: number): string {
  if (v === 0) return '$0';
  return v < 0.01 ? `$${v.toFixed(4)}` : `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function costSection(report: RunReport): string {
  const c = report.cost;
  if (!c) {
    return '<section id="cost"><h2>Cost of the next run</h2><p class="note">Not estimated yet: <code>npx landform cost</code> dry-runs each action of the next scheduled <code>dataform run</code> and shows its bytes and on-demand price here.</p></section>';
  }
  const html = [`<section id="cost"><h2>Cost of the next ${c.fullRefresh ? 'full-refresh ' : ''}run, on demand</h2>`];
  html.push(`<p class="note">Estimated by <code>landform cost</code> at ${escapeHtml(shortTime(c.generatedAt) ?? '')} on ${escapeHtml(c.warehouse)}: `
    + `dry runs at $${escapeHtml(String(c.pricePerTib))}/TiB, schedule <code>${escapeHtml(c.schedule.cron)}</code> (${c.schedule.runsPerMonth.toFixed(1)} runs a month). `
    + 'Billed: whole MB per job, at least 10 MB; clustering not counted.</p>');
  html.push(`<p><b>${escapeHtml(dollars(c.perMonth.price))}</b> a month (${escapeHtml(bytes(c.perMonth.bytesBilled))} billed) · ${escapeHtml(dollars(c.perRun.price))} a run (${escapeHtml(bytes(c.perRun.bytesBilled))})</p>`);
  const sorted = [...c.actions].sort((a, b) => b.bytesBilled - a.bytesBilled || b.bytesProcessed - a.bytesProcessed || a.target.localeCompare(b.target));
  const top = sorted.slice(0, SHOWN);
  const rest = sorted.slice(SHOWN);
  html.push('<div class="scroll"><table><thead><tr><th>action</th><th>kind</th><th>processed</th><th>billed</th><th>per run</th></tr></thead><tbody>');
  for (const a of top) {
    html.push(`<tr data-cost-action="${escapeHtml(a.target)}">${cell(a.target)}${cell(a.kind)}${cell(bytes(a.bytesProcessed), true)}${cell(bytes(a.bytesBilled), true)}${cell(dollars(a.price), true)}</tr>`);
  }
  if (rest.length > 0) {
    const sum = (f: (a: (typeof rest)[number]) => number) => rest.reduce((t, a) => t + f(a), 0);
    html.push(`<tr class="cost-rest">${cell(`${rest.length} more actions`)}${cell('')}${cell(bytes(sum((a) => a.bytesProcessed)), true)}${cell(bytes(sum((a) => a.bytesBilled)), true)}${cell(dollars(sum((a) => a.price)), true)}</tr>`);
  }
  html.push('</tbody></table></div></section>');
  return html.join('');
}
