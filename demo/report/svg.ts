import type { Chart } from './model.js';

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}B`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs >= 100 || Number.isInteger(value)) return value.toFixed(0);
  // 0.2, not 0.20: a tick reads as the round number it is.
  return String(Number(value.toFixed(abs >= 10 ? 1 : 2)));
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}

/**
 * Axis ticks from 0 to at least `max` in steps of 1, 2 or 5 × 10^k, about `count` of them, so every
 * tick is a round number and the axis never starts above zero (a bar's height is its value).
 */
export function niceTicks(max: number, count = 5, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  // Counts never get fractional ticks: the step is at least 1.
  const raw = integer ? Math.max(1, max / count) : max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [0];
  while ((ticks[ticks.length - 1] ?? 0) < max - 1e-9) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

const WIDTH = 560;
const HEIGHT = 240;
const PAD = { left: 56, right: 16, top: 26, bottom: 64 };

/**
 * An inline SVG chart (no scripts, no network): vertical bars with a `bar` class, or a polyline with one
 * `point` circle per value. The value axis starts at zero with round ticks and names its unit; days
 * still filling up are drawn as `partial` marks. Each mark carries its label and value in a <title>.
 */
export function chartSvg(chart: Chart): string {
  const points = chart.points;
  if (points.length === 0) return `<p class="empty">No data in ${escapeHtml(chart.source)} yet.</p>`;
  const partial = new Set(chart.partial ?? []);
  const ticks = niceTicks(Math.max(...points.map((p) => p.value), 0), 5, points.every((p) => Number.isInteger(p.value)));
  const top = ticks[ticks.length - 1] ?? 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number): number => PAD.top + plotH - (Math.max(0, v) / top) * plotH;
  const step = plotW / points.length;
  const x = (i: number): number => PAD.left + step * i + step / 2;
  const parts: string[] = [];
  parts.push(`<text class="axis unit" x="${PAD.left}" y="14" text-anchor="start">${escapeHtml(chart.unit)}</text>`);
  for (const tick of ticks) {
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}"/>`);
    parts.push(`<text class="axis" x="${PAD.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatNumber(tick)}</text>`);
  }
  const labelEvery = Math.ceil(points.length / 14);
  points.forEach((p, i) => {
    const isPartial = partial.has(p.label);
    const tip = `<title>${escapeHtml(p.label)}: ${formatNumber(p.value)} ${escapeHtml(chart.unit)}${isPartial ? ' (partial day: still filling up)' : ''}</title>`;
    if (chart.kind === 'bar') {
      const height = Math.max(1, y(0) - y(p.value));
      parts.push(`<rect class="bar${isPartial ? ' partial' : ''}" x="${(x(i) - step * 0.35).toFixed(1)}" y="${(y(0) - height).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${height.toFixed(1)}">${tip}</rect>`);
    }
    if (i % labelEvery === 0 || (isPartial && i === points.length - 1)) {
      const label = p.label.length > 14 ? `${p.label.slice(0, 13)}…` : p.label;
      // Rotated back to the left (anchor end), so the last label never runs past the right edge.
      parts.push(`<text class="axis${isPartial ? ' partial-label' : ''}" transform="translate(${x(i).toFixed(1)},${HEIGHT - PAD.bottom + 10}) rotate(-35)" text-anchor="end">${escapeHtml(label)}${isPartial ? '*' : ''}</text>`);
    }
  });
  if (chart.kind === 'line') {
    const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
    parts.push(`<polyline class="line" points="${coords.join(' ')}"/>`);
    points.forEach((p, i) => {
      const isPartial = partial.has(p.label);
      parts.push(`<circle class="point${isPartial ? ' partial' : ''}" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3.5"><title>${escapeHtml(p.label)}: ${formatNumber(p.value)} ${escapeHtml(chart.unit)}${isPartial ? ' (partial day: still filling up)' : ''}</title></circle>`);
    });
  }
  return `<svg class="chart" data-chart="${escapeHtml(chart.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${escapeHtml(chart.title)}">${parts.join('')}</svg>`;
}
