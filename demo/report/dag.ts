import type { DataformAction } from '../dataform.js';
import type { DagNode } from './model.js';
import { escapeHtml } from './svg.js';

export type NodeStatus = 'succeeded' | 'failed' | 'assertion-failed' | 'skipped' | 'not-run' | 'source';

const COLUMN_W = 250;
const NODE_W = 210;
const NODE_H = 22;
const GAP = 6;
const TOP = 28;

/** A node's status in this run: its own action's, unless one of its assertions failed. */
export function nodeStatus(node: DagNode, byTarget: Map<string, DataformAction>): NodeStatus {
  if (node.kind === 'declaration') return 'source';
  const own = byTarget.get(node.id);
  if (own === undefined) return 'not-run';
  if (own.status !== 'succeeded') return own.status;
  return node.assertions.some((a) => byTarget.get(a)?.status === 'failed') ? 'assertion-failed' : 'succeeded';
}

function layerOf(node: DagNode): number {
  if (node.kind === 'declaration') return 0;
  const dataset = node.id.split('.')[0] ?? '';
  if (dataset.endsWith('_curated')) return 1;
  if (dataset.endsWith('_marts')) return 2;
  return 3;
}

const LAYER_NAMES = ['raw (sources)', 'curated', 'marts', 'other'];

/**
 * The Dataform graph as an SVG: one column per layer (sources, curated, marts), one box per action
 * coloured by its status in this run, an edge per dependency. Only sources something reads are drawn.
 */
export function dagSvg(graph: DagNode[], actions: DataformAction[]): string {
  const read = new Set(graph.flatMap((n) => n.dependsOn));
  const nodes = graph.filter((n) => n.kind !== 'declaration' || read.has(n.id));
  if (nodes.length === 0) return '<p class="empty">No compiled graph for this run.</p>';
  const byTarget = new Map(actions.map((a) => [a.target, a]));
  const layers: DagNode[][] = [[], [], [], []];
  for (const node of nodes) layers[layerOf(node)]?.push(node);
  const used = layers.map((l, i) => ({ nodes: l, name: LAYER_NAMES[i] ?? '' })).filter((l) => l.nodes.length > 0);
  const position = new Map<string, { x: number; y: number }>();
  used.forEach((layer, column) => layer.nodes.forEach((node, row) => position.set(node.id, { x: 10 + column * COLUMN_W, y: TOP + row * (NODE_H + GAP) })));
  const height = TOP + Math.max(...used.map((l) => l.nodes.length)) * (NODE_H + GAP) + 10;
  const width = 10 + (used.length - 1) * COLUMN_W + NODE_W + 10;
  const parts: string[] = [];
  used.forEach((layer, column) => parts.push(`<text class="layer" x="${10 + column * COLUMN_W}" y="16">${escapeHtml(layer.name)}</text>`));
  for (const node of nodes) {
    const to = position.get(node.id);
    for (const dep of node.dependsOn) {
      const from = position.get(dep);
      if (to === undefined || from === undefined) continue;
      const x1 = from.x + NODE_W;
      const y1 = from.y + NODE_H / 2;
      const x2 = to.x;
      const y2 = to.y + NODE_H / 2;
      const bend = Math.max(20, (x2 - x1) / 2);
      parts.push(`<path class="edge" d="M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}"/>`);
    }
  }
  for (const node of nodes) {
    const at = position.get(node.id);
    if (at === undefined) continue;
    const status = nodeStatus(node, byTarget);
    const name = node.id.split('.').slice(1).join('.');
    const label = name.length > 30 ? `${name.slice(0, 29)}…` : name;
    parts.push(`<g class="node ${status}" data-node="${escapeHtml(node.id)}" data-status="${status}"><title>${escapeHtml(node.id)}: ${status.replace('-', ' ')}${node.assertions.length > 0 ? `, ${node.assertions.length} assertion(s)` : ''}</title>`
      + `<rect x="${at.x}" y="${at.y}" width="${NODE_W}" height="${NODE_H}" rx="4"/><text x="${at.x + 8}" y="${at.y + 15}">${escapeHtml(label)}</text></g>`);
  }
  return `<svg class="dag" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Dataform graph">${parts.join('')}</svg>`;
}
