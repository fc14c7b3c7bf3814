/**
 * BigQuery's "No matching signature" for operators and functions whose arguments need a common type
 * (conversion_rules: no coercion between STRING and INT64/FLOAT64/NUMERIC/BOOL, nor between BOOL and a
 * number; a STRING converts to a date/time only as a literal or a parameter), where DuckDB would cast one
 * side and answer: `x BETWEEN a AND b`, `CASE x WHEN v ...`, NULLIF, GREATEST and LEAST (COALESCE, IFNULL,
 * IF and CASE branches DuckDB refuses itself). Each check is bq_comparable over typeof() of the pieces,
 * which DuckDB folds to a constant, so an accepted call keeps its plain form. The refusal raises through a
 * failing CAST in a second WHEN, so the CASE keeps the call's own type.
 */

/** A STRING literal or a query parameter: BigQuery coerces those (only) to DATE, DATETIME, TIME and TIMESTAMP (conversion_rules#coercion). */
export const COERCIBLE = /^('|\(CAST\(CAST\(\$\d+ AS)/;

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
