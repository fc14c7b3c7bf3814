/**
 * BigQuery column types ↔ DuckDB types. TIMESTAMP is an instant (TIMESTAMPTZ, session in UTC),
 * DATETIME is a civil time (TIMESTAMP), NUMERIC is DECIMAL(38,9); BIGNUMERIC is stored as
 * DECIMAL(38,19) (DuckDB's widest decimal; scale 19 marks it, since NUMERIC arithmetic yields
 * scales 9, 18, 27) and keeps its name through the catalog schema.
 */
import type { DuckDBType } from '@duckdb/node-api';
import { DuckDBTypeId } from '@duckdb/node-api';
import { BigQueryApiError, type BigQueryType, type TableFieldSchema } from './types.js';
import { rangeDuckType, rangeElement, rangeElementOfStruct } from './sql/range-type.js';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Canonical (legacy REST) name of a BigQuery type. */
export function canonicalType(type: string): BigQueryType {
  switch (type.toUpperCase()) {
    case 'INT64': case 'INTEGER': case 'INT': case 'SMALLINT': case 'BIGINT': case 'TINYINT': case 'BYTEINT':
      return 'INTEGER';
    case 'FLOAT64': case 'FLOAT':
      return 'FLOAT';
    case 'BOOL': case 'BOOLEAN':
      return 'BOOLEAN';
    case 'STRUCT': case 'RECORD':
      return 'RECORD';
    case 'DECIMAL': case 'NUMERIC':
      return 'NUMERIC';
    case 'BIGDECIMAL': case 'BIGNUMERIC':
      return 'BIGNUMERIC';
    case 'STRING': case 'BYTES': case 'DATE': case 'TIME': case 'DATETIME': case 'TIMESTAMP': case 'JSON': case 'GEOGRAPHY': case 'INTERVAL': case 'RANGE':
      return type.toUpperCase() as BigQueryType;
    default:
      throw new BigQueryApiError('invalid', `Unsupported field type: ${type}`);
  }
}

function scalarDuckType(type: BigQueryType): string {
  switch (canonicalType(type)) {
    case 'INTEGER': return 'BIGINT';
    case 'FLOAT': return 'DOUBLE';
    case 'BOOLEAN': return 'BOOLEAN';
    case 'NUMERIC': return 'DECIMAL(38,9)';
    case 'BIGNUMERIC': return 'DECIMAL(38,19)';
    case 'STRING': return 'VARCHAR';
    case 'BYTES': return 'BLOB';
    case 'DATE': return 'DATE';
    case 'TIME': return 'TIME';
    case 'DATETIME': return 'TIMESTAMP';
    case 'TIMESTAMP': return 'TIMESTAMPTZ';
    case 'JSON': return 'JSON';
    case 'INTERVAL': return 'INTERVAL';
    default:
      throw new BigQueryApiError('invalidQuery', `Type ${type} is not supported by the embedded BigQuery`);
  }
}

/** DuckDB column type for a BigQuery field (REPEATED → list, RECORD → STRUCT). */
export function duckTypeOfField(field: TableFieldSchema): string {
  let base: string;
  if (canonicalType(field.type) === 'RECORD') {
    if (!field.fields || field.fields.length === 0) throw new BigQueryApiError('invalid', `Field ${field.name} is type RECORD but has no schema`);
    base = `STRUCT(${field.fields.map((f) => `${quoteIdent(f.name)} ${duckTypeOfField(f)}`).join(', ')})`;
  } else if (canonicalType(field.type) === 'RANGE') {
    base = rangeDuckType(rangeElement(field.rangeElementType?.type));
  } else {
    base = scalarDuckType(field.type);
  }
  return field.mode === 'REPEATED' ? `${base}[]` : base;
}

/**
 * BigQuery field for a DuckDB result column. An unnamed STRUCT field is `_field_N` (1-based position),
 * as BigQuery's REST schema names it. Only a query result (`unnamedFields`, read by position through
 * query/result-rows.ts) may hold a STRUCT with several: elsewhere the values would be read by name,
 * where two unnamed fields cannot be told apart (one would silently repeat the other), so that fails.
 */
export function fieldOfDuckType(name: string, type: DuckDBType, options: { unnamedFields?: boolean } = {}): TableFieldSchema {
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const inner = fieldOfDuckType(name, type.valueType, options);
      if (inner.mode === 'REPEATED') throw new BigQueryApiError('invalidQuery', `Cannot produce an ARRAY of ARRAYs for column ${name}`);
      return { ...inner, mode: 'REPEATED' };
    }
    case DuckDBTypeId.STRUCT: {
      // a RANGE (sql/range-type.ts): a struct of two bounds whose field names no user struct can have
      const element = rangeElementOfStruct(type.entryNames, type.entryTypes.map((t) => t.toString()));
      if (element) return { name, type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: element } };
      const names = type.entryNames.map((n, i) => n || `_field_${i + 1}`);
      if (!options.unnamedFields && type.entryNames.filter((n) => n === '').length > 1) {
        throw new BigQueryApiError('invalidQuery', `A STRUCT with several unnamed fields in a query result (column ${name}) is not supported by the embedded BigQuery; name the fields with AS`);
      }
      return { name, type: 'RECORD', mode: 'NULLABLE', fields: names.map((n, i) => fieldOfDuckType(n, type.entryTypes[i]!, options)) };
    }
    default:
      return { name, type: scalarBigQueryType(type), mode: 'NULLABLE' };
  }
}

function scalarBigQueryType(type: DuckDBType): BigQueryType {
  if (type.alias === 'JSON') return 'JSON';
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return 'BOOLEAN';
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.INTEGER_LITERAL:
      return 'INTEGER';
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE:
      return 'FLOAT';
    case DuckDBTypeId.DECIMAL: {
      const scale = (type as { scale: number }).scale;
      return scale >= 19 && (scale - 19) % 9 === 0 ? 'BIGNUMERIC' : 'NUMERIC';
    }
    case DuckDBTypeId.VARCHAR: case DuckDBTypeId.STRING_LITERAL: case DuckDBTypeId.UUID: case DuckDBTypeId.ENUM:
      return 'STRING';
    case DuckDBTypeId.BLOB: return 'BYTES';
    case DuckDBTypeId.DATE: return 'DATE';
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_NS: return 'TIME';
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS:
      return 'DATETIME';
    case DuckDBTypeId.TIMESTAMP_TZ: return 'TIMESTAMP';
    case DuckDBTypeId.INTERVAL: return 'INTERVAL';
    case DuckDBTypeId.SQLNULL: return 'INTEGER';
    default:
      throw new BigQueryApiError('invalidQuery', `Result type ${type.toString()} is not supported by the embedded BigQuery`);
  }
}

/**
 * Keep what the catalog knows (descriptions, REQUIRED, BIGNUMERIC) for columns whose DuckDB
 * type still maps to the same BigQuery type family.
 */
export function mergeFieldInfo(actual: TableFieldSchema[], stored: TableFieldSchema[] | undefined): TableFieldSchema[] {
  if (!stored) return actual;
  const byName = new Map(stored.map((f) => [f.name.toLowerCase(), f]));
  return actual.map((f) => {
    const s = byName.get(f.name.toLowerCase());
    if (!s) return f;
    const sType = canonicalType(s.type);
    const compatible = sType === f.type || (sType === 'BIGNUMERIC' && f.type === 'NUMERIC');
    if (!compatible) return f;
    const out: TableFieldSchema = { ...f, type: sType };
    if (s.mode && s.mode !== 'REPEATED' && f.mode !== 'REPEATED') out.mode = s.mode;
    if (s.description !== undefined) out.description = s.description;
    if (f.fields) out.fields = mergeFieldInfo(f.fields, s.fields);
    return out;
  });
}
