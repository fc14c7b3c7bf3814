import type { BatchResult } from '../loader/index.js';
import type { DataformResult } from './dataform.js';
import type { MartFigures } from './headlines.js';
import type { TableCounts } from './seed.js';

/** A landed batch as the summary and the report show it: the loader's own result, minus staging details. */
export type LandedBatch = Pick<
  BatchResult,
  'table' | 'batchId' | 'status' | 'rowsExtracted' | 'rowsLoaded' | 'rowsSkippedDuplicate' | 'rowsQuarantined' | 'contractHash' | 'error'
>;

/** What a run of the demo pipeline did, for the summary, the report and the exit code. */
export interface DemoRunResult {
  ok: boolean;
  /** 0 ok; 1 the run failed (a batch, an action, a test); 2 a configuration or readiness problem the person fixes. */
  exitCode: 0 | 1 | 2;
  /** From `export_batches` before landing; `unknown` when the warehouse was never reached. */
  path: 'first-load' | 'incremental' | 'unknown';
  source: string;
  warehouse: string;
  seeded: TableCounts | null;
  batches: LandedBatch[];
  run: DataformResult | null;
  test: DataformResult | null;
  figures: MartFigures;
  reportFile: string | null;
  /** On a failed run: the last successful run's report, left in place beside this one. */
  lastGoodReportFile?: string | null;
  problems: string[];
  seconds: number;
}

function pad(value: string, width: number): string {
  return value.length >= width ? value : value + ' '.repeat(width - value.length);
}

function lpad(value: string, width: number): string {
  return value.length >= width ? value : ' '.repeat(width - value.length) + value;
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

/** The concise, human summary printed on stdout; its last line points at the report. */
export function formatSummary(result: DemoRunResult): string {
  const lines: string[] = [];
  const pathText = result.path === 'first-load'
    ? 'first load (no earlier batches: every table read from the start, models built from scratch)'
    : result.path === 'incremental'
      ? 'incremental (each table read from its last watermark, curated tables merged)'
      : 'stopped before reaching the warehouse (nothing landed)';
  lines.push(`landform demo: ${result.ok ? 'OK' : 'FAILED'} in ${result.seconds.toFixed(1)}s — ${pathText}`);
  if (result.source !== '') lines.push(`source:    ${result.source}`);
  if (result.warehouse !== '') lines.push(`warehouse: ${result.warehouse}`);
  if (result.seeded !== null) {
    const total = Object.values(result.seeded).reduce((s, v) => s + v, 0);
    lines.push(`seeded:    ${n(total)} rows in ${Object.keys(result.seeded).length} source tables`);
  }
  if (result.batches.length > 0) {
    lines.push('');
    lines.push(`${pad('table', 22)}${lpad('extracted', 10)}${lpad('landed', 10)}${lpad('dup skip', 10)}${lpad('quarant.', 10)}  status`);
    for (const b of result.batches) {
      lines.push(`${pad(b.table, 22)}${lpad(n(b.rowsExtracted), 10)}${lpad(n(b.rowsLoaded), 10)}${lpad(n(b.rowsSkippedDuplicate), 10)}${lpad(n(b.rowsQuarantined), 10)}  ${b.status}${b.error ? `: ${b.error}` : ''}`);
    }
    const sum = (f: (b: LandedBatch) => number): number => result.batches.reduce((s, b) => s + f(b), 0);
    lines.push(`${pad('total', 22)}${lpad(n(sum((b) => b.rowsExtracted)), 10)}${lpad(n(sum((b) => b.rowsLoaded)), 10)}${lpad(n(sum((b) => b.rowsSkippedDuplicate)), 10)}${lpad(n(sum((b) => b.rowsQuarantined)), 10)}`);
  }
  if (result.run !== null) {
    const actions = result.run.actions;
    const models = actions.filter((a) => a.kind !== 'assertion');
    const assertions = actions.filter((a) => a.kind === 'assertion');
    lines.push('');
    lines.push(`dataform run: ${models.filter((a) => a.status === 'succeeded').length}/${models.length} actions succeeded in ${result.run.seconds.toFixed(1)}s`);
    for (const a of models) {
      lines.push(`  ${pad(a.status === 'succeeded' ? 'ok' : a.status, 8)}${pad(a.target, 52)}${pad(a.kind, 12)}${a.seconds === undefined ? '' : `${a.seconds.toFixed(2)}s`}${a.error ? `  ${a.error}` : ''}`);
    }
    const failed = assertions.filter((a) => a.status !== 'succeeded');
    lines.push(`assertions: ${assertions.length - failed.length} passed, ${failed.length} failed`);
    for (const a of failed) lines.push(`  ${a.status} ${a.target}${a.error ? `: ${a.error}` : ''}`);
    for (const e of result.run.compileErrors) lines.push(`  compile error: ${e}`);
  }
  if (result.test !== null) {
    const t = result.test.tests;
    lines.push(`dataform test: ${t.filter((x) => x.passed).length} passed, ${t.filter((x) => !x.passed).length} failed`);
    for (const x of t.filter((y) => !y.passed)) lines.push(`  failed ${x.name}`);
  }
  if (result.figures.headlines.length > 0 || result.figures.missing.length > 0) {
    lines.push('');
    for (const h of result.figures.headlines) lines.push(h);
    for (const m of result.figures.missing) lines.push(`(unavailable) ${m}`);
  }
  if (result.problems.length > 0) {
    lines.push('');
    for (const p of result.problems) lines.push(`problem: ${p}`);
  }
  lines.push('');
  const lastGood = result.lastGoodReportFile ? ` (this run's failure; the last good run's report: file://${result.lastGoodReportFile})` : '';
  lines.push(result.reportFile === null ? 'report: not written' : `report: file://${result.reportFile}${lastGood}`);
  return lines.join('\n');
}
