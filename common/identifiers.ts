/**
 * Identifier checks for names that come from config or contracts and end up in SQL.
 * Only names that pass are ever quoted into a statement; values always travel as parameters.
 */

const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,127}$/;
const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const BIGQUERY_DATASET = /^[A-Za-z0-9_]{1,1024}$/;

export class InvalidIdentifierError extends Error {
  constructor(
    readonly kind: string,
    readonly value: string,
    readonly rule: string,
  ) {
    super(`invalid ${kind} ${JSON.stringify(value)}: ${rule}`);
    this.name = 'InvalidIdentifierError';
  }
}

/** A lower snake_case table or column name, as Postgres and BigQuery both accept unquoted. */
export function sqlIdentifier(value: string, kind = 'identifier'): string {
  if (!SQL_IDENTIFIER.test(value)) {
    throw new InvalidIdentifierError(kind, value, 'must match [a-z_][a-z0-9_]* and be at most 128 characters');
  }
  return value;
}

export function projectId(value: string): string {
  if (!GCP_PROJECT_ID.test(value)) {
    throw new InvalidIdentifierError('project id', value, 'must be 6-30 lowercase letters, digits or hyphens, starting with a letter');
  }
  return value;
}

export function datasetId(value: string): string {
  if (!BIGQUERY_DATASET.test(value)) {
    throw new InvalidIdentifierError('dataset', value, 'must be letters, digits or underscores');
  }
  return value;
}

/** Double-quoted Postgres identifier, after validation. */
export function quotePg(value: string): string {
  return `"${sqlIdentifier(value)}"`;
}

/** Backticked BigQuery dataset path `project.dataset` (before `.INFORMATION_SCHEMA.<view>`), after validation. */
export function bigQueryDatasetPath(project: string, dataset: string): string {
  return `\`${projectId(project)}.${datasetId(dataset)}\``;
}

/** Backticked BigQuery path `project.dataset.table`, after validation. */
export function bigQueryPath(project: string, dataset: string, table: string): string {
  return `\`${projectId(project)}.${datasetId(dataset)}.${sqlIdentifier(table, 'table')}\``;
}
