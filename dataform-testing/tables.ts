/**
 * The scratch tables of a test: raw inputs shaped exactly as the loader lands them (from the
 * contracts), and the rows written into them and into the target, through load jobs as the loader
 * writes (a table that requires a partition filter refuses `insert ... values`).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BigQuery, TableField } from '@google-cloud/bigquery';
import { datasetId, sqlIdentifier } from '../common/identifiers.js';
import type { ContractSet } from '../contracts/schema/index.js';
import { exportBatchesOptions, quarantineOptions, rawTableOptions, type TableOptions } from '../loader/publish/raw-schema.js';
import type { Target } from './graph.js';
import { TestFileError, type Row } from './spec.js';

/** Options of every table the raw layer can hold, by name. */
export function rawTableCatalog(contracts: ContractSet): Map<string, TableOptions> {
  const catalog = new Map<string, TableOptions>(contracts.tables.map(({ contract }) => [contract.name, rawTableOptions(contract)]));
  catalog.set('export_batches', exportBatchesOptions);
  catalog.set('quarantine', quarantineOptions);
  return catalog;
}

export async function ensureDatasets(bigquery: BigQuery, names: Iterable<string>): Promise<void> {
  for (const name of new Set(names)) {
    const dataset = bigquery.dataset(datasetId(name));
    const [exists] = await dataset.exists();
    if (!exists) await dataset.create({ location: 'US' });
  }
}

export async function createTable(bigquery: BigQuery, target: Target, options: TableOptions): Promise<void> {
  await bigquery.dataset(datasetId(target.schema)).createTable(sqlIdentifier(target.name, 'table'), options);
}

/** Unknown columns and missing REQUIRED ones, named by the row's field path, before any load job sees them. */
export function checkRows(file: string, field: string, rows: Row[], fields: TableField[], table: string): void {
  const known = new Map(fields.map((f) => [f.name ?? '', f]));
  rows.forEach((row, i) => {
    for (const column of Object.keys(row)) {
      if (!known.has(column)) throw new TestFileError(file, `${field}[${i}].${column}`, `${table} has no column ${column} (it has ${[...known.keys()].join(', ')})`);
    }
    for (const f of fields) {
      const value = row[f.name ?? ''];
      if (f.mode === 'REQUIRED' && (value === undefined || value === null)) {
        throw new TestFileError(file, `${field}[${i}]`, `${table}.${f.name} is REQUIRED: give it in the row or in defaults`);
      }
    }
  });
}

/** Appends rows with one NDJSON load job (nothing to do for none). */
export async function loadRows(bigquery: BigQuery, target: Target, rows: Row[], scratchDir: string): Promise<void> {
  if (rows.length === 0) return;
  const file = path.join(scratchDir, `${datasetId(target.schema)}.${sqlIdentifier(target.name, 'table')}.${Date.now()}.ndjson`);
  await writeFile(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  await bigquery.dataset(target.schema).table(target.name).load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND' });
}

export async function tableFields(bigquery: BigQuery, target: Target): Promise<{ fields: TableField[]; partitionColumn: string | undefined }> {
  const [metadata] = await bigquery.dataset(target.schema).table(target.name).getMetadata();
  const meta = metadata as { schema?: { fields?: TableField[] }; timePartitioning?: { field?: string } };
  return { fields: meta.schema?.fields ?? [], partitionColumn: meta.timePartitioning?.field };
}

export async function dropTable(bigquery: BigQuery, target: Target): Promise<void> {
  await bigquery.dataset(target.schema).table(target.name).delete({ ignoreNotFound: true });
}
