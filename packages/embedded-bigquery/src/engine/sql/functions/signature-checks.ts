/**
 * BigQuery's "No matching signature" for operators and functions whose arguments need a common type
 * (conversion_rules: no coercion between STRING and INT64/FLOAT64/NUMERIC/BOOL, nor between BOOL and a
 * number; a STRING converts to a date/time only as a literal or a parameter), where DuckDB would cast one
 * side and answer: `x BETWEEN a AND b`, `CASE x WHEN v ...`, NULLIF, GREATEST and LEAST (COALESCE, IFNULL,
 * IF and CASE results: function-signatures.ts and checkCaseResults here). Each check is bq_comparable over typeof() of the pieces,
 * which DuckDB folds to a constant, so an accepted call keeps its plain form. The refusal raises through a
 * failing CAST in a second WHEN, so the CASE keeps the call's own type.
 */

import { BigQueryApiError } from '../../types.js';
import { COERCIBLE, KIND_NAMES, staticKind, typeNameSql } from './argument-kinds.js';
import { commonSupertype } from './supertype-checks.js';

export { COERCIBLE };

/** The check that values a and b have a common type for BigQuery. */
export function comparable(a: string, b: string): string {
  return `bq_comparable(typeof(${a}), typeof(${b}), ${COERCIBLE.test(a)}, ${COERCIBLE.test(b)})`;
}

/** `sql` when every pair of items has a common type, else BigQuery's error naming the items' types. */
export function checkedCall(sql: string, items: string[], what: string, signature: string): string {
  const checks: string[] = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) checks.push(comparable(items[i]!, items[j]!));
  if (checks.length === 0) return sql;
  const names = items.map((x) => `bq_type_name(typeof(${x}))`).join(" || ', ' || ");
  return `CASE WHEN ${checks.join(' AND ')} THEN ${sql} WHEN CAST('No matching signature for ${what} for argument types: ' || ${names} || '. Supported signature: ${signature} bq_raise' AS INTEGER) = 0 THEN NULL END`;
}

/** The top-level comma-separated items of `(a, b, ...)` (quotes and brackets respected), or undefined. */
export function listItems(piece: string): string[] | undefined {
  if (!piece.startsWith('(') || !piece.endsWith(')') || /^\(\s*(select|with)\b/i.test(piece)) return undefined;
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 1;
  for (let k = 1; k < piece.length - 1; k++) {
    const ch = piece[k]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) {
      if (--depth < 0) return undefined;
    } else if (ch === ',' && depth === 0) {
      items.push(piece.slice(from, k).trim());
      from = k + 1;
    }
  }
  if (depth !== 0 || quote) return undefined;
  items.push(piece.slice(from, piece.length - 1).trim());
  return items.every((x) => x !== '') ? items : undefined;
}

/** A piece that is one NULLIF call (as the translator passes it through): the check over its two arguments (GREATEST and LEAST: math-functions.ts). */
export function checkCallPiece(piece: string): string {
  const m = /^nullif(\(.*\))$/is.exec(piece);
  const items = m ? listItems(m[1]!) : undefined;
  return items?.length === 2 ? checkedCall(`bq_struct_guard(${items[0]}, ${items[1]}, ${piece})`, items, 'function NULLIF', 'NULLIF(ANY, ANY)') : piece;
}

/**
 * `CASE x WHEN v1 THEN ... [WHEN v2 ...]` (the inside pieces of one CASE): x is compared with each v, so
 * each v of one piece needs a common type with x. Returns the whole CASE, checked.
 */
export function checkSimpleCase(whole: string, inside: string[]): string {
  return checkSimpleCaseValues(checkCaseResults(whole, inside), inside);
}

/** The THEN and ELSE results of one CASE (the inside pieces; a result of several pieces parenthesized). */
function caseResults(inside: string[]): string[] {
  const results: string[] = [];
  let depth = 0;
  let from = -1;
  const close = (k: number): void => {
    if (from >= 0 && k > from) results.push(k - from === 1 ? inside[from]! : `(${inside.slice(from, k).join(' ')})`);
    from = -1;
  };
  for (let k = 0; k < inside.length; k++) {
    const p = inside[k]!;
    if (/^case$/i.test(p)) depth++;
    else if (/^end$/i.test(p)) depth--;
    else if (depth === 0 && /^(when|else)$/i.test(p)) {
      close(k);
      if (/^else$/i.test(p)) from = k + 1;
    } else if (depth === 0 && /^then$/i.test(p)) from = k + 1;
  }
  close(inside.length);
  return results;
}

const CASE_MESSAGE = 'No matching signature for operator CASE; all THEN/ELSE arguments must be coercible to a common type but found: ';

/** A CASE whose THEN/ELSE results have no common supertype (CASE WHEN c THEN 1 ELSE 'a' END answered 1) fails as in BigQuery. */
function checkCaseResults(whole: string, inside: string[]): string {
  const results = caseResults(inside);
  if (results.length < 2 || results.length > 16 || results.some((x) => /\bselect\b/i.test(x))) return whole;
  const verdict = commonSupertype(results);
  if ('known' in verdict && verdict.known) return whole;
  if ('known' in verdict && results.every((x) => staticKind(x) !== undefined)) {
    throw new BigQueryApiError('invalidQuery', `${CASE_MESSAGE}${results.map((x) => KIND_NAMES[staticKind(x)!]).join(', ')}`);
  }
  const ok = 'sql' in verdict ? verdict.sql : 'false';
  const names = results.map((x) => (staticKind(x) !== undefined ? `'${KIND_NAMES[staticKind(x)!]}'` : typeNameSql(x))).join(" || ', ' || ");
  return `CASE WHEN ${ok} THEN ${whole} WHEN CAST('${CASE_MESSAGE}' || ${names} || ' bq_raise' AS INTEGER) = 0 THEN NULL END`;
}

function checkSimpleCaseValues(whole: string, inside: string[]): string {
  if (inside.length < 3 || /^when$/i.test(inside[0]!) || !/^when$/i.test(inside[1]!)) return whole;
  const values: string[] = [];
  let depth = 0;
  for (let k = 1; k + 2 < inside.length; k++) {
    if (/^case$/i.test(inside[k]!)) depth++;
    else if (/^end$/i.test(inside[k]!)) depth--;
    else if (depth === 0 && /^when$/i.test(inside[k]!) && /^then$/i.test(inside[k + 2]!)) values.push(inside[k + 1]!);
  }
  if (values.length === 0 || values.length > 16) return whole;
  const x = inside[0]!;
  const checks = values.map((v) => comparable(x, v)).join(' AND ');
  const names = [x, ...values].map((v) => `bq_type_name(typeof(${v}))`).join(" || ', ' || ");
  // STRUCT values DuckDB would match otherwise than BigQuery fail loudly (struct-compare.ts)
  const guarded = `CASE WHEN ${values.map((v) => `bq_struct_unsure(${x}, ${v})`).join(' OR ')} THEN bq_struct_refuse() ELSE ${whole} END`;
  return `CASE WHEN ${checks} THEN ${guarded} WHEN CAST('No matching signature for operator CASE for argument types: ' || ${names} || ' bq_raise' AS INTEGER) = 0 THEN NULL END`;
}
