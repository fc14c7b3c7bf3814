/**
 * BigQuery JSON schema files from the table contracts: the form `bq mk --schema <file>` and
 * Terraform's `google_bigquery_table.schema` (via `file()`) take — a JSON array of fields, each with
 * name, type, mode and description, and `fields` for a RECORD's nested fields. One file per table
 * contract describes its raw table as the loader creates it: the contract columns that survive
 * privacy (`drop` never reaches BigQuery), then the loader's metadata columns.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TableContract } from './schema.js';

export interface BigQueryJsonField {
  name: string;
  type: string;
  mode: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  description?: string;
  /** Nested fields of a RECORD column. */
  fields?: BigQueryJsonField[];
}

/** The raw layer's metadata columns, in the order and with the text the loader gives them. */
export const RAW_METADATA_FIELDS: readonly BigQueryJsonField[] = [
  { name: '_batch_id', type: 'STRING', mode: 'REQUIRED', description: 'Loader batch that landed this row (landform_raw.export_batches.batch_id).' },
  { name: '_extracted_at', type: 'TIMESTAMP', mode: 'REQUIRED', description: 'Start of the Postgres snapshot the row was read from (UTC).' },
  { name: '_contract_hash', type: 'STRING', mode: 'REQUIRED', description: 'sha256 of the table contract the row was shaped by.' },
];

/** Set on tombstone rows only (tables with `deletes: key_scan`): when the loader found the key gone from the source. */
export const DELETED_AT_FIELD: BigQueryJsonField = {
  name: '_deleted_at',
  type: 'TIMESTAMP',
  mode: 'NULLABLE',
  description: 'Tombstone: when the loader found this primary key gone from the source (the key scan\'s snapshot, UTC); null on every row Postgres still has.',
};

/** The loader's metadata columns of one contract's raw table: `_deleted_at` only where deletes are scanned. */
export function rawMetadataFields(contract: TableContract): BigQueryJsonField[] {
  return [...RAW_METADATA_FIELDS, ...(contract.deletes ? [DELETED_AT_FIELD] : [])].map((f) => ({ ...f }));
}

/** Where the checked-in files live, relative to the contracts directory; `v1` is the file format's version. */
export const BIGQUERY_SCHEMAS_DIR = 'bigquery-schemas/v1';

export const schemaFileName = (contract: TableContract): string => `${contract.name}.schema.json`;

/** The raw table's fields for one contract. */
export function bigQueryJsonSchema(contract: TableContract): BigQueryJsonField[] {
  const columns = contract.columns
    .filter((c) => c.privacy !== 'drop')
    .map((c): BigQueryJsonField => ({ name: c.name, type: c.type, mode: c.mode, description: c.description }));
  return [...columns, ...rawMetadataFields(contract)];
}

/** The file's text: two-space JSON with a final newline, keys in a fixed order so output is stable. */
export function renderSchemaFile(fields: BigQueryJsonField[]): string {
  const ordered = (f: BigQueryJsonField): BigQueryJsonField => ({
    name: f.name,
    type: f.type,
    mode: f.mode,
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(f.fields ? { fields: f.fields.map(ordered) } : {}),
  });
  return `${JSON.stringify(fields.map(ordered), null, 2)}\n`;
}

/** File name → text for every table contract. */
export function schemaFiles(contracts: readonly TableContract[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of [...contracts].sort((a, b) => a.name.localeCompare(b.name))) files.set(schemaFileName(c), renderSchemaFile(bigQueryJsonSchema(c)));
  return files;
}

export interface SchemaDrift {
  /** Files the contracts give that are missing from the directory. */
  missing: string[];
  /** Files whose text differs from what the contracts give. */
  changed: string[];
  /** `*.schema.json` files in the directory no contract gives. */
  extra: string[];
}

/** How the files in `dir` differ from what the contracts give; all three lists empty when in step. */
export async function schemaDrift(dir: string, expected: Map<string, string>): Promise<SchemaDrift> {
  const present = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.schema.json'));
  const drift: SchemaDrift = { missing: [], changed: [], extra: present.filter((n) => !expected.has(n)).sort() };
  for (const [name, text] of expected) {
    if (!present.includes(name)) drift.missing.push(name);
    else if ((await readFile(path.join(dir, name), 'utf8')) !== text) drift.changed.push(name);
  }
  return drift;
}

/** Writes every file and removes `*.schema.json` files no contract gives any more; returns the names written. */
export async function writeSchemaFiles(dir: string, expected: Map<string, string>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const { extra } = await schemaDrift(dir, expected);
  for (const name of extra) await rm(path.join(dir, name));
  for (const [name, text] of expected) await writeFile(path.join(dir, name), text);
  return [...expected.keys()];
}
