/** `landform cost` for people: a table per action, then the run and the month. */
import type { RunCost } from './estimate.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${UNITS[u]}`;
}

export function formatDollars(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function costLines(cost: RunCost): string[] {
  const width = Math.max(6, ...cost.actions.map((a) => a.target.length));
  const row = (cols: string[]) => `${cols[0]!.padEnd(width)}  ${cols[1]!.padEnd(11)}  ${cols[2]!.padStart(10)}  ${cols[3]!.padStart(10)}  ${cols[4]!.padStart(9)}`;
  const lines = [
    `landform cost: the next ${cost.fullRefresh ? 'full-refresh ' : ''}dataform run on ${cost.warehouse}`,
    `schedule: ${cost.schedule.cron} (${cost.schedule.timeZone}, from ${cost.schedule.source}) = ${cost.schedule.runsPerMonth.toFixed(1)} runs a month; on-demand price $${cost.pricePerTib}/TiB`,
    '',
    row(['action', 'kind', 'processed', 'billed', 'per run']),
  ];
  for (const a of cost.actions) {
    lines.push(row([a.target, a.kind, formatBytes(a.bytesProcessed), formatBytes(a.bytesBilled), formatDollars(a.price)]));
    if (a.error) lines.push(`  ! dry run failed: ${a.error}`);
  }
  lines.push(row(['total', `${cost.actions.length} actions`, formatBytes(cost.perRun.bytesProcessed), formatBytes(cost.perRun.bytesBilled), formatDollars(cost.perRun.price)]));
  lines.push('');
  lines.push(`per month: ${cost.perMonth.runs.toFixed(1)} runs × ${formatBytes(cost.perRun.bytesBilled)} = ${formatBytes(cost.perMonth.bytesBilled)} billed, ${formatDollars(cost.perMonth.price)} at $${cost.pricePerTib}/TiB (before the free first 1 TiB a month)`);
  lines.push('billed: each job rounded up to a whole MB, at least 10 MB; clustering is not counted (BigQuery prunes clustered blocks only while running)');
  return lines;
}
