/**
 * BigQuery's RANGE<DATE|DATETIME|TIMESTAMP> in DuckDB: a STRUCT("range.start" T, "range.end" T)
 * whose unbounded start is -infinity and unbounded end +infinity. So DuckDB's own struct equality,
 * ordering, grouping, MIN/MAX and DISTINCT give BigQuery's answers (data-types#comparable_data_types:
 * lower bounds first, an unbounded start before any value, an unbounded end after any, two unbounded
 * bounds equal), and RANGE_CONTAINS/OVERLAPS/INTERSECT are plain comparisons. The field names hold a
 * dot: a column alias cannot (the translator reads a dotted backticked name as a path), and a STRUCT
 * field of either name fails loudly (isRangeField), so nothing but a RANGE has this shape.
 */
import { BigQueryApiError, type TableFieldSchema } from '../types.js';

export const RANGE_START = 'range.start';
export const RANGE_END = 'range.end';

export type RangeElement = 'DATE' | 'DATETIME' | 'TIMESTAMP';

export const RANGE_ELEMENTS: readonly RangeElement[] = ['DATE', 'DATETIME', 'TIMESTAMP'];

/** The DuckDB type of an element, as DDL writes it and as typeof() prints it. */
export const ELEMENT_DUCK: Record<RangeElement, { ddl: string; printed: string }> = {
  DATE: { ddl: 'DATE', printed: 'DATE' },
  DATETIME: { ddl: 'TIMESTAMP', printed: 'TIMESTAMP' },
  TIMESTAMP: { ddl: 'TIMESTAMPTZ', printed: 'TIMESTAMP WITH TIME ZONE' },
};

export function rangeElement(type: string | undefined): RangeElement {
  const t = (type ?? '').toUpperCase();
  if (t === 'DATE' || t === 'DATETIME' || t === 'TIMESTAMP') return t;
  throw new BigQueryApiError('invalidQuery', `RANGE<${type ?? ''}> is not a valid type: the element type of a RANGE must be DATE, DATETIME or TIMESTAMP`);
}

/** The DuckDB type of RANGE<element>. */
export function rangeDuckType(element: RangeElement): string {
  const t = ELEMENT_DUCK[element].ddl;
  return `STRUCT("${RANGE_START}" ${t}, "${RANGE_END}" ${t})`;
}

/** typeof() of a RANGE<element> value. */
export function rangePrintedType(element: RangeElement): string {
  const t = ELEMENT_DUCK[element].printed;
  return `STRUCT("${RANGE_START}" ${t}, "${RANGE_END}" ${t})`;
}

/** The element type of a DuckDB STRUCT that is a RANGE (field names and equal element types), or undefined. */
export function rangeElementOfStruct(names: readonly string[], printedTypes: readonly string[]): RangeElement | undefined {
  if (names.length !== 2 || names[0] !== RANGE_START || names[1] !== RANGE_END || printedTypes[0] !== printedTypes[1]) return undefined;
  return RANGE_ELEMENTS.find((e) => ELEMENT_DUCK[e].printed === printedTypes[0]);
}

/** A user's STRUCT field name that would make a struct look like a RANGE (STRUCT(d AS `range.start`, ...) fails loudly). */
export const isRangeField = (name: string): boolean => name === RANGE_START || name === RANGE_END;

/** `x."range.start"` / `x."range.end"`. */
export const startOf = (x: string): string => `(${x})."${RANGE_START}"`;
export const endOf = (x: string): string => `(${x})."${RANGE_END}"`;

/** A RANGE from its two bounds' SQL (already infinite where unbounded). */
export const rangePack = (start: string, end: string): string => `struct_pack("${RANGE_START}" := ${start}, "${RANGE_END}" := ${end})`;

/** Whether a schema holds a RANGE column at any depth (load jobs, insertAll and extracts of them fail loudly). */
export function hasRangeField(fields: readonly TableFieldSchema[] | undefined): boolean {
  return (fields ?? []).some((f) => f.type === 'RANGE' || hasRangeField(f.fields));
}
