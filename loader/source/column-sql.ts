/**
 * How each contract column is read from Postgres: the SQL that yields its JSON value (privacy applied)
 * and the conditions under which a row breaks the contract (quarantine reasons). Postgres evaluates
 * all of it, so JavaScript only frames bytes; columns whose Postgres type already guarantees the
 * contract type need no per-row check at all.
 */
import type { ColumnContract, TableContract, TelemetryContract } from '../../contracts/schema/index.js';
import { quotePg, sqlIdentifier } from '../../common/identifiers.js';
import { MAX_ROW_BYTES, dateRangeCondition, floatFromNumericCheck, invalidUtf8Condition, isVariableLength, numericChecks, stagedBytes, type LimitCheck } from './bigquery-limits.js';
import { privacyExpression, privacyViolation } from './privacy-sql.js';
import type { SourceColumn } from './source-columns.js';
import type { JsonType, MetricShape } from './metric-shape.js';

export interface RowCheck {
  condition: string;
  reason: string;
  /** A size check: when the row has a size guard (RowFrame.sizeGuard), the guard stands in for it in the per-row test. */
  size?: boolean;
  /**
   * A cheaper test that holds whenever `condition` can: in the per-row test, the checks sharing
   * one prefilter are tried only when it holds (`prefilter and (c1 or c2 ...)`).
   */
  prefilter?: string;
  /**
   * A metric check the CSV framer can decide from the JSON text (metric-shape.ts): left out of the
   * per-row test when the loader checks the rows instead (RowFrame.loaderChecked), kept in the reasons.
   */
  loaderCheckable?: boolean;
}

export interface ColumnPlan {
  name: string;
  /** SQL for the column's JSON value. */
  value: string;
  checks: RowCheck[];
  /** The value is the source's own type (or a cast of it), not text parsed per row. */
  native: boolean;
  /** The metric checks of a jsonb metrics column, which the CSV framer can take over (metric-shape.ts). */
  metricShape?: MetricShape;
}

export class ColumnTypeError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
    readonly rule: string,
  ) {
    super(`contract ${table}, column ${column}: ${rule}`);
    this.name = 'ColumnTypeError';
  }
}

const TEXT_LIKE = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
const INTEGERS = new Set(['int2', 'int4', 'int8']);

/** Postgres types that carry each contract type exactly, with the SQL that renders them for BigQuery's JSON load. */
function nativeValue(type: ColumnContract['type'], udt: string, ref: string): string | undefined {
  switch (type) {
    case 'STRING':
      return TEXT_LIKE.has(udt) ? ref : `${ref}::text`;
    case 'INT64':
      return INTEGERS.has(udt) ? ref : undefined;
    case 'FLOAT64':
      return udt === 'float8' ? ref : INTEGERS.has(udt) || udt === 'float4' || udt === 'numeric' ? `${ref}::float8` : undefined;
    case 'NUMERIC':
    case 'BIGNUMERIC':
      // As a JSON string: BigQuery parses it exactly, a JSON number could round through a double.
      return udt === 'numeric' || INTEGERS.has(udt) ? `${ref}::text` : undefined;
    case 'BOOL':
      return udt === 'bool' ? ref : undefined;
    case 'TIMESTAMP':
      // A timestamp without time zone is read as UTC (the session runs in UTC).
      return udt === 'timestamptz' ? ref : udt === 'timestamp' ? `(${ref} at time zone 'UTC')` : undefined;
    case 'DATE':
      return udt === 'date' ? ref : undefined;
    case 'DATETIME':
      return udt === 'timestamp' ? ref : undefined;
    case 'TIME':
      return udt === 'time' ? ref : undefined;
    case 'JSON':
      return udt === 'jsonb' || udt === 'json' ? ref : undefined;
    case 'BYTES':
      // encode() breaks base64 into lines of 76 characters; BigQuery wants it in one piece.
      return udt === 'bytea' ? `translate(encode(${ref}, 'base64'), E'\\n', '')` : undefined;
  }
}

/** Postgres type a text column is parsed as, when the source stores the contract type as text. */
const PARSE_AS: Partial<Record<ColumnContract['type'], string>> = {
  INT64: 'int8',
  FLOAT64: 'float8',
  NUMERIC: 'numeric',
  BIGNUMERIC: 'numeric',
  BOOL: 'bool',
  TIMESTAMP: 'timestamptz',
  DATE: 'date',
  DATETIME: 'timestamp',
  TIME: 'time',
  JSON: 'jsonb',
};

/** What the source database is like, as far as per-row checks care. */
export interface SourceTraits {
  /** The database's encoding is SQL_ASCII: text is stored as unchecked bytes and may not be UTF-8. */
  sqlAscii: boolean;
  /** Largest row BigQuery loads (default MAX_ROW_BYTES; smaller in tests). */
  maxRowBytes: number;
}

export const DEFAULT_SOURCE_TRAITS: SourceTraits = { sqlAscii: false, maxRowBytes: MAX_ROW_BYTES };

/**
 * jsonb has no cheap measure of its text size: the cast to text is paid only by values whose stored
 * (possibly compressed) size is past this share of the limit, so ordinary rows skip it.
 */
const JSON_SIZE_GUARD = 1000;

/**
 * SQL for the bytes a variable-length value takes in the staged row, or undefined for fixed-size
 * values (and hashes: 64 characters whatever goes in). A jsonb below the guard counts its stored
 * size, a close enough stand-in for a value that small.
 */
function sizeInRow(column: ColumnContract, udt: string, ref: string, traits: SourceTraits): string | undefined {
  if (!isVariableLength(column.type) || column.privacy === 'hash' || column.privacy === 'drop') return undefined;
  if (udt !== 'jsonb' && udt !== 'json') return stagedBytes(column.type, ref);
  return `(case when pg_column_size(${ref}) > ${Math.floor(traits.maxRowBytes / JSON_SIZE_GUARD)} then octet_length(${ref}::text) else pg_column_size(${ref}) end)`;
}

/**
 * The check on the whole row's size, when more than one value can grow: `guard` (the sum over the
 * limit) is the one size test every row pays; `check` names the row only when no single value is
 * over on its own (that value's own check names its column).
 */
export function rowSizeCheck(table: TableContract, sourceColumns: Map<string, SourceColumn>, traits: SourceTraits = DEFAULT_SOURCE_TRAITS, alias = 't'): { check: RowCheck; guard: string } | undefined {
  const sizes = table.columns.flatMap((column) => {
    const source = sourceColumns.get(column.name);
    const size = source ? sizeInRow(column, source.udt, `${alias}.${quotePg(column.name)}`, traits) : undefined;
    return size ? [`coalesce(${size}, 0)`] : [];
  });
  if (sizes.length < 2) return undefined;
  const guard = `${sizes.join(' + ')} > ${traits.maxRowBytes}`;
  return { guard, check: { condition: `${guard} and greatest(${sizes.join(', ')}) <= ${traits.maxRowBytes}`, reason: `row: larger than BigQuery's ${traits.maxRowBytes}-byte row limit`, size: true } };
}

/** A check that may only evaluate `check` once `valid` holds (a cast of an invalid text would raise). */
const guarded = (valid: string, check: LimitCheck): LimitCheck => ({ condition: `(case when ${valid} then ${check.condition} else false end)`, rule: check.rule });

/** Checks for what BigQuery cannot hold, on the value's Postgres expression `ref` of type `udt`. */
function limitChecks(type: ColumnContract['type'], udt: string, ref: string): LimitCheck[] {
  if (type === 'TIMESTAMP' || type === 'DATETIME' || type === 'DATE') {
    const condition = dateRangeCondition(udt, ref);
    return condition ? [{ condition, rule: `${type} outside BigQuery's range 0001-01-01..9999-12-31` }] : [];
  }
  if ((type === 'NUMERIC' || type === 'BIGNUMERIC') && udt === 'numeric') return numericChecks(type, ref);
  if (type === 'FLOAT64' && udt === 'numeric') return [floatFromNumericCheck(ref)];
  return [];
}

export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const expectedJsonType = (type: string): JsonType => (type === 'BOOL' ? 'boolean' : type === 'STRING' ? 'string' : 'number');

/** What the metric checks of a jsonb metrics column test, for the CSV framer (undefined for json: its text is not normalised). */
function metricShape(jsonFn: 'jsonb' | 'json', metrics: TelemetryContract): MetricShape | undefined {
  if (jsonFn !== 'jsonb') return undefined;
  return { known: Object.entries(metrics.metrics).map(([key, metric]) => ({ key, expected: expectedJsonType(metric.type) })) };
}

function metricChecks(jsonRef: string, jsonFn: 'jsonb' | 'json', metrics: TelemetryContract): RowCheck[] {
  const checkable = jsonFn === 'jsonb' ? { loaderCheckable: true } : {};
  const checks: RowCheck[] = [{ condition: `${jsonFn}_typeof(${jsonRef}) <> 'object'`, reason: 'metrics: not a JSON object', ...checkable }];
  // When every known metric expects one JSON type, an object none of whose values has another type
  // (null aside) passes every per-key test: one jsonpath test over the values (strict: an array
  // value is not unwrapped) stands in for them in the per-row test (measured 10% cheaper).
  const types = new Set(Object.values(metrics.metrics).map((m) => expectedJsonType(m.type)));
  const only = types.size === 1 ? [...types][0] : undefined;
  const prefilter = only && jsonFn === 'jsonb' ? `(${jsonRef} @? 'strict $.* ? (@.type() != "${only}" && @.type() != "null")')` : undefined;
  for (const [key, metric] of Object.entries(metrics.metrics)) {
    sqlIdentifier(key, 'metric key');
    const expected = expectedJsonType(metric.type);
    // JSON null counts as "not reported", like an absent key. `->` of a key gives null for an array
    // or a scalar (the check above names those), so the test needs no guard of its own.
    checks.push({
      condition: `${jsonFn}_typeof(${jsonRef} -> ${sqlLiteral(key)}) not in ('${expected}', 'null')`,
      reason: `metrics.${key}: known metric is not a ${expected}`,
      ...(prefilter ? { prefilter } : {}),
      ...checkable,
    });
  }
  return checks;
}

/** Element casts of a Postgres array for a REPEATED column of each type (numbers as exact strings). */
const ARRAY_CAST: Partial<Record<ColumnContract['type'], (udt: string) => string | undefined>> = {
  STRING: () => 'text[]',
  INT64: (udt) => (INTEGERS.has(udt) ? 'int8[]' : undefined),
  FLOAT64: (udt) => (INTEGERS.has(udt) || udt === 'float4' || udt === 'float8' || udt === 'numeric' ? 'float8[]' : undefined),
  NUMERIC: (udt) => (udt === 'numeric' || INTEGERS.has(udt) ? 'text[]' : undefined),
  BIGNUMERIC: (udt) => (udt === 'numeric' || INTEGERS.has(udt) ? 'text[]' : undefined),
  BOOL: (udt) => (udt === 'bool' ? 'bool[]' : undefined),
  TIMESTAMP: (udt) => (udt === 'timestamptz' ? 'timestamptz[]' : undefined),
  DATE: (udt) => (udt === 'date' ? 'date[]' : undefined),
};

/**
 * A REPEATED column from a Postgres array (pg_type names arrays `_<element>`): a JSON array, `[]`
 * for a null array (BigQuery arrays are never null). A null element or a second dimension cannot
 * be held by a BigQuery array: the row is quarantined.
 */
function planArrayColumn(table: TableContract, column: ColumnContract, source: SourceColumn, ref: string): ColumnPlan {
  const element = source.udt.startsWith('_') ? source.udt.slice(1) : undefined;
  const cast = element ? ARRAY_CAST[column.type]?.(element) : undefined;
  if (!element || !cast) throw new ColumnTypeError(table.name, column.name, `a REPEATED ${column.type} column needs a Postgres array of a matching type (source type ${source.udt})`);
  if (column.privacy) throw new ColumnTypeError(table.name, column.name, 'a privacy policy cannot apply to a REPEATED column');
  return {
    name: column.name,
    value: `coalesce(to_json(${ref}::${cast}), '[]'::json)`,
    native: false,
    checks: [
      { condition: `array_ndims(${ref}) > 1`, reason: `${column.name}: a multidimensional array, which a BigQuery ARRAY cannot hold` },
      { condition: `(case when array_ndims(${ref}) = 1 then array_position(${ref}, null) is not null else false end)`, reason: `${column.name}: an array with a null element, which a BigQuery ARRAY cannot hold` },
    ],
  };
}

/** The read plan of one contract column (never called for privacy: drop). */
export function planColumn(
  table: TableContract,
  column: ColumnContract,
  source: SourceColumn,
  metrics: TelemetryContract | undefined,
  alias = 't',
  traits: SourceTraits = DEFAULT_SOURCE_TRAITS,
): ColumnPlan {
  const ref = `${alias}.${quotePg(column.name)}`;
  if (column.mode === 'REPEATED') return planArrayColumn(table, column, source, ref);
  const checks: RowCheck[] = [];
  const add = (check: LimitCheck) => checks.push({ condition: check.condition, reason: `${column.name}: ${check.rule}` });
  // A NOT NULL source column needs no per-row check (it is the common case, and checks cost per row).
  if (column.mode === 'REQUIRED' && !source.notNull) checks.push({ condition: `${ref} is null`, reason: `${column.name}: REQUIRED column is null` });

  let value = nativeValue(column.type, source.udt, ref);
  const native = value !== undefined;
  let jsonRef: string | undefined;
  let jsonFn: 'jsonb' | 'json' = 'jsonb';
  if (value !== undefined) {
    const limits = limitChecks(column.type, source.udt, ref);
    limits.forEach(add);
    // The cast of a numeric past a double's range raises: the value is computed for quarantined rows too.
    if (column.type === 'FLOAT64' && source.udt === 'numeric') value = `case when not (${limits.map((l) => l.condition).join(' or ')}) then ${value} end`;
    if (column.type === 'JSON') {
      jsonRef = ref;
      jsonFn = source.udt === 'json' ? 'json' : 'jsonb';
    }
  } else {
    const parseAs = PARSE_AS[column.type];
    if (!parseAs || !TEXT_LIKE.has(source.udt)) {
      throw new ColumnTypeError(table.name, column.name, `source type ${source.udt} cannot carry contract type ${column.type}`);
    }
    // Stored as text: parse per row; a value that does not parse is quarantined with its text kept.
    const valid = `pg_input_is_valid(${ref}, '${parseAs}')`;
    const parsed = column.type === 'NUMERIC' || column.type === 'BIGNUMERIC' ? `(${ref})::numeric::text` : `(${ref})::${parseAs}`;
    value = `case when ${valid} then to_json(${parsed}) else to_json(${ref}) end`;
    checks.push({ condition: `${ref} is not null and not ${valid}`, reason: `${column.name}: not a valid ${column.type}` });
    limitChecks(column.type, parseAs, `(${ref})::${parseAs}`).forEach((check) => add(guarded(valid, check)));
    if (column.type === 'JSON') jsonRef = `(case when ${valid} then (${ref})::jsonb end)`;
  }
  const text = TEXT_LIKE.has(source.udt) ? ref : `${ref}::text`;
  if (traits.sqlAscii && (column.type === 'STRING' || column.type === 'JSON')) add({ condition: invalidUtf8Condition(text), rule: 'not valid UTF-8 (the source database is SQL_ASCII)' });
  const size = sizeInRow(column, source.udt, ref, traits);
  if (size) checks.push({ condition: `${size} > ${traits.maxRowBytes}`, reason: `${column.name}: value larger than BigQuery's ${traits.maxRowBytes}-byte row limit`, size: true });

  if (column.privacy && column.privacy !== 'drop') {
    const violation = privacyViolation(column.privacy, value);
    if (violation) checks.push({ condition: violation.condition, reason: `${column.name}: ${violation.reason}` });
    value = privacyExpression(column.privacy, value);
  }
  let shape: MetricShape | undefined;
  if (metrics && column.name === 'metrics' && jsonRef) {
    checks.push(...metricChecks(jsonRef, jsonFn, metrics));
    // Only the source's own jsonb, as it is: the framer reads the staged text of that value.
    shape = native && !column.privacy ? metricShape(jsonFn, metrics) : undefined;
  }
  return { name: column.name, value, checks, native, ...(shape ? { metricShape: shape } : {}) };
}

/** Plans of every exported column, in contract order (privacy: drop columns are never read). */
export function planColumns(table: TableContract, sourceColumns: Map<string, SourceColumn>, metrics: TelemetryContract | undefined, traits: SourceTraits = DEFAULT_SOURCE_TRAITS): ColumnPlan[] {
  return table.columns
    .filter((column) => column.privacy !== 'drop')
    .map((column) => {
      const source = sourceColumns.get(column.name);
      if (!source) throw new ColumnTypeError(table.name, column.name, 'missing in the source table');
      return planColumn(table, column, source, metrics, 't', traits);
    });
}

/**
 * Name of the extra, last column that carries a row's quarantine reasons. Contract columns cannot
 * start with `_`, so it never collides; row_to_json puts it last, where the splitter looks for it.
 */
export const REJECT_COLUMN = '_reject';

/** What frames a row's checks: the text naming its primary key, and checks on the row as a whole. */
export interface RowFrame {
  /** SQL text expression such as `'reading_id=' || t.reading_id`, appended to the reasons. */
  keyText: string;
  rowChecks: RowCheck[];
  /** One test standing in for every size check in the per-row OR (they then only build reasons). */
  sizeGuard?: string;
  /**
   * The CSV framer checks the rows' metrics (metric-shape.ts): loaderCheckable checks leave the
   * per-row test, so Postgres builds reasons only for rows that fail another check; the rows the
   * framer finds broken are read again with every check (held-rows.ts).
   */
  loaderChecked?: boolean;
}

/** `k1=v1, k2=v2` of the row's primary key, as SQL (null key values read `null`). */
export function keyTextSql(primaryKey: string[], alias = 't'): string {
  return `concat_ws(', ', ${primaryKey.map((k) => `${sqlLiteral(`${sqlIdentifier(k)}=`)} || coalesce(${alias}.${quotePg(k)}::text, 'null')`).join(', ')})`;
}

/**
 * Select list of the row subquery: each column's value under its contract name, then the reasons.
 * The outer query turns it into JSON with row_to_json, which measured faster than json_build_object
 * and writes compact JSON (no spaces), so fewer bytes to compress and upload.
 */
export function rowSelectList(plans: ColumnPlan[], frame?: RowFrame): string {
  return [...plans.map((p) => `${p.value} as ${quotePg(p.name)}`), `${rejectReasonExpression(plans, frame)} as "${REJECT_COLUMN}"`].join(', ');
}

/**
 * SQL for the row's quarantine reasons joined by `; ` and followed by ` (row <key>)`, or null when
 * the row is valid. A single OR of all conditions guards the string building, which then runs only
 * for the (rare) broken rows.
 */
export function rejectReasonExpression(plans: ColumnPlan[], frame?: RowFrame): string {
  const checks = [...plans.flatMap((p) => p.checks), ...(frame?.rowChecks ?? [])];
  if (checks.length === 0) return 'null::text';
  const tested = frame?.loaderChecked ? checks.filter((c) => !c.loaderCheckable) : checks;
  if (tested.length === 0) return 'null::text';
  const joined = `concat_ws('; ', ${checks.map((c) => `case when ${c.condition} then ${sqlLiteral(c.reason)} end`).join(', ')})`;
  const reasons = frame ? `nullif(${joined}, '') || ' (row ' || ${frame.keyText} || ')'` : `nullif(${joined}, '')`;
  const plain = tested.filter((c) => !(frame?.sizeGuard && c.size) && !c.prefilter).map((c) => c.condition);
  const prefilters = [...new Set(tested.flatMap((c) => (c.prefilter ? [c.prefilter] : [])))];
  const filtered = prefilters.map((pre) => `${pre} and (${tested.filter((c) => c.prefilter === pre).map((c) => `(${c.condition})`).join(' or ')})`);
  const guards = [...plain, ...filtered, ...(frame?.sizeGuard ? [frame.sizeGuard] : [])];
  if (checks.length === 1) return reasons;
  return `case when ${guards.map((c) => `(${c})`).join(' or ')} then ${reasons} end`;
}
