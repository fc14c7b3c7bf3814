/** Reads contracts/ from disk: the telemetry metrics contract and every table contract, validated and hashed. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalHash } from './canonical.js';
import { ContractError } from './errors.js';
import { checkTableContract, checkTelemetryContract, parseYamlText } from './parse.js';
import type { TableContract, TelemetryContract } from './schema.js';

export interface LoadedContract<T> {
  contract: T;
  /** sha256 hex of the canonical form; a table's hash also covers its metrics contract. */
  hash: string;
  /** Path relative to the repository root (the parent of the contracts directory). */
  file: string;
}

export interface ContractSet {
  telemetry: LoadedContract<TelemetryContract>;
  tables: LoadedContract<TableContract>[];
}

export const TELEMETRY_CONTRACT = 'telemetry/v1.yaml';
export const DEFAULT_CONTRACTS_DIR = fileURLToPath(new URL('..', import.meta.url));

export type ValidationResult = { ok: true; set: ContractSet } | { ok: false; errors: ContractError[] };

/** What a valid contracts directory held when it was last parsed: every file's text, the table file names, the set. */
interface Parsed {
  texts: Map<string, string | undefined>;
  names: string[];
  set: ContractSet;
}

/**
 * Parsed sets by directory, so a process that loads the same contracts again (a loader running
 * batch after batch) reads the files but does not parse and validate them again (30 to 50 ms).
 * Any change of a file's text or of the table files listed parses everything again.
 */
const parsed = new Map<string, Parsed>();

/** Every problem in the contracts directory, or the loaded set when there is none. */
export async function validateContracts(rootDir: string = DEFAULT_CONTRACTS_DIR): Promise<ValidationResult> {
  const root = path.resolve(rootDir);
  const kept = parsed.get(root);
  // a copy: a caller that changes its contracts must not change the next caller's
  if (kept && (await unchanged(root, kept))) return { ok: true, set: structuredClone(kept.set) };
  const texts = new Map<string, string | undefined>();
  const names = await tableFileNames(root);
  const result = await parseContracts(root, names, async (file) => {
    const text = await readText(file);
    texts.set(file, text);
    return text;
  });
  if (result.ok) parsed.set(root, { texts, names, set: structuredClone(result.set) });
  else parsed.delete(root);
  return result;
}

async function tableFileNames(root: string): Promise<string[]> {
  return (await readdir(path.join(root, 'tables')).catch(() => [] as string[])).filter((n) => /\.ya?ml$/.test(n)).sort();
}

/** Whether the directory still lists the same table files and every file read holds the same text. */
async function unchanged(root: string, kept: Parsed): Promise<boolean> {
  const names = await tableFileNames(root);
  if (names.length !== kept.names.length || names.some((n, i) => n !== kept.names[i])) return false;
  for (const [file, text] of kept.texts) if ((await readText(file)) !== text) return false;
  return true;
}

async function parseContracts(root: string, names: string[], readText: (file: string) => Promise<string | undefined>): Promise<ValidationResult> {
  const display = (abs: string) => path.relative(path.dirname(root), abs).split(path.sep).join('/');
  const errors: ContractError[] = [];

  // undefined marks a metrics contract already reported broken, so its errors are listed once.
  const telemetryByPath = new Map<string, LoadedContract<TelemetryContract> | undefined>();
  const loadTelemetry = async (relative: string, referencedFrom?: ContractError): Promise<LoadedContract<TelemetryContract> | undefined> => {
    if (telemetryByPath.has(relative)) return telemetryByPath.get(relative);
    telemetryByPath.set(relative, undefined);
    const abs = path.join(root, relative);
    const text = await readText(abs);
    if (text === undefined) {
      errors.push(referencedFrom ?? new ContractError(display(abs), '(root)', 'file not found'));
      return undefined;
    }
    const yaml = parseYamlText(text, display(abs));
    const checked = yaml.ok ? checkTelemetryContract(yaml.value, display(abs)) : yaml;
    if (!checked.ok) {
      errors.push(...checked.errors);
      return undefined;
    }
    const loaded = { contract: checked.contract, hash: canonicalHash(checked.contract), file: display(abs) };
    telemetryByPath.set(relative, loaded);
    return loaded;
  };

  const telemetry = await loadTelemetry(TELEMETRY_CONTRACT);
  const tablesDir = path.join(root, 'tables');
  if (names.length === 0) errors.push(new ContractError(display(tablesDir), '(root)', 'no table contracts (*.yaml) found'));

  const tables: LoadedContract<TableContract>[] = [];
  for (const name of names) {
    const abs = path.join(tablesDir, name);
    const file = display(abs);
    const yaml = parseYamlText((await readText(abs)) ?? '', file);
    const checked = yaml.ok ? checkTableContract(yaml.value, file, name.replace(/\.ya?ml$/, '')) : yaml;
    if (!checked.ok) {
      errors.push(...checked.errors);
      continue;
    }
    const table = checked.contract;
    let metrics: TelemetryContract | undefined;
    if (table.metrics_contract !== undefined) {
      const missing = new ContractError(file, 'metrics_contract', `${table.metrics_contract} does not exist under ${display(root)}/`);
      const loaded = await loadTelemetry(table.metrics_contract, missing);
      if (!loaded) continue;
      metrics = loaded.contract;
    }
    // The metrics contract's content (not its path) is part of the table's identity.
    const hash = canonicalHash(metrics ? { ...table, metrics_contract: metrics } : table);
    tables.push({ contract: table, hash, file });
  }

  const seen = new Map<string, string>();
  for (const t of tables) {
    const key = `${t.contract.source.schema}.${t.contract.source.table}`;
    const other = seen.get(key);
    if (other) errors.push(new ContractError(t.file, 'source', `source ${key} is already exported by ${other}`));
    seen.set(key, t.file);
  }

  if (errors.length > 0 || !telemetry) return { ok: false, errors };
  return { ok: true, set: { telemetry, tables } };
}

/** The validated contract set; throws the first ContractError when any contract is broken. */
export async function loadContracts(rootDir?: string): Promise<ContractSet> {
  const result = await validateContracts(rootDir);
  if (!result.ok) throw result.errors[0] ?? new ContractError(rootDir ?? 'contracts', '(root)', 'invalid contracts');
  return result.set;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
