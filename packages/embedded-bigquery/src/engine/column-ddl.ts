/** The DuckDB column definition of a BigQuery field: its type, NOT NULL when REQUIRED, and BigQuery's value range. */
import type { TableFieldSchema } from './types.js';
import { canonicalType, duckTypeOfField, quoteIdent } from './type-mapping.js';
import { rangeConstraint } from './limits.js';

export function columnDefinition(f: TableFieldSchema, duckType = duckTypeOfField(f)): string {
  const name = quoteIdent(f.name);
  return `${name} ${duckType}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}${rangeConstraint(canonicalType(f.type), f.mode, name)}`;
}
