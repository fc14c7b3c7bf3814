/**
 * The Dataform project of this repository, copied to a temp dir the Dataform CLI accepts offline,
 * run against an embedded BigQuery whose raw tables are created (empty) from the contracts.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BigQuery, TableField } from '@google-cloud/bigquery';
import type { ContractSet, TableContract } from '../../contracts/schema/index.js';
import { REPO_ROOT } from './load-includes.js';

const DATAFORM_CLI = path.join(REPO_ROOT, 'node_modules/@dataform/cli/bundle.js');
const GRANULARITY = { hour: 'HOUR', day: 'DAY', month: 'MONTH', year: 'YEAR' } as const;

export interface ProjectCopy {
  root: string;
  projectDir: string;
  credentials: string;
  cleanup(): Promise<void>;
}

export async function copyProject(): Promise<ProjectCopy> {
  const root = await mkdtemp(path.join(tmpdir(), 'landform-dataform-run-'));
  const projectDir = path.join(root, 'project');
  for (const entry of ['definitions', 'includes', 'contracts', 'workflow_settings.yaml', 'package.json']) {
    await cp(path.join(REPO_ROOT, entry), path.join(projectDir, entry), { recursive: true });
  }
  // A symlinked node_modules is refused by the compile sandbox (it resolves real paths).
  await cp(path.join(REPO_ROOT, 'node_modules/@dataform/core'), path.join(projectDir, 'node_modules/@dataform/core'), { recursive: true });
  const credentials = path.join(root, '.df-credentials.json');
  await writeFile(credentials, JSON.stringify({ projectId: 'landform-local', location: 'US' }));
  return { root, projectDir, credentials, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function runDataform(copy: ProjectCopy, env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DATAFORM_CLI, ...args, copy.projectDir, '--credentials', copy.credentials], {
      cwd: copy.projectDir,
      env: { PATH: process.env.PATH ?? '', HOME: copy.root, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const LOADER_FIELDS: TableField[] = [
  { name: '_batch_id', type: 'STRING', mode: 'REQUIRED' },
  { name: '_extracted_at', type: 'TIMESTAMP', mode: 'REQUIRED' },
  { name: '_contract_hash', type: 'STRING', mode: 'REQUIRED' },
];

function rawSchema(contract: TableContract): TableField[] {
  const columns = contract.columns.filter((c) => c.privacy !== 'drop').map((c): TableField => ({ name: c.name, type: c.type, mode: c.mode }));
  // Tables whose hard deletes the loader scans for carry the tombstone marker too.
  return [...columns, ...LOADER_FIELDS, ...(contract.deletes ? [{ name: '_deleted_at', type: 'TIMESTAMP', mode: 'NULLABLE' }] : [])];
}

/** landform_raw as docs/conventions.md describes it, every table empty. */
export async function createRawLayer(bigquery: BigQuery, contracts: ContractSet): Promise<void> {
  const [dataset] = await bigquery.createDataset('landform_raw', { location: 'US' });
  for (const { contract } of contracts.tables) {
    await dataset.createTable(contract.name, {
      schema: { fields: rawSchema(contract) },
      timePartitioning: { type: GRANULARITY[contract.partition.granularity], field: contract.partition.column },
      ...(contract.cluster_by.length > 0 ? { clustering: { fields: contract.cluster_by } } : {}),
      requirePartitionFilter: contract.require_partition_filter,
    });
  }
  await dataset.createTable('export_batches', {
    schema: {
      fields: [
        ['batch_id', 'STRING'], ['table_name', 'STRING'], ['contract_version', 'STRING'], ['contract_hash', 'STRING'], ['status', 'STRING'],
        ['started_at', 'TIMESTAMP'], ['finished_at', 'TIMESTAMP'], ['watermark_from', 'TIMESTAMP'], ['watermark_to', 'TIMESTAMP'],
        ['watermark_to_key', 'STRING'], ['stage_uri', 'STRING'], ['rows_extracted', 'INT64'], ['rows_loaded', 'INT64'],
        ['rows_skipped_duplicate', 'INT64'], ['rows_quarantined', 'INT64'], ['load_job_id', 'STRING'], ['error', 'STRING'],
      ].map(([name, type]): TableField => ({ name, type })),
    },
    timePartitioning: { type: 'DAY', field: 'started_at' },
    clustering: { fields: ['table_name'] },
  });
  await dataset.createTable('quarantine', {
    schema: { fields: [['batch_id', 'STRING'], ['table_name', 'STRING'], ['reason', 'STRING'], ['row_json', 'STRING'], ['quarantined_at', 'TIMESTAMP']].map(([name, type]): TableField => ({ name, type })) },
  });
}
