import type { Command } from 'commander';

// Placeholder: replaced by the module that owns this subcommand.
export function registerLoadCommand(program: Command): void {
  program.command('load').description('Land Postgres tables into the BigQuery raw layer. (not implemented yet)').action(() => {
    process.stderr.write('landform load: not implemented yet\n');
    process.exitCode = 2;
  });
}
