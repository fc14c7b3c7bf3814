/**
 * The column types of a set operation as BigQuery computes them (conversion_rules#supertypes): the
 * supertype of the inputs' types, where literals coerce (an integer literal to any numeric type, a
 * floating-point literal to NUMERIC and BIGNUMERIC, a string literal to DATE, DATETIME, TIME and
 * TIMESTAMP, NULL to anything; "Supertypes and literals"), numeric types widen INT64 < NUMERIC <
 * BIGNUMERIC < FLOAT64, STRUCTs supertype field by field and take the first input's field names, and
 * nothing else widens. DuckDB unifies otherwise (INT64 with STRING gives VARCHAR, STRUCTs merge by
 * name), so each input column is converted to BigQuery's type before DuckDB sees the operation.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { unsupported } from '../errors.js';

type Scalar = 'INT64' | 'FLOAT64' | 'NUMERIC' | 'BIGNUMERIC' | 'BOOL' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP' | 'INTERVAL' | 'JSON';

/** A BigQuery type with the DuckDB type text that holds it. */
export type SetType =
  | { kind: 'scalar'; name: Scalar; duck: string }
  | { kind: 'array'; element: SetType; duck: string }
  | { kind: 'struct'; fields: { name: string; type: SetType }[]; duck: string };

/** The kind of literal a select item is (a bare NULL, number or string, as BigQuery coerces it), or undefined for any other expression. */
export type LiteralKind = 'null' | 'int' | 'float' | 'string' | 'empty-array' | 'array' | 'other';

export interface SetInput {
  type: SetType;
  literal?: LiteralKind;
  text?: string;
  /** For a `STRUCT(...)` constructor select item: the literal kind of each field (`STRUCT('a' AS x, NULL AS y)`). */
  fields?: (LiteralKind | undefined)[];
}

const NUMERIC_ORDER: Scalar[] = ['INT64', 'NUMERIC', 'BIGNUMERIC', 'FLOAT64'];
const SCALAR_DUCK: Record<Scalar, string> = {
  INT64: 'BIGINT', FLOAT64: 'DOUBLE', NUMERIC: 'DECIMAL(38,9)', BIGNUMERIC: 'DECIMAL(38,19)', BOOL: 'BOOLEAN', STRING: 'VARCHAR', BYTES: 'BLOB',
  DATE: 'DATE', TIME: 'TIME', DATETIME: 'TIMESTAMP', TIMESTAMP: 'TIMESTAMPTZ', INTERVAL: 'INTERVAL', JSON: 'JSON',
};

/** The BigQuery type of a DuckDB column type, or undefined when it is none the set operation rules here know. */
export function setTypeOf(type: DuckDBType): SetType | undefined {
  const duck = type.toString();
  if (type.alias === 'JSON') return { kind: 'scalar', name: 'JSON', duck };
  switch (type.typeId) {
    case DuckDBTypeId.LIST: {
      const element = setTypeOf(type.valueType);
      return element && element.kind !== 'array' ? { kind: 'array', element, duck } : undefined;
    }
    case DuckDBTypeId.STRUCT: {
      const fields = type.entryNames.map((name, i) => ({ name, type: setTypeOf(type.entryTypes[i]!) }));
      if (fields.some((f) => f.type === undefined)) return undefined;
      return { kind: 'struct', fields: fields.map((f) => ({ name: f.name, type: f.type! })), duck };
    }
    case DuckDBTypeId.BOOLEAN: return { kind: 'scalar', name: 'BOOL', duck };
    // the integer types the engine's results name INT64 (type-mapping.ts), SUM's HUGEINT among them
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT: case DuckDBTypeId.SQLNULL:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT: case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.INTEGER_LITERAL:
      return { kind: 'scalar', name: 'INT64', duck };
    case DuckDBTypeId.DOUBLE: case DuckDBTypeId.FLOAT: return { kind: 'scalar', name: 'FLOAT64', duck };
    case DuckDBTypeId.DECIMAL: {
      const scale = (type as { scale: number }).scale;
      return { kind: 'scalar', name: scale >= 19 && (scale - 19) % 9 === 0 ? 'BIGNUMERIC' : 'NUMERIC', duck };
    }
    case DuckDBTypeId.VARCHAR: case DuckDBTypeId.STRING_LITERAL: return { kind: 'scalar', name: 'STRING', duck };
    case DuckDBTypeId.BLOB: return { kind: 'scalar', name: 'BYTES', duck };
    case DuckDBTypeId.DATE: return { kind: 'scalar', name: 'DATE', duck };
    case DuckDBTypeId.TIME: return { kind: 'scalar', name: 'TIME', duck };
    case DuckDBTypeId.TIMESTAMP: return { kind: 'scalar', name: 'DATETIME', duck };
    case DuckDBTypeId.TIMESTAMP_TZ: return { kind: 'scalar', name: 'TIMESTAMP', duck };
    case DuckDBTypeId.INTERVAL: return { kind: 'scalar', name: 'INTERVAL', duck };
    default: return undefined;
  }
}

/** The type as BigQuery prints it in errors (`INT64`, `STRUCT<a INT64, STRING>`, `ARRAY<DATE>`, `RANGE<DATE>`). */
export function typeName(t: SetType): string {
  if (t.kind === 'scalar') return t.name;
  if (t.kind === 'array') return `ARRAY<${typeName(t.element)}>`;
  // a RANGE is held as STRUCT("range.start" T, "range.end" T) (range-type.ts)
  const [start, end] = t.fields;
  if (t.fields.length === 2 && start!.name === 'range.start' && end!.name === 'range.end' && typeName(start!.type) === typeName(end!.type)) return `RANGE<${typeName(start!.type)}>`;
  return `STRUCT<${t.fields.map((f) => (f.name === '' ? typeName(f.type) : `${f.name} ${typeName(f.type)}`)).join(', ')}>`;
}

/** Whether values of the type can be compared for INTERSECT, EXCEPT and UNION DISTINCT (no ARRAY or JSON inside). */
export function comparable(t: SetType): string | undefined {
  if (t.kind === 'array') return 'ARRAY';
  if (t.kind === 'scalar') return t.name === 'JSON' ? 'JSON' : undefined;
  const inner = t.fields.map((f) => comparable(f.type)).find((x) => x !== undefined);
  return inner === undefined ? undefined : `STRUCT containing ${inner}`;
}

/** The supertype of non-literal types, or undefined when they have none. */
function superOf(types: SetType[]): SetType | undefined {
  const first = types[0]!;
  if (first.kind === 'scalar') {
    if (types.some((t) => t.kind !== 'scalar')) return undefined;
    const names = types.map((t) => (t as { name: Scalar }).name);
    if (names.every((n) => n === first.name)) return sameDuck(types) ? first : { ...first, duck: SCALAR_DUCK[first.name] };
    if (!names.every((n) => NUMERIC_ORDER.includes(n))) return undefined;
    const widest = NUMERIC_ORDER[Math.max(...names.map((n) => NUMERIC_ORDER.indexOf(n)))]!;
    // BIGNUMERIC keeps the width the engine gave it (BIGNUMERIC literals may be wider than DECIMAL(38,19))
    const held = types.find((t) => t.kind === 'scalar' && t.name === widest);
    return { kind: 'scalar', name: widest, duck: widest === 'BIGNUMERIC' && held ? held.duck : SCALAR_DUCK[widest] };
  }
  if (first.kind === 'array') {
    if (types.some((t) => t.kind !== 'array')) return undefined;
    const element = superOf(types.map((t) => (t as { element: SetType }).element));
    // ARRAY's only supertype is itself: arrays of other element types have none
    if (!element || types.some((t) => typeName((t as { element: SetType }).element) !== typeName(element))) return undefined;
    return sameDuck(types) ? first : { kind: 'array', element, duck: `${element.duck}[]` };
  }
  if (types.some((t) => t.kind !== 'struct' || t.fields.length !== first.fields.length)) return undefined;
  const fields = first.fields.map((f, i) => ({ name: f.name, type: superOf(types.map((t) => (t as { fields: { type: SetType }[] }).fields[i]!.type)) }));
  if (fields.some((f) => f.type === undefined)) return undefined;
  const typed = fields.map((f) => ({ name: f.name, type: f.type! }));
  if (sameDuck(types)) return first;
  return { kind: 'struct', fields: typed, duck: `STRUCT(${typed.map((f) => `${quoteIdent(f.name)} ${f.type.duck}`).join(', ')})` };
}

function sameDuck(types: SetType[]): boolean {
  return types.every((t) => t.duck === types[0]!.duck);
}

/** Whether a literal of that kind coerces to t (conversion_rules#literal_coercion, and INT64's own coercions). */
function coerces(kind: LiteralKind, literalType: SetType, t: SetType): boolean {
  if (kind === 'null') return true;
  // `[]` is an empty array of any element type
  if (kind === 'empty-array') return t.kind === 'array';
  if (t.kind !== 'scalar') return kind === 'array' && typeName(literalType) === typeName(t);
  if (kind === 'int') return NUMERIC_ORDER.includes(t.name);
  if (kind === 'float') return t.name === 'FLOAT64' || t.name === 'NUMERIC' || t.name === 'BIGNUMERIC';
  if (kind === 'string') return ['STRING', 'DATE', 'DATETIME', 'TIME', 'TIMESTAMP'].includes(t.name);
  return literalType.kind === 'scalar' && literalType.name === t.name;
}

/**
 * BigQuery's supertype of one column's inputs ("Supertypes and literals"): the supertype of the
 * non-literals when every literal coerces to it, else the supertype of them all; only literals: their
 * supertype; only NULLs: INT64. Undefined when there is none (BigQuery's "incompatible types").
 */
export function supertype(inputs: SetInput[]): SetType | undefined {
  const structs = inputs.filter((x) => x.literal !== 'null');
  if (structs.some((x) => x.fields) && structs.every((x) => x.type.kind === 'struct')) return structSupertype(inputs, structs);
  const plain = inputs.filter((x) => x.literal === undefined || x.literal === 'other' || x.literal === 'array');
  const literals = inputs.filter((x) => x.literal !== undefined && x.literal !== 'other' && x.literal !== 'array');
  if (plain.length > 0) {
    const s = superOf(plain.map((x) => x.type));
    if (s && literals.every((x) => coerces(x.literal!, x.type, s))) return s;
    const all = inputs.filter((x) => x.literal !== 'null' && x.literal !== 'empty-array').map((x) => x.type);
    return superOf(all);
  }
  const typed = literals.filter((x) => x.literal !== 'null');
  if (typed.length === 0) return { kind: 'scalar', name: 'INT64', duck: 'BIGINT' };
  if (typed.every((x) => x.literal === 'empty-array')) return superOf(typed.map((x) => x.type));
  const s = superOf(typed.map((x) => x.type));
  if (s) return s;
  // a string literal with no other type beside it stays STRING; numbers beside strings have no supertype
  return undefined;
}

/** STRUCTs field by field, where a constructor's literal fields coerce (`STRUCT('a' AS x, NULL AS y)` beside `STRUCT(NULL, 5)`). */
function structSupertype(inputs: SetInput[], structs: SetInput[]): SetType | undefined {
  const first = structs[0]!.type as { fields: { name: string; type: SetType }[] };
  if (structs.some((x) => (x.type as { fields: unknown[] }).fields.length !== first.fields.length)) return undefined;
  const fields = first.fields.map((f, i) => {
    const column = structs.map((x) => ({ type: (x.type as typeof first).fields[i]!.type, ...(x.fields?.[i] ? { literal: x.fields[i] } : {}) }));
    return { name: f.name, type: supertype(column) };
  });
  if (fields.some((f) => f.type === undefined)) return undefined;
  const typed = fields.map((f) => ({ name: f.name, type: f.type! }));
  const duck = `STRUCT(${typed.map((f) => `${quoteIdent(f.name)} ${f.type.duck}`).join(', ')})`;
  return inputs.every((x) => x.literal === 'null' || x.type.duck === duck) ? structs[0]!.type : { kind: 'struct', fields: typed, duck };
}

/**
 * DuckDB SQL converting `sql` (of type `from`) to `to`: a CAST for scalars and arrays of scalars, a
 * STRUCT rebuilt field by field (DuckDB casts STRUCTs by field name, BigQuery by position).
 */
export function convertSql(sql: string, from: SetType, to: SetType): string {
  if (from.duck === to.duck) return sql;
  if (to.kind === 'struct' && from.kind === 'struct') {
    if (to.fields.some((f) => f.name === '')) throw unsupported('A set operation that changes the type of a STRUCT with unnamed fields');
    const fields = to.fields.map((f, i) => `${quoteString(f.name)}: ${convertSql(`struct_extract_at(${sql}, ${i + 1})`, from.fields[i]!.type, f.type)}`);
    return `CASE WHEN (${sql}) IS NULL THEN NULL ELSE {${fields.join(', ')}} END`;
  }
  if (to.kind === 'array' && from.kind === 'array' && to.element.kind === 'struct') {
    return `list_transform(${sql}, _bq_e -> ${convertSql('_bq_e', from.element, to.element)})`;
  }
  return `CAST(${sql} AS ${to.duck})`;
}
