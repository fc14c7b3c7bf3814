import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CSS } from './css.js';
import type { RunReport } from './model.js';
import { assertionsSection, freshnessSection, lineageSection, quarantineSection } from './sections-data.js';
import { dagSection, failuresSection, overviewSection, shortTime } from './sections-run.js';
import { costSection } from './sections-cost.js';
import { chartSvg, escapeHtml } from './svg.js';

function chartsSection(report: RunReport): string {
  const borrowed = report.borrowed?.includes('charts') === true && report.lastGood;
  const html = [`<section id="charts"><h2>Marts${borrowed ? ` (from the last good run, ${escapeHtml(shortTime(report.lastGood?.generatedAt) ?? '')})` : ''}</h2><div class="charts">`];
  for (const chart of report.charts) {
    const partial = (chart.partial ?? []).length > 0 ? ` · * ${escapeHtml((chart.partial ?? []).join(', '))}: partial day, still filling up` : '';
    html.push(`<figure data-chart-id="${escapeHtml(chart.id)}"><h3 style="margin:0 0 2px">${escapeHtml(chart.title)}</h3>`
      + `<p class="note window">${escapeHtml(chart.window ?? '')}</p>${chartSvg(chart)}`
      + `<figcaption class="sub">${escapeHtml(chart.unit)} · from <code>${escapeHtml(chart.source)}</code>${partial}</figcaption></figure>`);
  }
  html.push('</div></section>');
  return html.join('');
}

/**
 * The whole report as one self-contained HTML document: inline CSS and SVG, no script, no network.
 * Failures come first; "this run" and "all time" figures are labelled apart.
 */
export function renderReport(report: RunReport): string {
  const html: string[] = [];
  html.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`);
  html.push(`<title>Landform run report</title><style>${CSS}</style></head><body>`);
  html.push(`<header><h1>Landform run report</h1><div class="sub">${escapeHtml(shortTime(report.generatedAt) ?? '')} · ${report.ok ? 'succeeded' : 'failed'} · source: ${escapeHtml(report.source || '—')} · warehouse: ${escapeHtml(report.warehouse || '—')}</div></header><main>`);
  html.push(failuresSection(report));
  html.push(overviewSection(report));
  html.push(chartsSection(report));
  html.push(assertionsSection(report));
  html.push(quarantineSection(report));
  html.push(freshnessSection(report));
  html.push(dagSection(report));
  html.push(costSection(report));
  html.push(lineageSection(report));
  html.push(`</main></body></html>\n`);
  return html.join('\n');
}

export async function writeReport(file: string, report: RunReport): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderReport(report));
  return path.resolve(file);
}
