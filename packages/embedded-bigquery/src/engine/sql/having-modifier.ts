/**
 * `AGG(args HAVING MAX|MIN y)` (aggregate-function-calls#max_min_clause): the aggregate reads only the
 * group's rows whose y equals MAX(y) (MIN(y)) by SQL equality, so a NULL y never qualifies, an all-NULL
 * group aggregates no rows, and a NaN extreme (BigQuery's MAX and MIN are NaN when a y is NaN) matches
 * none. DISTINCT and IGNORE NULLS apply to the rows kept (ZetaSQL's reference evaluator filters first).
 *
 * DuckDB has no such clause and nests no aggregate in another's FILTER, so the group's rows are packed
 * into one list (`list({a0: x, h: y})`), filtered against the translated MAX(y)/MIN(y), and the
 * aggregate runs over the kept rows in a scalar subquery: the same function handler, with each
 * argument read from the packed row (`bq_having.a0`). Literal arguments (STRING_AGG's separator) stay
 * literal. ANY_VALUE keeps its own form. Loud: a window call, ORDER BY or LIMIT in the call.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { translateFunction } from './functions.js';
import { floatComparison } from './functions/float-order.js';
import type { CallArgs, TranslationContext } from './translation-context.js';

export interface HavingContext extends TranslationContext {
  closing(i: number): number;
}

/** The index of the first token in [s, e) at bracket depth 0 that `pred` accepts, or -1. */
function topLevel(tokens: Token[], s: number, e: number, pred: (x: Token, k: number) => boolean): number {
  let depth = 0;
  for (let k = s; k < e; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    else if (depth === 0 && pred(x, k)) return k;
  }
  return -1;
}

/** Aggregates whose handler reads only its arguments (so the packed row's), with BigQuery's result over no rows. */
const AGGREGATES = new Set([
  'COUNT', 'COUNTIF', 'SUM', 'AVG', 'MIN', 'MAX', 'ARRAY_AGG', 'STRING_AGG', 'ARRAY_CONCAT_AGG', 'LOGICAL_AND', 'LOGICAL_OR',
  'BIT_AND', 'BIT_OR', 'BIT_XOR', 'APPROX_COUNT_DISTINCT', 'STDDEV', 'STDDEV_SAMP', 'STDDEV_POP', 'VARIANCE', 'VAR_SAMP', 'VAR_POP',
  'CORR', 'COVAR_SAMP', 'COVAR_POP',
]);

const word = (value: string, like: Token): Token => ({ kind: 'ident', value, text: value, start: like.start, end: like.start, spaceBefore: true });

/** `bq_having.aK` as tokens, so a handler that translates its argument tokens itself reads the packed row too. */
function placeholder(k: number, like: Token): Token[] {
  return [word('bq_having', like), { kind: 'op', value: '.', text: '.', start: like.start, end: like.start, spaceBefore: false }, word(`a${k}`, like)];
}

/** A literal argument, kept as written (DuckDB wants STRING_AGG's separator constant). */
function isLiteral(seg: Token[]): boolean {
  return seg.length === 1 && (['string', 'number', 'bytes'].includes(seg[0]!.kind) || isKeyword(seg[0], 'NULL', 'TRUE', 'FALSE'));
}

/** The call `name(...)` (brackets at open, close) when it has a HAVING MAX|MIN modifier, else undefined. */
export function havingModifierCall(t: HavingContext, name: string, open: number, close: number): string | undefined {
  const tokens = t.tokens;
  const at = topLevel(tokens, open + 1, close, (x) => isKeyword(x, 'HAVING'));
  // ANY_VALUE has its own form (aggregate-functions.ts: the value of one row with the extreme y)
  if (at < 0 || name === 'ANY_VALUE') return undefined;
  const dir = isKeyword(tokens[at + 1], 'MAX', 'MIN') ? tokens[at + 1]!.value.toUpperCase() : undefined;
  if (!dir || at + 2 >= close) throw new BigQueryApiError('invalidQuery', `Syntax error: expected ${name}(... HAVING MAX|MIN expression)`);
  if (!AGGREGATES.has(name)) throw unsupported(`${name}(... HAVING ${dir} ...)`);
  if (isKeyword(tokens[close + 1], 'OVER')) throw unsupported(`${name}(... HAVING ${dir} ...) as a window function`);
  if (topLevel(tokens, at + 2, close, (x, k) => (isKeyword(x, 'ORDER') && isKeyword(tokens[k + 1], 'BY')) || isKeyword(x, 'LIMIT')) >= 0) {
    throw unsupported(`${name}(... HAVING ${dir} ... ORDER BY/LIMIT)`);
  }
  let argEnd = at;
  const nulls: Token[] = [];
  if (isKeyword(tokens[at - 1], 'NULLS') && isKeyword(tokens[at - 2], 'IGNORE', 'RESPECT')) {
    nulls.push(tokens[at - 2]!, tokens[at - 1]!);
    argEnd = at - 2;
  }
  if (topLevel(tokens, open + 1, argEnd, (x) => isKeyword(x, 'ORDER', 'LIMIT', 'IGNORE', 'RESPECT', 'HAVING', 'WHERE')) >= 0) throw unsupported(`${name}(...) with these modifiers beside HAVING ${dir}`);
  const segments = t.splitArgs(open + 1, argEnd);
  if (segments.length === 0 || segments.some((s) => s.length === 0)) throw new BigQueryApiError('invalidQuery', `Syntax error: ${name}(... HAVING ${dir} ...) without an argument`);
  const fields: string[] = [];
  const innerArgs = segments.map((seg, k) => {
    const distinct = k === 0 && isKeyword(seg[0], 'DISTINCT') ? [seg[0]!] : [];
    const value = seg.slice(distinct.length);
    if (value.length === 0) throw new BigQueryApiError('invalidQuery', `Syntax error: ${name}(DISTINCT) without an argument`);
    if (isLiteral(value) || (value.length === 1 && isOp(value[0], '*'))) return [...distinct, ...value];
    fields.push(`'a${k}': ${t.sub(value)}`);
    return [...distinct, ...placeholder(k, value[0]!)];
  });
  innerArgs[innerArgs.length - 1]!.push(...nulls);
  const raw = innerArgs.flatMap((a, k) => (k === 0 ? a : [{ kind: 'op', value: ',', text: ',', start: a[0]!.start, end: a[0]!.start, spaceBefore: false } as Token, ...a]));
  const cache = new Map<number, string>();
  const args: CallArgs = {
    tokens: innerArgs,
    windowed: false,
    sql: (k) => {
      if (!cache.has(k)) cache.set(k, t.sub(innerArgs[k] ?? []));
      return cache.get(k)!;
    },
    all: () => innerArgs.map((_, k) => args.sql(k)),
  };
  const inner = translateFunction(name, args, t, raw);
  // every packed argument is read from the kept rows: a handler that read the outer columns would aggregate every row
  for (let k = 0; k < segments.length; k++) if (fields.some((f) => f.startsWith(`'a${k}'`)) && !inner.includes(`bq_having.a${k}`)) throw unsupported(`${name}(... HAVING ${dir} ...)`);
  const y = tokens.slice(at + 2, close);
  const ySql = t.sub(y);
  const extreme = translateFunction(dir, { tokens: [y], windowed: false, sql: () => ySql, all: () => [ySql] }, t, y);
  const packed = `list({${[...fields, `'h': ${ySql}`].join(', ')}})`;
  const kept = `list_filter(${packed}, bq_having_row -> ${floatComparison('bq_having_row.h', '=', `(${extreme})`)})`;
  return `(SELECT ${inner} FROM (SELECT unnest(${kept}) AS bq_having) AS bq_having_rows)`;
}
