/** The cost of the next scheduled `dataform run`: per action and in total, per run and per month. */
import type { BigQuery } from '@google-cloud/bigquery';
import { dryRunActions, type ActionBytes } from './dry-run.js';
import { planNextRun, type PlanOptions } from './plan.js';
import { priceOf } from './price.js';
import type { Schedule } from './schedule.js';

export interface ActionCost extends ActionBytes {
  /** On-demand price of one run of this action, in dollars. */
  price: number;
}

export interface RunCost {
  generatedAt: string;
  warehouse: string;
  fullRefresh: boolean;
  pricePerTib: number;
  schedule: Schedule;
  actions: ActionCost[];
  perRun: { bytesProcessed: number; bytesBilled: number; price: number };
  perMonth: { runs: number; bytesProcessed: number; bytesBilled: number; price: number };
}

export interface EstimateOptions extends PlanOptions {
  bigquery: BigQuery;
  location: string;
  warehouse: string;
  pricePerTib: number;
  schedule: Schedule;
}

export async function estimateRunCost(options: EstimateOptions): Promise<RunCost> {
  const planned = await planNextRun(options);
  const bytes = await dryRunActions(options.bigquery, planned, options.location);
  return costOf(bytes, options);
}

/** Prices dry-run bytes: each action's billed bytes at the price, the run's total, and the schedule's month. */
export function costOf(bytes: ActionBytes[], options: Pick<EstimateOptions, 'pricePerTib' | 'schedule' | 'warehouse' | 'fullRefresh'>): RunCost {
  const actions = bytes.map((b) => ({ ...b, price: priceOf(b.bytesBilled, options.pricePerTib) }));
  const processed = actions.reduce((t, a) => t + a.bytesProcessed, 0);
  const billed = actions.reduce((t, a) => t + a.bytesBilled, 0);
  const runs = options.schedule.runsPerMonth;
  return {
    generatedAt: new Date().toISOString(),
    warehouse: options.warehouse,
    fullRefresh: options.fullRefresh === true,
    pricePerTib: options.pricePerTib,
    schedule: options.schedule,
    actions,
    perRun: { bytesProcessed: processed, bytesBilled: billed, price: priceOf(billed, options.pricePerTib) },
    perMonth: { runs, bytesProcessed: processed * runs, bytesBilled: billed * runs, price: priceOf(billed, options.pricePerTib) * runs },
  };
}
