/**
 * The comparison `a op b` when the translator knows an operand's type from its own text: a STRING
 * literal, an INT64 or BOOL literal, a DATE/DATETIME/TIMESTAMP literal, CURRENT_TIMESTAMP(), or a
 * scalar query parameter (bound as `CAST(CAST($n AS VARCHAR) AS <type>)`). The checked form
 * (operators.ts) asks DuckDB for both types with bq_comparable, bq_nan_pair and bq_struct_guard,
 * which DuckDB folds to a constant but binds first: about 2 ms a comparison, most of a one-row
 * UPDATE. Where the types are known the same rules are decided here instead:
 * - both known: BigQuery compares them (conversion_rules: no STRING against INT64 or BOOL, no BOOL
 *   against INT64, a STRING against a date/time only as a literal or parameter) and neither is
 *   FLOAT64 or a STRUCT, so the checked form folds to the bare DuckDB comparison: emitted as it is;
 * - one known: one small test of the other operand's type (typeof, folded) picks the comparison
 *   or BigQuery's "No matching signature"; a FLOAT64 operand keeps the NaN rule where it matters
 *   (ordering against a number: NaN < 1 is FALSE in BigQuery, TRUE in DuckDB; NaN = 1 is FALSE in
 *   both), and a STRUCT operand fails loudly (BigQuery compares a STRUCT with no scalar).
 * Incomparable known types, operands of types not listed and an other operand holding a subquery
 * keep the checked form.
 */
import { COERCIBLE } from './signature-checks.js';

/** A DuckDB type as typeof() names it, for the types this file decides. */
type Known = 'VARCHAR' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'TIMESTAMP WITH TIME ZONE';

/** bq_type_kind's letter: s STRING, n number, b BOOL, d date/time. */
const KIND: Record<Known, 's' | 'n' | 'b' | 'd'> = {
  VARCHAR: 's', INTEGER: 'n', BIGINT: 'n', BOOLEAN: 'b', DATE: 'd', TIMESTAMP: 'd', 'TIMESTAMP WITH TIME ZONE': 'd',
};

/** bq_type_name: the type as BigQuery names it in messages. */
const NAME: Record<Known, string> = {
  VARCHAR: 'STRING', INTEGER: 'INT64', BIGINT: 'INT64', BOOLEAN: 'BOOL', DATE: 'DATE', TIMESTAMP: 'DATETIME', 'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP',
};

const CAST_TYPE: Record<string, Known> = { VARCHAR: 'VARCHAR', BIGINT: 'BIGINT', BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP', TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE' };

const STRING = /^'(?:[^']|'')*'$/;
/** A scalar parameter (params.ts); a DATE, DATETIME or TIMESTAMP one inside its range check (limits.ts). */
const PARAM = /^\(CAST\(CAST\(\$\d+ AS VARCHAR\) AS (VARCHAR|BIGINT|BOOLEAN)\)\)$/;
const RANGED_PARAM = /^\(bq_check_(?:date|datetime|timestamp)\(CAST\(CAST\(\$\d+ AS VARCHAR\) AS (DATE|TIMESTAMP|TIMESTAMPTZ)\)\)\)$/;
/** A typed literal (translator.ts: TYPED_LITERALS) or any CAST of a string literal to these types. */
const TYPED_LITERAL = /^CAST\('(?:[^']|'')*' AS (DATE|TIMESTAMP|TIMESTAMPTZ)\)$/;

/** The type of a piece the translator wrote, when its text alone decides it. */
export function knownType(piece: string): Known | undefined {
  if (STRING.test(piece)) return 'VARCHAR';
  // numberLiteral: up to 9 digits as written (INTEGER), longer ones cast to BIGINT
  if (/^\d{1,9}$/.test(piece)) return 'INTEGER';
  if (/^CAST\(\d{1,19} AS BIGINT\)$/.test(piece)) return 'BIGINT';
  if (/^(true|false)$/i.test(piece)) return 'BOOLEAN';
  if (piece === 'get_current_timestamp()') return 'TIMESTAMP WITH TIME ZONE';
  const cast = PARAM.exec(piece) ?? RANGED_PARAM.exec(piece) ?? TYPED_LITERAL.exec(piece);
  return cast ? CAST_TYPE[cast[1]!] : undefined;
}

/** Kinds of the other operand that make `known op other` "No matching signature" (bq_comparable's rule). */
function refusedKinds(known: Known, knownCoercible: boolean): string[] {
  switch (KIND[known]) {
    case 's': return knownCoercible ? ['n', 'b'] : ['n', 'b', 'd'];
    case 'n': return ['s', 'b'];
    case 'b': return ['s', 'n'];
    case 'd': return [];
  }
}

/** Whether BigQuery compares values of kinds ka and kb (la/lb: that side is a STRING literal or parameter). */
function comparable(ka: string, kb: string, la: boolean, lb: boolean): boolean {
  if (['sn', 'sb', 'ns', 'bs', 'bn', 'nb'].includes(ka + kb)) return false;
  return !((ka === 's' && kb === 'd' && !la) || (kb === 's' && ka === 'd' && !lb));
}

/** `left op right` (op as DuckDB writes it; name as BigQuery's message writes it) decided from known types, or undefined to keep the checked form. */
export function typedComparison(left: string, op: string, right: string, name: string): string | undefined {
  const lt = knownType(left);
  const rt = knownType(right);
  if (!lt && !rt) return undefined;
  const [lc, rc] = [COERCIBLE.test(left), COERCIBLE.test(right)];
  if (lt && rt) return comparable(KIND[lt], KIND[rt], lc, rc) ? `(${left} ${op} ${right})` : undefined;
  const [known, other, otherCoercible] = lt ? [lt, right, rc] : [rt!, left, lc];
  // an operand holding a subquery keeps the checked form, which evaluates it once (bind-once.ts)
  // (a quoted name such as "select" is no subquery)
  if (/\bselect\b/i.test(other.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""'))) return undefined;
  const kind = `bq_type_kind(typeof(${other}))`;
  const refused = [...refusedKinds(known, lt ? lc : rc)];
  // a STRING operand that is neither a literal nor a parameter does not convert to a date/time
  if (KIND[known] === 'd' && !otherCoercible) refused.push('s');
  const struct = `typeof(${other}) LIKE 'STRUCT(%'`;
  const ok = `${refused.length > 0 ? `${kind} NOT IN (${refused.map((k) => `'${k}'`).join(', ')}) AND ` : ''}NOT ${struct}`;
  const plain = `${left} ${op} ${right}`;
  // NaN against a number: only ordering differs (DuckDB sorts NaN above every number)
  const compare = KIND[known] === 'n' && op !== '=' && op !== '<>' ? `CASE WHEN bq_nan_pair(${left}, ${right}) THEN false ELSE ${plain} END` : plain;
  const names = lt ? `'${NAME[lt]}, ' || bq_type_name(typeof(${right}))` : `bq_type_name(typeof(${left})) || ', ${NAME[rt!]}'`;
  return `CASE WHEN ${ok} THEN ${compare} WHEN ${struct} THEN bq_struct_refuse() WHEN CAST('No matching signature for operator ${name} for argument types: ' || ${names} || '. Supported signature: ANY ${name} ANY bq_raise' AS INTEGER) = 0 THEN NULL END`;
}
