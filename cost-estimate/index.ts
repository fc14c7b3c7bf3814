/** `landform cost`: what each action of the next scheduled `dataform run` would process and cost on BigQuery on demand. */
export { estimateRunCost, costOf, type ActionCost, type EstimateOptions, type RunCost } from './estimate.js';
export { planNextRun, actionsOfGraph, type PlannedAction } from './plan.js';
export { dryRunActions, type ActionBytes } from './dry-run.js';
export { billedForJob, priceOf, DEFAULT_PRICE_PER_TIB, TIB } from './price.js';
export { readSchedule, runsPerMonth, terraformDefault, type Schedule } from './schedule.js';
export { costLines, formatBytes, formatDollars } from './format.js';
export { openCostWarehouse, type CostWarehouse } from './warehouse.js';
export { saveForReport } from './report.js';
