import type { Command } from 'commander';

// Placeholder: replaced by the module that owns this subcommand.
export function registerDemoCommands(program: Command): void {
  program.command('demo').description('Run the whole pipeline on embedded defaults. (not implemented yet)').action(() => {
    process.stderr.write('landform demo: not implemented yet\n');
    process.exitCode = 2;
  });
}
