/**
 * Lineage of exports: one row per run and export in `<raw dataset>.extract_runs`. Decision: a table
 * of its own beside the loader's export_batches rather than export_batches with a direction
 * column, because an extract has no Postgres source, cursor window or batch files, and the
 * loader's readers (freshness marts, `landform load` status) would all have to learn to skip
 * outbound rows. The columns follow export_batches' naming where the meaning is the same.
 */
import type { BigQuery } from '@google-cloud/bigquery';

export const EXTRACT_RUNS_TABLE = 'extract_runs';

export interface ExtractRunRow {
  run_id: string;
  export_name: string;
  source: string;
  partition_date: string | null;
  idempotency_token: string;
  status: 'SUCCESS' | 'FAILURE' | 'SKIPPED';
  destination_uri: string;
  format: string;
  compression: string;
  row_count: number | null;
  byte_count: number | null;
  file_count: number | null;
  manifest_uri: string | null;
  bigquery_job_id: string | null;
  attempts: number;
  error: string | null;
  started_at: string;
  finished_at: string;
}

const COLUMNS: [keyof ExtractRunRow, string][] = [
  ['run_id', 'STRING'],
  ['export_name', 'STRING'],
  ['source', 'STRING'],
  ['partition_date', 'DATE'],
  ['idempotency_token', 'STRING'],
  ['status', 'STRING'],
  ['destination_uri', 'STRING'],
  ['format', 'STRING'],
  ['compression', 'STRING'],
  ['row_count', 'INT64'],
  ['byte_count', 'INT64'],
  ['file_count', 'INT64'],
  ['manifest_uri', 'STRING'],
  ['bigquery_job_id', 'STRING'],
  ['attempts', 'INT64'],
  ['error', 'STRING'],
  ['started_at', 'TIMESTAMP'],
  ['finished_at', 'TIMESTAMP'],
];

function tableName(projectId: string, dataset: string): string {
  return `\`${projectId}.${dataset}.${EXTRACT_RUNS_TABLE}\``;
}

export async function ensureExtractRuns(bigquery: BigQuery, projectId: string, dataset: string): Promise<void> {
  const columns = COLUMNS.map(([name, type]) => `${name} ${type}${name === 'run_id' || name === 'status' ? ' not null' : ''}`).join(', ');
  const query = `create table if not exists ${tableName(projectId, dataset)} (${columns}) partition by date(started_at) options(description = 'One row per landform extract run and export: outcome, files, manifest, job (see extracts/lineage.ts).')`;
  await bigquery.query({ query });
}

/** One DML insert with every value a named parameter (no value in SQL text). */
export async function recordExtractRun(bigquery: BigQuery, projectId: string, dataset: string, row: ExtractRunRow): Promise<void> {
  const names = COLUMNS.map(([name]) => name);
  const query = `insert into ${tableName(projectId, dataset)} (${names.join(', ')}) values (${names.map((n) => `@${n}`).join(', ')})`;
  const types = Object.fromEntries(COLUMNS.map(([name, type]) => [name, type]));
  const params = Object.fromEntries(names.map((n) => [n, row[n]]));
  await bigquery.query({ query, params, types });
}
