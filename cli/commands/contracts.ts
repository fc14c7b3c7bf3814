import type { Command } from 'commander';
import { ContractError, DEFAULT_CONTRACTS_DIR, validateContracts, type ContractSet } from '../../contracts/schema/index.js';

interface DirOption {
  dir: string;
}

/** `landform contracts validate|hash`: broken contracts print one `file: path: rule` line each and exit 1. */
export function registerContractsCommand(program: Command): void {
  const contracts = program.command('contracts').description('Validate the data contracts in contracts/ and print their hashes.');

  contracts
    .command('validate')
    .description('Check every contract against its schema and cross-field rules.')
    .option('--dir <path>', 'contracts directory', DEFAULT_CONTRACTS_DIR)
    .action(async (options: DirOption) => {
      const set = await loadOrReport(options.dir);
      if (!set) return;
      process.stdout.write(`ok: ${set.telemetry.file} (${Object.keys(set.telemetry.contract.metrics).length} metrics) and ${set.tables.length} table contracts\n`);
    });

  contracts
    .command('hash')
    .description('Print the canonical sha256 hash of each contract (reformatting the YAML does not change it).')
    .option('--dir <path>', 'contracts directory', DEFAULT_CONTRACTS_DIR)
    .option('--json', 'print one JSON object keyed by contract name')
    .action(async (options: DirOption & { json?: boolean }) => {
      const set = await loadOrReport(options.dir);
      if (!set) return;
      const rows: Array<[string, string, string]> = [
        [set.telemetry.contract.name, set.telemetry.hash, set.telemetry.file],
        ...set.tables.map((t): [string, string, string] => [t.contract.name, t.hash, t.file]),
      ];
      if (options.json) {
        process.stdout.write(`${JSON.stringify(Object.fromEntries(rows.map(([name, hash, file]) => [name, { hash, file }])), null, 2)}\n`);
      } else {
        for (const [, hash, file] of rows) process.stdout.write(`${hash}  ${file}\n`);
      }
    });
}

async function loadOrReport(dir: string): Promise<ContractSet | undefined> {
  try {
    const result = await validateContracts(dir);
    if (result.ok) return result.set;
    for (const error of result.errors) process.stderr.write(`${error.message}\n`);
    process.stderr.write(`${result.errors.length} contract error(s)\n`);
  } catch (error) {
    // Filesystem trouble (permissions, a directory where a file should be): one line, no stack.
    const message = error instanceof ContractError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`landform contracts: ${message}\n`);
  }
  process.exitCode = 1;
  return undefined;
}
