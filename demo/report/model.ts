import type { DataformAction, DataformTest } from '../dataform.js';

/** One row of `landform_raw.export_batches`, as the report shows it. */
export interface LineageBatch {
  batchId: string;
  table: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  watermarkFrom: string | null;
  watermarkTo: string | null;
  rowsExtracted: number;
  rowsLoaded: number;
  rowsSkippedDuplicate: number;
  rowsQuarantined: number;
  contractHash: string;
  error?: string | null;
}

export interface Freshness {
  table: string;
  lastSuccessAt: string | null;
  watermarkTo: string | null;
  /** Minutes between the newest landed cursor value and the report time. */
  lagMinutes: number | null;
}

export interface ChartPoint {
  label: string;
  value: number;
}

export interface Chart {
  id: string;
  title: string;
  unit: string;
  kind: 'bar' | 'line';
  points: ChartPoint[];
  /** Where the figures come from (mart table). */
  source: string;
  /** The span of data the chart covers, in words ("2026-10-28 → 2026-11-27, 31 days"). */
  window?: string;
  /** Labels (days) whose data is not complete yet: marked, not read as a drop. */
  partial?: string[];
}

/** Quarantined rows of one table and reason: all-time count, this run's count and a few samples. */
export interface QuarantineReason {
  table: string;
  reason: string;
  count: number;
  thisRun: number;
  samples: string[];
}

/** A failed assertion with the rows its query returned (up to 10) and the query itself. */
export interface AssertionDetail {
  target: string;
  /** The table the assertion checks (its dependency in the compiled graph), or null when unknown. */
  table: string | null;
  rows: Array<Record<string, string>>;
  sql: string | null;
}

/** One action of the compiled Dataform graph, for the DAG drawing. */
export interface DagNode {
  /** `dataset.name` */
  id: string;
  kind: 'declaration' | 'table' | 'view' | 'incremental' | 'operation';
  dependsOn: string[];
  /** Inline and cross-table assertions that depend on this node. */
  assertions: string[];
}

/** What this run alone did, shown apart from the all-time figures of the lineage. */
export interface ThisRun {
  batchIds: string[];
  rowsExtracted: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  seconds: number;
}

export interface RunReport {
  generatedAt: string;
  /** From `export_batches` before this run landed anything; `unknown` when the warehouse was not reached. */
  path: 'first-load' | 'incremental' | 'unknown';
  source: string;
  warehouse: string;
  batches: LineageBatch[];
  freshness: Freshness[];
  actions: DataformAction[];
  tests: DataformTest[];
  charts: Chart[];
  ok: boolean;
  problems: string[];
  thisRun?: ThisRun;
  /** On a failed run: the last successful run's report, kept beside this one. */
  lastGood?: { generatedAt: string; href: string } | null;
  /** Sections of a failed run's report filled from the last good run, because this run could not read them. */
  borrowed?: Array<'lineage' | 'charts'>;
  quarantine?: QuarantineReason[];
  assertionDetails?: AssertionDetail[];
  graph?: DagNode[];
  /** The last `landform cost` estimate of the next scheduled run, when one was made. */
  cost?: ReportCost | null;
}

/** What the report shows of a `landform cost` estimate (the shape cost-estimate/ writes). */
export interface ReportCost {
  generatedAt: string;
  warehouse: string;
  fullRefresh: boolean;
  pricePerTib: number;
  schedule: { cron: string; runsPerMonth: number };
  actions: Array<{ target: string; kind: string; bytesProcessed: number; bytesBilled: number; price: number }>;
  perRun: { bytesProcessed: number; bytesBilled: number; price: number };
  perMonth: { runs: number; bytesProcessed: number; bytesBilled: number; price: number };
}
