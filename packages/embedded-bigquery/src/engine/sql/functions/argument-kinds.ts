/**
 * The kinds of argument types BigQuery's signatures tell apart (conversion_rules), as one letter each,
 * in TypeScript for the pieces whose type the translator's text decides and in SQL (tests over
 * typeof(), which DuckDB folds to a constant) for the others:
 * s STRING, y BYTES, i INT64, n NUMERIC, N BIGNUMERIC, f FLOAT64, b BOOL, d DATE, e DATETIME, t TIME,
 * z TIMESTAMP, v INTERVAL, j JSON, a ARRAY, r STRUCT, g RANGE, 0 an untyped NULL, o anything else
 * (never refused).
 */

/** A STRING literal or a query parameter: BigQuery coerces those (only) to DATE, DATETIME, TIME and TIMESTAMP (conversion_rules#coercion). */
export const COERCIBLE = /^('|\(CAST\(CAST\(\$\d+ AS)/;

/** DuckDB's type names (typeof()) of the kinds named exactly. */
const EXACT: Record<string, string[]> = {
  s: ['VARCHAR'], y: ['BLOB'], i: ['BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT'], f: ['DOUBLE', 'FLOAT'], b: ['BOOLEAN'],
  d: ['DATE'], e: ['TIMESTAMP'], t: ['TIME'], z: ['TIMESTAMP WITH TIME ZONE'], v: ['INTERVAL'], j: ['JSON'],
};
const ALL = 'syinNfbdetzvjarg';

/** SQL that is TRUE when typeof(x) is of one of `kinds` (letters). */
function ofKinds(x: string, kinds: string[], nulls: boolean): string {
  const t = `typeof(${x})`;
  const names = [...kinds.flatMap((k) => EXACT[k] ?? []), ...(nulls ? ['"NULL"'] : [])];
  const tests = names.length > 0 ? [`${t} IN (${names.map((n) => `'${n}'`).join(', ')})`] : [];
  const has = (k: string): boolean => kinds.includes(k);
  if (has('n') && has('N')) tests.push(`${t} LIKE 'DECIMAL(%'`);
  else if (has('N')) tests.push(`${t} LIKE 'DECIMAL(%,19)'`);
  else if (has('n')) tests.push(`(${t} LIKE 'DECIMAL(%' AND ${t} NOT LIKE 'DECIMAL(%,19)')`);
  if (has('a')) tests.push(`${t} LIKE '%[]'`);
  if (has('r') && has('g')) tests.push(`${t} LIKE 'STRUCT(%)'`);
  else if (has('r')) tests.push(`(${t} LIKE 'STRUCT(%)' AND ${t} NOT LIKE 'STRUCT("range.start"%)')`);
  else if (has('g')) tests.push(`${t} LIKE 'STRUCT("range.start"%)'`);
  return tests.length === 0 ? 'false' : tests.length === 1 ? tests[0]! : `(${tests.join(' OR ')})`;
}

/**
 * SQL that is TRUE when x's type is of a kind `allowed` has, or NULL: the shorter of the test for
 * those kinds (a type of no kind here, which BigQuery lacks, then fails loudly) and the test for the
 * others, negated. Plain IN and LIKE tests over typeof(): DuckDB folds them to a constant for a
 * fraction of a millisecond while it plans (a macro per test cost ten times that).
 */
export function acceptedSql(x: string, allowed: string): string {
  // a RANGE passes: the functions that would print or mix the engine's struct fail loudly themselves (range.ts)
  const kinds = [...ALL].filter((k) => allowed.includes(k) || k === 'g');
  const others = [...ALL].filter((k) => !allowed.includes(k) && k !== 'g');
  return kinds.length <= others.length ? ofKinds(x, kinds, true) : `NOT ${ofKinds(x, others, false)}`;
}

/**
 * SQL of x's supertype group as far as DuckDB mixes types BigQuery does not (a number with a BOOL,
 * a DATE with a TIMESTAMP, a STRING with JSON; the other mixes DuckDB refuses itself): '' for the
 * types that join any group here.
 */
export function groupSql(x: string): string {
  const t = `typeof(${x})`;
  return `CASE WHEN ${t} IN ('BIGINT', 'INTEGER', 'HUGEINT', 'SMALLINT', 'TINYINT', 'DOUBLE', 'FLOAT') OR ${t} LIKE 'DECIMAL(%' THEN 'n' WHEN ${t} IN ('DATE', 'TIMESTAMP') THEN 'd' WHEN ${t} IN ('BOOLEAN', 'TIMESTAMP WITH TIME ZONE', 'JSON', 'VARCHAR', 'TIME') THEN ${t} ELSE '' END`;
}

/** The kind of a piece the translator wrote, when its text alone decides it; undefined otherwise. */
export function staticKind(piece: string): string | undefined {
  if (/^'(?:[^']|'')*'$/.test(piece)) return 's';
  if (/^\d{1,9}$/.test(piece) || /^CAST\(\d+ AS BIGINT\)$/.test(piece)) return 'i';
  if (/^CAST\([\d.eE+-]+ AS DOUBLE\)$/.test(piece)) return 'f';
  if (/^(true|false)$/i.test(piece)) return 'b';
  // ERROR(...) coerces to any type, as NULL does (and typeof() of it would raise while DuckDB plans)
  if (/^null$/i.test(piece) || /^error\(/.test(piece)) return '0';
  const cast = /^\(?CAST\((?:'(?:[^']|'')*'|CAST\(\$\d+ AS VARCHAR\)) AS (BLOB|DATE|TIMESTAMP|TIMESTAMPTZ|TIME|VARCHAR|BIGINT|BOOLEAN|DOUBLE|DECIMAL\(38,9\)|DECIMAL\(38,19\))\)\)?$/.exec(piece);
  if (cast) return CAST_KINDS[cast[1]!];
  if (piece === 'get_current_timestamp()') return 'z';
  return undefined;
}

const CAST_KINDS: Record<string, string> = {
  BLOB: 'y', DATE: 'd', TIMESTAMP: 'e', TIMESTAMPTZ: 'z', TIME: 't', VARCHAR: 's', BIGINT: 'i', BOOLEAN: 'b', DOUBLE: 'f', 'DECIMAL(38,9)': 'n', 'DECIMAL(38,19)': 'N',
};

/** BigQuery's name of a kind known from the text (messages raised when the statement is translated). */
export const KIND_NAMES: Record<string, string> = {
  s: 'STRING', y: 'BYTES', i: 'INT64', n: 'NUMERIC', N: 'BIGNUMERIC', f: 'FLOAT64', b: 'BOOL', d: 'DATE', e: 'DATETIME', t: 'TIME', z: 'TIMESTAMP', '0': 'NULL',
};

/** The SQL of x's DuckDB type marked for error-texts.ts, which names it as BigQuery does (signature-errors.ts). */
export const typeNameSql = (x: string): string => `'{{' || typeof(${x}) || '}}'`;

/**
 * Supertype groups (conversion_rules#supertypes): the numbers coerce to each other, DATE to DATETIME;
 * other kinds only to themselves. A STRING literal or parameter also joins DATE, DATETIME, TIME and
 * TIMESTAMP; NULL joins any.
 */
export const SUPER: Record<string, string> = { i: 'n', n: 'n', N: 'n', f: 'n', d: 'd', e: 'd' };
export const superOf = (kind: string): string => SUPER[kind] ?? kind;

/** The kinds of each supertype group, as letters. */
export const GROUP_KINDS: Record<string, string> = { n: 'inNf', d: 'de' };
export const groupKinds = (group: string): string => GROUP_KINDS[group] ?? group;
