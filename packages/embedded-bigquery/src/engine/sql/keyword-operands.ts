/**
 * Operands the translator reads whole at one token (translator.ts calls these from its token loop):
 * keyword-led literals and constructors (typed literals, INTERVAL, LIKE with a backslash pattern,
 * ARRAY<T>[...], STRUCT, RANGE), CAST ... FORMAT, and a call with its OVER clause.
 * Each returns the DuckDB SQL and the index just past what it read, or undefined when it does not apply.
 */
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { quoteString } from '../type-mapping.js';
import { NOT_FUNCTIONS, TYPED_LITERALS } from './keywords.js';
import { checkCivilLiteral, exactDecimalLiteral, typedArrayItems } from './literals.js';
import { struct, type ConstructContext } from './constructs.js';
import { checkLiteralYear } from '../limits.js';
import { firstKeysWin } from './functions/json-text.js';
import { OVER_AT } from './functions/exact-percentile.js';
import { probeSql } from './array-paths.js';
import { castFormatKey, castFormatParts, castToStringFormat } from './cast-format.js';
import { rangeConstruct } from './range-literals.js';
import { isUtc, timestampLiteral, zoneOfEnv } from './functions/time-zones.js';
import type { TranslateEnv } from './translate-env.js';

/** What these operands need from the translator (the Translator class implements it). */
export interface OperandContext extends ConstructContext {
  readonly env: TranslateEnv;
  splitArgs(s: number, e: number): Token[][];
  sub(tokens: Token[]): string;
  interval(i: number): [string, number];
  call(name: string, open: number, close: number): string;
}

/**
 * The keyword-led operand at token i (`up` is its upper-cased identifier), or undefined.
 * `tablePosition`: the token starts a FROM item (RANGE there is a table operand's name check).
 */
export function keywordOperand(t: OperandContext, i: number, up: string, prevSig: Token | undefined, tablePosition: boolean): [string, number] | undefined {
  const tokens = t.tokens;
  if (TYPED_LITERALS[up] && tokens[i + 1]?.kind === 'string' && !isOp(prevSig, '.')) {
    if (up === 'DATE' || up === 'DATETIME' || up === 'TIMESTAMP') checkLiteralYear(up, tokens[i + 1]!.value);
    checkCivilLiteral(up, tokens[i + 1]!.value);
    // a JSON literal keeps the first of repeated keys, as BigQuery parses it
    const text = up === 'JSON' ? firstKeysWin(tokens[i + 1]!.value) : tokens[i + 1]!.value;
    const exact = up === 'BIGNUMERIC' || up === 'BIGDECIMAL' ? exactDecimalLiteral(text, 'BIGNUMERIC') : undefined;
    return [exact ?? (up === 'TIMESTAMP' ? timestampLiteral(text, zoneOfEnv(t.env.timeZone)) : `CAST(${quoteString(text)} AS ${TYPED_LITERALS[up]})`), i + 2];
  }
  if (up === 'INTERVAL') return t.interval(i);
  if (up === 'LIKE' && tokens[i + 1]?.kind === 'string' && tokens[i + 1]!.value.includes('\\') && !isKeyword(tokens[i + 2], 'ESCAPE')) {
    // GoogleSQL LIKE escapes with backslash; DuckDB needs it said
    return [`LIKE ${quoteString(tokens[i + 1]!.value)} ESCAPE '\\'`, i + 2];
  }
  if (up === 'ARRAY' && isOp(tokens[i + 1], '<')) {
    const [type, next] = t.angleType(i + 1);
    if (!isOp(tokens[next], '[')) throw unsupported('ARRAY<...> without an array literal');
    const j = t.closing(next);
    const items = typedArrayItems(type, t.splitArgs(next + 1, j), (a) => t.sub(a), zoneOfEnv(t.env.timeZone));
    return [`CAST([${items.join(', ')}] AS ${type}[])`, j + 1];
  }
  // RANGE is a window-frame keyword to the translator; RANGE(...) and RANGE<T> '...' are GoogleSQL's RANGE type (range-literals.ts)
  const ranged = up === 'RANGE' && isOp(tokens[i + 1], '(', '<') && !isOp(prevSig, '.');
  if (ranged) return rangeConstruct(t, i, tablePosition);
  if (up === 'STRUCT' && isOp(tokens[i + 1], '<', '(')) return struct(t, i);
  return undefined;
}

/** `CAST(x AS STRING FORMAT '...')` at token `at` (its `(` at open), once the query layer learned x's type (cast-format.ts). */
export function castFormat(t: OperandContext, at: number, open: number): [string, number] | undefined {
  const parts = castFormatParts(t.tokens, open);
  if (!parts) return undefined;
  const start = t.tokens[at]!.start;
  const value = t.range(parts.value[0], parts.value[1]);
  if (t.env.arrayPaths?.probing.has(castFormatKey(start))) return [probeSql(start, value), parts.close + 1];
  const type = parts.valueType ?? t.env.arrayPaths?.types.get(castFormatKey(start));
  // a TIMESTAMP is formatted as its civil time in UTC (cast-format.ts): under another @@time_zone that is not its answer
  if (type?.kind === 'other' && type.text === 'TIMESTAMP WITH TIME ZONE' && !isUtc(zoneOfEnv(t.env.timeZone))) throw unsupported('CAST(TIMESTAMP AS STRING FORMAT ...) under a @@time_zone other than UTC');
  return type ? [castToStringFormat(value, type, parts.format, t.range(...parts.formatRange), isKeyword(t.tokens[at], 'SAFE_CAST')), parts.close + 1] : undefined;
}

/** A call and the OVER clause after it (at `at`) as one operand, so `/` and `-` take the window function whole. */
export function withOver(t: OperandContext, call: string, at: number): [string, number] {
  if (!isKeyword(t.tokens[at], 'OVER')) return [call, at];
  // a call whose SQL reads its window aggregates' results marks where the OVER clause goes, once per aggregate (exact-percentile.ts)
  const over = (clause: string): string => (call.includes(OVER_AT) ? call.split(OVER_AT).join(clause) : `${call}${clause}`);
  if (isOp(t.tokens[at + 1], '(')) {
    const close = t.closing(at + 1);
    return [over(` OVER (${t.range(at + 2, close)})`), close + 1];
  }
  return [over(` OVER ${t.range(at + 1, at + 2)}`), at + 2];
}

/** A token that ends an operand, after which `-` is binary. */
export function isOperandEnd(x: Token | undefined): boolean {
  return x !== undefined && (x.kind === 'number' || x.kind === 'string' || x.kind === 'quoted' || x.kind === 'param' || isOp(x, ')', ']') || (x.kind === 'ident' && !NOT_FUNCTIONS.has(x.value.toUpperCase())));
}
