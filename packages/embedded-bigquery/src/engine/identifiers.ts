/** Checks resource ids from REST calls before they name DuckDB objects (they are always quoted, this keeps them sane). */
import { BigQueryApiError } from './types.js';

const PROJECT = /^[a-z][a-z0-9-]{0,61}[a-z0-9]$|^[a-z]$/;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
const TABLE = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}$]{1,1024}$/u;

export function checkIdentifiers(projectId: string, datasetId: string, tableId?: string): void {
  if (!PROJECT.test(projectId)) throw new BigQueryApiError('invalid', `Invalid project ID '${projectId}': must be lowercase letters, digits or hyphens, starting with a letter`);
  if (!DATASET.test(datasetId)) throw new BigQueryApiError('invalid', `Invalid dataset ID "${datasetId}". Dataset IDs must be alphanumeric (plus underscores) and must be at most 1024 characters long.`);
  if (tableId !== undefined && (!TABLE.test(tableId) || datasetId.startsWith('_landform'))) {
    throw new BigQueryApiError('invalid', `Invalid table ID "${tableId}". Table IDs must be alphanumeric (plus underscores, dashes and spaces) and at most 1024 characters.`);
  }
}
