import { InvalidArgumentError, type Command } from 'commander';

interface CostOptions {
  project?: string;
  location?: string;
  pricePerTib?: number;
  runsPerMonth?: number;
  json?: boolean;
  fullRefresh?: boolean;
  actions?: string;
  projectDir?: string;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expects a number, 0 or more');
  return n;
}

/**
 * `landform cost`: the bytes each action of the next scheduled `dataform run` would process (the
 * CLI's own execution plan, each statement dry-run on the warehouse), its on-demand price, and the
 * month at the schedule in infra/. On the demo's embedded BigQuery by default; `--project` for a
 * real one. Exit 0 with the estimate, 1 when it could not be made, 2 for a bad option or a demo
 * state held by another run.
 */
export function registerCostCommand(program: Command): void {
  program
    .command('cost')
    .description('Estimate what the next scheduled `dataform run` processes and costs on BigQuery on demand (dry runs, nothing written)')
    .option('--project <id>', 'dry-run on this real BigQuery project (application default credentials) instead of the demo')
    .option('--location <location>', 'BigQuery location with --project (default: $LANDFORM_LOCATION, else US)')
    .option('--price-per-tib <dollars>', 'on-demand price per TiB (default: BigQuery\'s list price, 6.25)', positive)
    .option('--runs-per-month <n>', 'runs a month (default: from the dataform_schedule cron in infra/variables.tf)', positive)
    .option('--full-refresh', 'estimate a full-refresh run instead (every incremental table rebuilt)')
    .option('--actions <names>', 'only these actions (comma-separated, as `dataform run --actions`)')
    .option('--json', 'print the estimate as JSON')
    .option('--project-dir <dir>', 'the Dataform project (default: this repository)')
    .action(async (options: CostOptions) => {
      const path = await import('node:path');
      const { REPO_ROOT } = await import('../../demo/paths.js');
      const { createRunLogger } = await import('../../common/human-log.js');
      const { createLogger } = await import('../../common/logger.js');
      const cost = await import('../../cost-estimate/index.js');
      const logger = createRunLogger('cost', { tty: process.stderr.isTTY === true, level: process.env.LANDFORM_LOG_LEVEL || 'warn', json: createLogger });
      const projectDir = path.resolve(options.projectDir ?? REPO_ROOT);
      let schedule: Awaited<ReturnType<typeof cost.readSchedule>>;
      try {
        schedule = await cost.readSchedule(projectDir);
        if (options.runsPerMonth !== undefined) schedule = { ...schedule, runsPerMonth: options.runsPerMonth, source: '--runs-per-month' };
      } catch (error) {
        process.stderr.write(`landform cost: ${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      let warehouse: Awaited<ReturnType<typeof cost.openCostWarehouse>>;
      try {
        warehouse = await cost.openCostWarehouse({ env: process.env, logger, ...(options.project !== undefined ? { project: options.project } : {}), ...(options.location !== undefined ? { location: options.location } : {}) });
      } catch (error) {
        process.stderr.write(`landform cost: ${(error as Error).message}\n`);
        process.exitCode = (error as { exitCode?: unknown }).exitCode === 2 ? 2 : 1;
        return;
      }
      try {
        const estimate = await cost.estimateRunCost({
          projectDir, credentialsFile: warehouse.credentialsFile, env: warehouse.env, bigquery: warehouse.bigquery, location: warehouse.location,
          warehouse: warehouse.describe, pricePerTib: options.pricePerTib ?? cost.DEFAULT_PRICE_PER_TIB, schedule,
          ...(warehouse.defaultDatabase !== undefined ? { defaultDatabase: warehouse.defaultDatabase } : {}),
          ...(options.fullRefresh === true ? { fullRefresh: true } : {}),
          ...(options.actions !== undefined ? { actions: options.actions.split(',').map((a) => a.trim()).filter(Boolean) } : {}),
        });
        // the report shows the scheduled run: not a full refresh, not a subset of actions
        if (warehouse.stateRoot !== null && options.fullRefresh !== true && options.actions === undefined) await cost.saveForReport(warehouse.stateRoot, estimate);
        process.stdout.write(options.json === true ? `${JSON.stringify(estimate, null, 2)}\n` : `${cost.costLines(estimate).join('\n')}\n`);
        if (estimate.actions.some((a) => a.error !== undefined)) process.exitCode = 1;
      } catch (error) {
        process.stderr.write(`landform cost: ${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await warehouse.stop();
      }
    });
}
