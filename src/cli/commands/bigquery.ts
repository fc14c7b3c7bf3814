import type { Command } from 'commander';

// Placeholder: replaced by the module that owns this subcommand.
export function registerBigQueryCommand(program: Command): void {
  program.command('bigquery').description('Run the embedded BigQuery server (BigQuery REST API on DuckDB). (not implemented yet)').action(() => {
    process.stderr.write('landform bigquery: not implemented yet\n');
    process.exitCode = 2;
  });
}
