/** INFORMATION_SCHEMA views (TABLES, VIEWS, MATERIALIZED_VIEWS, COLUMNS, COLUMN_FIELD_PATHS, ROUTINES, PARAMETERS, SCHEMATA) as subqueries over the catalog. */
import { unsupported } from '../errors.js';
import { quoteString } from '../type-mapping.js';
import { CATALOG_SCHEMA } from '../catalog.js';
import type { ResolvedTable } from '../sql/translator.js';
import { constraintViewSql } from './table-constraint-views.js';

export function informationSchema(scope: string[], view: string, projectId: string, hasDefaultDataset: boolean): ResolvedTable {
  let project = projectId;
  let dataset: string | undefined;
  if (scope.length === 2) [project, dataset] = [scope[0]!, scope[1]!];
  else if (scope.length === 1) {
    if (/^region-/i.test(scope[0]!)) dataset = undefined;
    else dataset = scope[0]!;
  } else if (scope.length === 0 && hasDefaultDataset) dataset = undefined;
  const where = [`t.project = ${quoteString(project)}`];
  if (dataset !== undefined) where.push(`t.dataset = ${quoteString(dataset)}`);
  switch (view) {
    case 'TABLES':
      return {
        sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name,
          CASE json_extract_string(t.resource, '$.type') WHEN 'VIEW' THEN 'VIEW' WHEN 'SNAPSHOT' THEN 'SNAPSHOT' WHEN 'MATERIALIZED_VIEW' THEN 'MATERIALIZED VIEW'
            ELSE CASE WHEN json_extract(t.resource, '$.cloneDefinition') IS NOT NULL THEN 'CLONE' ELSE 'BASE TABLE' END END AS table_type,
          CASE WHEN coalesce(json_extract_string(t.resource, '$.type'), 'TABLE') = 'TABLE' THEN 'YES' ELSE 'NO' END AS is_insertable_into, 'NO' AS is_typed,
          make_timestamptz(CAST(coalesce(json_extract_string(t.resource, '$.creationTime'), '0') AS BIGINT) * 1000) AS creation_time,
          coalesce(json_extract_string(t.resource, '$.view.query'), json_extract_string(t.resource, '$.materializedView.query')) AS ddl
          FROM ${CATALOG_SCHEMA}.tables t WHERE ${where.join(' AND ')})`,
      };
    case 'COLUMNS':
      return {
        sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name, t.column_name, t.ordinal_position,
          t.is_nullable, t.data_type, CASE WHEN t.is_partitioning THEN 'YES' ELSE 'NO' END AS is_partitioning_column,
          t.clustering_ordinal_position
          FROM ${CATALOG_SCHEMA}.columns t WHERE ${where.join(' AND ')})`,
      };
    case 'VIEWS':
      return {
        sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name,
          json_extract_string(t.resource, '$.view.query') AS view_definition, CAST(NULL AS VARCHAR) AS check_option, 'YES' AS use_standard_sql
          FROM ${CATALOG_SCHEMA}.tables t WHERE json_extract_string(t.resource, '$.type') = 'VIEW' AND ${where.join(' AND ')})`,
      };
    case 'MATERIALIZED_VIEWS':
      // answered fresh on every read (materialized-views.ts): everything in the base tables up to now is in it
      return {
        sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name,
          make_timestamptz(CAST(json_extract_string(t.resource, '$.materializedView.lastRefreshTime') AS BIGINT) * 1000) AS last_refresh_time,
          current_timestamp AS refresh_watermark, CAST(NULL AS STRUCT(reason VARCHAR, location VARCHAR, message VARCHAR)) AS last_refresh_status
          FROM ${CATALOG_SCHEMA}.tables t WHERE json_extract_string(t.resource, '$.type') = 'MATERIALIZED_VIEW' AND ${where.join(' AND ')})`,
      };
    case 'COLUMN_FIELD_PATHS':
      return {
        sql: `(SELECT t.project AS table_catalog, t.dataset AS table_schema, t.table_id AS table_name, t.column_name, t.column_name AS field_path,
          t.data_type, t.description FROM ${CATALOG_SCHEMA}.columns t WHERE ${where.join(' AND ')})`,
      };
    case 'ROUTINES':
      return {
        sql: `(SELECT t.project AS specific_catalog, t.dataset AS specific_schema, t.routine_id AS specific_name,
          t.project AS routine_catalog, t.dataset AS routine_schema, t.routine_id AS routine_name,
          CASE json_extract_string(t.resource, '$.routineType') WHEN 'PROCEDURE' THEN 'PROCEDURE' WHEN 'TABLE_VALUED_FUNCTION' THEN 'TABLE FUNCTION' ELSE 'FUNCTION' END AS routine_type,
          json_extract_string(t.resource, '$.returnTypeSql') AS data_type, CASE json_extract_string(t.resource, '$.language') WHEN 'JAVASCRIPT' THEN 'EXTERNAL' ELSE 'SQL' END AS routine_body,
          json_extract_string(t.resource, '$.definitionBody') AS routine_definition, CASE json_extract_string(t.resource, '$.language') WHEN 'JAVASCRIPT' THEN 'JAVASCRIPT' END AS external_language,
          CAST(NULL AS VARCHAR) AS security_type,
          make_timestamptz(CAST(json_extract_string(t.resource, '$.creationTime') AS BIGINT) * 1000) AS created,
          make_timestamptz(CAST(json_extract_string(t.resource, '$.lastModifiedTime') AS BIGINT) * 1000) AS last_altered
          FROM ${CATALOG_SCHEMA}.routines t WHERE ${where.join(' AND ')})`,
      };
    case 'PARAMETERS':
      // one row per argument (ordinal_position from 1; a mode only for procedures), and row 0 for a declared return type
      return {
        sql: `(SELECT t.project AS specific_catalog, t.dataset AS specific_schema, t.routine_id AS specific_name,
          CAST(p.pos AS BIGINT) AS ordinal_position,
          CASE WHEN json_extract_string(t.resource, '$.routineType') = 'PROCEDURE' THEN coalesce(p.a.mode, 'IN') END AS parameter_mode, 'NO' AS is_result,
          p.a.name AS parameter_name, p.a.typeSql AS data_type, CAST(NULL AS VARCHAR) AS parameter_default, CAST(NULL AS VARCHAR) AS is_aggregate
          FROM ${CATALOG_SCHEMA}.routines t,
          LATERAL (SELECT unnest(args) AS a, unnest(range(1, len(args) + 1)) AS pos
            FROM (SELECT from_json(json_extract(t.resource, '$.arguments'), '[{"name":"VARCHAR","mode":"VARCHAR","typeSql":"VARCHAR"}]') AS args)) p
          WHERE ${where.join(' AND ')}
          UNION ALL
          SELECT t.project, t.dataset, t.routine_id, CAST(0 AS BIGINT), CAST(NULL AS VARCHAR), 'YES', CAST(NULL AS VARCHAR),
          json_extract_string(t.resource, '$.returnTypeSql'), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)
          FROM ${CATALOG_SCHEMA}.routines t WHERE json_extract_string(t.resource, '$.returnTypeSql') IS NOT NULL AND ${where.join(' AND ')})`,
      };
    case 'TABLE_CONSTRAINTS':
    case 'KEY_COLUMN_USAGE':
      return { sql: constraintViewSql(view, where.join(' AND ')) };
    case 'SCHEMATA':
      return {
        sql: `(SELECT t.project AS catalog_name, t.dataset AS schema_name, json_extract_string(t.resource, '$.location') AS location
          FROM ${CATALOG_SCHEMA}.datasets t WHERE t.project = ${quoteString(project)})`,
      };
    default:
      throw unsupported(`INFORMATION_SCHEMA.${view}`);
  }
}
