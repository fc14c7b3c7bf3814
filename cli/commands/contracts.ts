import type { Command } from 'commander';
import path from 'node:path';
import { BIGQUERY_SCHEMAS_DIR, schemaDrift, schemaFiles, writeSchemaFiles } from '../../contracts/schema/bigquery-json.js';
import { ContractError, DEFAULT_CONTRACTS_DIR, validateContracts, type ContractSet } from '../../contracts/schema/index.js';

interface DirOption {
  dir: string;
}

interface SchemaOptions extends DirOption {
  format: string;
  out?: string;
  check?: boolean;
}

/** `landform contracts validate|hash|schema`: broken contracts print one `file: path: rule` line each and exit 1. */
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

  contracts
    .command('schema')
    .description(`Write one BigQuery JSON schema file per table contract (the raw table as the loader creates it), by default into contracts/${BIGQUERY_SCHEMAS_DIR}.`)
    .option('--format <format>', 'output format (bigquery-json)', 'bigquery-json')
    .option('--dir <path>', 'contracts directory', DEFAULT_CONTRACTS_DIR)
    .option('--out <dir>', `output directory (default: <contracts dir>/${BIGQUERY_SCHEMAS_DIR})`)
    .option('--check', 'write nothing; exit 1 naming each file that differs from the contracts')
    .action(async (options: SchemaOptions) => {
      if (options.format !== 'bigquery-json') {
        process.stderr.write(`landform contracts schema: unknown --format ${JSON.stringify(options.format)} (supported: bigquery-json)\n`);
        process.exitCode = 2;
        return;
      }
      const set = await loadOrReport(options.dir);
      if (!set) return;
      const out = path.resolve(options.out ?? path.join(options.dir, BIGQUERY_SCHEMAS_DIR));
      const expected = schemaFiles(set.tables.map((t) => t.contract));
      if (options.check) {
        const drift = await schemaDrift(out, expected);
        const lines = [
          ...drift.missing.map((n) => `missing: ${n}`),
          ...drift.changed.map((n) => `differs from its contract: ${n}`),
          ...drift.extra.map((n) => `no contract: ${n}`),
        ];
        if (lines.length === 0) {
          process.stdout.write(`ok: ${expected.size} schema files in ${path.relative(process.cwd(), out) || '.'} match the contracts\n`);
          return;
        }
        for (const line of lines) process.stderr.write(`${line}\n`);
        process.stderr.write(`run \`landform contracts schema --format bigquery-json\` to regenerate them\n`);
        process.exitCode = 1;
        return;
      }
      const written = await writeSchemaFiles(out, expected);
      process.stdout.write(`wrote ${written.length} schema files to ${path.relative(process.cwd(), out) || '.'}\n`);
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
