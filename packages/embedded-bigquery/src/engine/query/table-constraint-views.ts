/** INFORMATION_SCHEMA.TABLE_CONSTRAINTS and KEY_COLUMN_USAGE: the table constraints kept in the catalog (see table-constraints.ts). */
import { CATALOG_SCHEMA } from '../catalog.js';

/** INFORMATION_SCHEMA.TABLE_CONSTRAINTS and KEY_COLUMN_USAGE over the catalog's tableConstraints, for tables matching `where` (on alias t). */
export function constraintViewSql(view: 'TABLE_CONSTRAINTS' | 'KEY_COLUMN_USAGE', where: string): string {
  // one row per key: (name, type, columns as JSON array, referenced columns as JSON array or NULL)
  const keys = `SELECT t.project, t.dataset, t.table_id, t.table_id || '.pk$' AS constraint_name, 'PRIMARY KEY' AS constraint_type,
      json_extract(t.resource, '$.tableConstraints.primaryKey.columns') AS cols
    FROM ${CATALOG_SCHEMA}.tables t WHERE json_extract(t.resource, '$.tableConstraints.primaryKey') IS NOT NULL AND ${where}
    UNION ALL
    SELECT t.project, t.dataset, t.table_id, t.table_id || '.' || json_extract_string(fk.value, '$.name'), 'FOREIGN KEY',
      json_extract(fk.value, '$.columnReferences[*].referencingColumn')
    FROM ${CATALOG_SCHEMA}.tables t, json_each(json_extract(t.resource, '$.tableConstraints.foreignKeys')) fk WHERE ${where}`;
  if (view === 'TABLE_CONSTRAINTS') {
    return `(SELECT k.project AS constraint_catalog, k.dataset AS constraint_schema, k.constraint_name, k.project AS table_catalog,
      k.dataset AS table_schema, k.table_id AS table_name, k.constraint_type, 'NO' AS is_deferrable, 'NO' AS initially_deferred, 'NO' AS enforced
      FROM (${keys}) k)`;
  }
  return `(SELECT k.project AS constraint_catalog, k.dataset AS constraint_schema, k.constraint_name, k.project AS table_catalog,
    k.dataset AS table_schema, k.table_id AS table_name, json_extract_string(c.value, '$') AS column_name, CAST(c.key AS BIGINT) + 1 AS ordinal_position,
    CASE WHEN k.constraint_type = 'FOREIGN KEY' THEN CAST(c.key AS BIGINT) + 1 END AS position_in_unique_constraint
    FROM (${keys}) k, json_each(k.cols) c)`;
}
