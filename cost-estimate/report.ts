/** The estimate in the demo's report: saved beside it, and added to the report last written. */
import { statePaths } from '../demo/paths.js';
import { addCostToReport } from '../demo/report/last-good.js';
import type { RunCost } from './estimate.js';

export async function saveForReport(stateRoot: string, cost: RunCost): Promise<string | null> {
  const { actions, perRun, perMonth, generatedAt, warehouse, fullRefresh, pricePerTib, schedule } = cost;
  return addCostToReport(statePaths(stateRoot).report, {
    generatedAt, warehouse, fullRefresh, pricePerTib, perRun, perMonth,
    schedule: { cron: schedule.cron, runsPerMonth: schedule.runsPerMonth },
    actions: actions.map((a) => ({ target: a.target, kind: a.kind, bytesProcessed: a.bytesProcessed, bytesBilled: a.bytesBilled, price: a.price })),
  });
}
