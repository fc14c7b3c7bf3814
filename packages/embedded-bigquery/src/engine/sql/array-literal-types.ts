/**
 * The element type of an array literal `[a, b, ...]` where BigQuery's supertype rule with literal
 * coercion (conversion_rules#supertypes, "Supertypes and literals") and DuckDB's list typing part: a
 * floating-point literal beside a NUMERIC value coerces to NUMERIC (`[1.5, NUMERIC '1']` is
 * ARRAY<NUMERIC>), where DuckDB makes every element DOUBLE. Only arrays whose elements are all
 * literals are rewritten (their types are known from the text); beside a floating-point literal, an
 * element whose type the text does not tell fails loudly when DuckDB types it NUMERIC or BIGNUMERIC
 * (`[1.5, numeric_column]`: arrayLiteral); others keep DuckDB's list typing, which is BigQuery's.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import type { TranslationContext } from './translation-context.js';
import { exactDecimalLiteral } from './literals.js';

type Element = 'int' | 'float' | 'null' | 'numeric' | undefined;

/** What the element's text says of its type: a number literal, NULL, a NUMERIC literal or CAST of a literal to NUMERIC. */
function elementKind(item: Token[]): Element {
  const x = item.length === 2 && isOp(item[0], '-') ? item.slice(1) : item;
  if (x.length === 1 && x[0]!.kind === 'number') return /^(\d+|0x[0-9a-f]+)$/i.test(x[0]!.value) ? 'int' : 'float';
  if (x.length === 1 && isKeyword(x[0], 'NULL')) return 'null';
  if (x.length === 2 && isKeyword(x[0], 'NUMERIC', 'DECIMAL') && x[1]!.kind === 'string') return 'numeric';
  const cast = isKeyword(x[0], 'CAST') && isOp(x[1], '(') && isOp(x[x.length - 1], ')') && isKeyword(x[x.length - 2], 'NUMERIC', 'DECIMAL') && isKeyword(x[x.length - 3], 'AS');
  const inner = x.slice(2, -3);
  return cast && (inner.length === 1 || (inner.length === 2 && isOp(inner[0], '-'))) && ['number', 'string'].includes(inner[inner.length - 1]!.kind) ? 'numeric' : undefined;
}

/** The array literal's elements as DuckDB SQL, floating-point literals made NUMERIC where a NUMERIC literal stands beside them. */
export function arrayItems(t: TranslationContext, items: Token[][]): string[] {
  const sql = items.map((a) => t.sub(a));
  const kinds = items.map(elementKind);
  if (!kinds.includes('numeric') || !kinds.includes('float') || kinds.includes(undefined)) return sql;
  // the literal's own digits, as BigQuery coerces it (not the nearest DOUBLE's)
  const text = (item: Token[]): string => item.map((x) => x.value).join('');
  return sql.map((x, k) => (kinds[k] === 'float' ? (exactDecimalLiteral(text(items[k]!), 'NUMERIC') ?? `CAST(${x} AS DECIMAL(38,9))`) : x));
}

/**
 * The array literal `[items]` as DuckDB SQL. Where a floating-point literal stands beside elements
 * whose types the text does not tell, BigQuery coerces the literal to a NUMERIC or BIGNUMERIC
 * element's type (ARRAY<NUMERIC>) where DuckDB makes the list DOUBLE, so the list fails loudly when
 * one of those elements is DECIMAL; typeof() folds while DuckDB binds, so the guard costs nothing and
 * fails over no rows too. Beside INT64, FLOAT64 or other elements DuckDB's DOUBLE list is BigQuery's.
 */
export function arrayLiteral(t: TranslationContext, items: Token[][]): string {
  const sql = arrayItems(t, items);
  const list = `[${sql.join(', ')}]`;
  const kinds = items.map(elementKind);
  if (!kinds.includes('float') || !kinds.includes(undefined)) return list;
  const decimal = sql.filter((_, k) => kinds[k] === undefined).map((x) => `typeof(${x}) LIKE 'DECIMAL%'`).join(' OR ');
  return `CASE WHEN NOT (${decimal}) THEN ${list} WHEN CAST('An array literal of a floating-point literal beside a NUMERIC or BIGNUMERIC expression (BigQuery coerces the literal to NUMERIC) is not supported by the embedded BigQuery bq_raise' AS INTEGER) = 0 THEN NULL END`;
}
