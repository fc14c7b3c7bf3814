import type { Chart } from './model.js';

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  return value.toFixed(abs >= 10 ? 1 : 2);
}

const WIDTH = 560;
const HEIGHT = 220;
const PAD = { left: 52, right: 12, top: 12, bottom: 58 };

/**
 * An inline SVG chart (no scripts, no network): vertical bars with a `bar` class, or a polyline with one
 * `point` circle per value. Each mark carries its label and value in a <title> for hover.
 */
export function chartSvg(chart: Chart): string {
  const points = chart.points;
  if (points.length === 0) return `<p class="empty">No data in ${escapeHtml(chart.source)} yet.</p>`;
  const max = Math.max(...points.map((p) => p.value), 0);
  const min = chart.yMin ?? Math.min(...points.map((p) => p.value), 0);
  const span = max - min || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number): number => PAD.top + plotH - ((v - min) / span) * plotH;
  const step = plotW / points.length;
  const parts: string[] = [];
  for (const tick of [min, min + span / 2, max]) {
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}"/>`);
    parts.push(`<text class="axis" x="${PAD.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatNumber(tick)}</text>`);
  }
  const labelEvery = Math.ceil(points.length / 14);
  points.forEach((p, i) => {
    const cx = PAD.left + step * i + step / 2;
    const tip = `<title>${escapeHtml(p.label)}: ${formatNumber(p.value)} ${escapeHtml(chart.unit)}</title>`;
    if (chart.kind === 'bar') {
      const base = Math.max(min, 0);
      const top = y(Math.max(p.value, base));
      const height = Math.max(1, Math.abs(y(p.value) - y(base)));
      parts.push(`<rect class="bar" x="${(cx - step * 0.35).toFixed(1)}" y="${top.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${height.toFixed(1)}">${tip}</rect>`);
    }
    if (i % labelEvery === 0) {
      const label = p.label.length > 14 ? `${p.label.slice(0, 13)}…` : p.label;
      parts.push(`<text class="axis" transform="translate(${cx.toFixed(1)},${HEIGHT - PAD.bottom + 12}) rotate(35)" text-anchor="start">${escapeHtml(label)}</text>`);
    }
  });
  if (chart.kind === 'line') {
    const coords = points.map((p, i) => `${(PAD.left + step * i + step / 2).toFixed(1)},${y(p.value).toFixed(1)}`);
    parts.push(`<polyline class="line" points="${coords.join(' ')}"/>`);
    points.forEach((p, i) => {
      parts.push(`<circle class="point" cx="${(PAD.left + step * i + step / 2).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3.5"><title>${escapeHtml(p.label)}: ${formatNumber(p.value)} ${escapeHtml(chart.unit)}</title></circle>`);
    });
  }
  return `<svg class="chart" data-chart="${escapeHtml(chart.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escapeHtml(chart.title)}">${parts.join('')}</svg>`;
}
