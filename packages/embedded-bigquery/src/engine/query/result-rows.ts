/**
 * Reading a query result's rows. @duckdb/node-api gives a STRUCT value as an object keyed by field
 * name, so the fields of an anonymous STRUCT('abc', 3) or (a, b), all named '' by DuckDB, collapse
 * into one. A column whose type holds a STRUCT with two or more unnamed fields (at any depth) is read
 * from the result's vectors by position instead, each unnamed field keyed `_field_N` as BigQuery's
 * schema names it (fieldOfDuckType); every other column is read as before.
 */
import {
  DuckDBListValue,
  DuckDBListVector,
  DuckDBResultReader,
  DuckDBStructValue,
  DuckDBStructVector,
  DuckDBTypeId,
  type DuckDBMaterializedResult,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBVector,
} from '@duckdb/node-api';
import { BigQueryApiError } from '../types.js';

/** The result's rows, its columns with several unnamed STRUCT fields read by position. */
export async function readResultRows(result: DuckDBMaterializedResult, types: readonly DuckDBType[]): Promise<DuckDBValue[][]> {
  const positional = types.map(hasUnnamedFields);
  if (!positional.some(Boolean)) {
    const reader = new DuckDBResultReader(result);
    await reader.readAll();
    return reader.getRows();
  }
  const rows: DuckDBValue[][] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const vectors = types.map((_, c) => chunk.getColumnVector(c));
    for (let r = 0; r < chunk.rowCount; r++) {
      rows.push(vectors.map((v, c) => (positional[c] ? valueAt(v, r, types[c]!) : v.getItem(r))));
    }
  }
  return rows;
}

/** Whether a type holds a STRUCT with two or more fields DuckDB names ''. */
export function hasUnnamedFields(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return hasUnnamedFields(type.valueType);
    case DuckDBTypeId.STRUCT:
      return type.entryNames.filter((n) => n === '').length > 1 || type.entryTypes.some(hasUnnamedFields);
    default:
      return false;
  }
}

/** The value at `index` of a vector of `type`, its STRUCTs keyed by BigQuery's field names. */
function valueAt(vector: DuckDBVector, index: number, type: DuckDBType): DuckDBValue {
  if (!hasUnnamedFields(type)) return vector.getItem(index);
  if (type.typeId === DuckDBTypeId.STRUCT && vector instanceof DuckDBStructVector) {
    if (!vector.isItemValid(index)) return null;
    const entries: Record<string, DuckDBValue> = {};
    type.entryNames.forEach((name, i) => {
      const key = name || `_field_${i + 1}`;
      if (key in entries) throw unsupported(`two fields named ${key}`);
      entries[key] = valueAt(vector.entryVectorAt(i), index, type.entryTypes[i]!);
    });
    return new DuckDBStructValue(entries);
  }
  if (type.typeId === DuckDBTypeId.LIST && vector instanceof DuckDBListVector) {
    const items = vector.getItemVector(index);
    if (!items) return null;
    const values: DuckDBValue[] = [];
    for (let k = 0; k < items.itemCount; k++) values.push(valueAt(items, k, type.valueType));
    return new DuckDBListValue(values);
  }
  throw unsupported(`a ${type.toString()} value`);
}

function unsupported(what: string): BigQueryApiError {
  return new BigQueryApiError('invalidQuery', `A STRUCT with several unnamed fields in a query result (${what}) is not supported by the embedded BigQuery; name the fields with AS`);
}
