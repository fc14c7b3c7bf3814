/**
 * `RANGE<T> '[lower, upper)'` literals and the `RANGE(lower, upper)` constructor at token i
 * (lexical#range_literals, range-functions#range). A literal's text is split as ZetaSQL's
 * ParseRangeBoundaries does, strictly: `[`, the start, `, `, the end, `)`, no other spaces;
 * `UNBOUNDED` or `NULL` (any case) for a missing bound. Each bound is read as a literal of the
 * element type (its year checked, then BigQuery's range); a start not before the end fails when
 * the query runs (bq_range_of in functions/range.ts), as BigQuery's analyzer fails on it.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteString } from '../type-mapping.js';
import { checkLiteralYear, rangeChecked } from '../limits.js';
import { checkCivilLiteral } from './literals.js';
import { isOp, type Token } from './tokenizer.js';
import { parseTypeAt } from './type-names.js';
import { ELEMENT_DUCK, rangeElement, type RangeElement } from './range-type.js';
import { timestampLiteral, zoneOfEnv, type Zone } from './functions/time-zones.js';

/** The translator methods a RANGE construct needs. */
export interface RangeContext {
  readonly tokens: Token[];
  closing(i: number): number;
  call(name: string, open: number, close: number): string;
  /** The default time zone a TIMESTAMP bound without an offset is read in (translate-env.ts). */
  readonly env?: { readonly timeZone?: string };
}

/** The RANGE literal or constructor call at token i (the `RANGE` keyword): its SQL and the index after it. */
export function rangeConstruct(t: RangeContext, i: number, tablePosition: boolean): [string, number] {
  if (isOp(t.tokens[i + 1], '(')) {
    if (tablePosition) throw unsupported('RANGE in a FROM clause');
    const close = t.closing(i + 1);
    return [t.call('RANGE', i + 1, close), close + 1];
  }
  const [type, next] = parseTypeAt(t.tokens, i);
  const text = t.tokens[next];
  if (type.field.type !== 'RANGE' || text?.kind !== 'string') {
    throw new BigQueryApiError('invalidQuery', 'Invalid range literal. Expected RANGE keyword to be followed by a STRING literal');
  }
  return [rangeLiteral(rangeElement(type.field.rangeElementType?.type), text.value, zoneOfEnv(t.env?.timeZone)), next + 1];
}

function invalid(message: string): BigQueryApiError {
  return new BigQueryApiError('invalidQuery', `Invalid RANGE literal value: ${message}`);
}

/** The two bounds' texts of `[start, end)` (undefined where unbounded), checked as ZetaSQL's strict parser checks them. */
export function rangeBounds(text: string): [string | undefined, string | undefined] {
  if (!text.startsWith('[') || !text.endsWith(')')) throw invalid(`Failed to parse range: range must be formatted exactly as [START, END) (found ${text})`);
  const parts = text.slice(1, -1).split(',');
  if (parts.length !== 2 || !parts[1]!.startsWith(' ')) {
    throw invalid('Failed to parse range: range must be formatted exactly as [START, END) with two parts, START and END, divided with ", "');
  }
  const [start, end] = [parts[0]!, parts[1]!.slice(1)];
  if (start.trim() !== start) throw invalid(`Failed to parse range: range must be formatted exactly as [START, END) with START having no leading or trailing spaces, but found: "${start}"`);
  if (end.trim() !== end) throw invalid(`Failed to parse range: range must be formatted exactly as [START, END) with END having no leading or trailing spaces, but found: " ${end}"`);
  const bound = (b: string): string | undefined => (/^(UNBOUNDED|NULL)$/i.test(b) ? undefined : b);
  return [bound(start), bound(end)];
}

/** A bound's text as a value of the element type: BigQuery's literal rules and range. */
function boundSql(element: RangeElement, text: string | undefined, infinity: string, zone: Zone): string {
  const duck = ELEMENT_DUCK[element].ddl;
  if (text === undefined) return `CAST('${infinity}' AS ${duck})`;
  try {
    checkLiteralYear(element, text);
    checkCivilLiteral(element, text);
  } catch (e) {
    throw invalid(e instanceof Error ? e.message : String(e));
  }
  return rangeChecked(element, element === 'TIMESTAMP' ? timestampLiteral(text, zone) : `CAST(${quoteString(text)} AS ${duck})`);
}

export function rangeLiteral(element: RangeElement, text: string, zone: Zone): string {
  const [start, end] = rangeBounds(text);
  return `bq_range_of(${boundSql(element, start, '-infinity', zone)}, ${boundSql(element, end, 'infinity', zone)}, 'Invalid RANGE literal value: ')`;
}
