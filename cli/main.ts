import { Command } from 'commander';
import { registerBigQueryCommand } from './commands/bigquery.js';
import { registerContractsCommand } from './commands/contracts.js';
import { registerCostCommand } from './commands/cost.js';
import { registerDataformCommand } from './commands/dataform.js';
import { registerDemoCommands } from './commands/demo.js';
import { registerExtractCommand } from './commands/extract.js';
import { registerLoadCommand } from './commands/load.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTestCommand } from './commands/test.js';
import { registerTokenCommand } from './commands/token.js';

/** Builds the `landform` command; each subcommand registers itself from its own module. */
export function buildProgram(): Command {
  const program = new Command('landform')
    .description('Land Postgres and telemetry into BigQuery and model it with Dataform.')
    .version('0.1.0');
  registerContractsCommand(program);
  registerBigQueryCommand(program);
  registerLoadCommand(program);
  registerDemoCommands(program);
  registerDataformCommand(program);
  registerExtractCommand(program);
  registerServeCommand(program);
  registerTestCommand(program);
  registerCostCommand(program);
  registerTokenCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
