import type { Command } from 'commander';

// Placeholder: replaced by the module that owns this subcommand.
export function registerContractsCommand(program: Command): void {
  program.command('contracts').description('Validate data contracts and print their hashes. (not implemented yet)').action(() => {
    process.stderr.write('landform contracts: not implemented yet\n');
    process.exitCode = 2;
  });
}
