/**
 * What function translation needs from the translator, as a narrow interface: the function
 * families depend on this leaf module, never on the Translator class (no import cycle).
 */
import type { Token } from './tokenizer.js';
import type { ArrayPathTypes } from './array-paths.js';

export const INTERVAL_UNITS = new Set(['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']);

/** Arguments of a call as token ranges, translated lazily. */
export interface CallArgs {
  tokens: Token[][];
  /** The call is followed by OVER (...): it is a window function call. */
  windowed: boolean;
  sql(i: number): string;
  all(): string[];
}

/** The translator of the statement a call sits in. */
export interface TranslationContext {
  /** Every token of the statement (sub-slices share identity with these). */
  readonly tokens: Token[];
  /** Translate a token list that is a slice of the statement (or a synthetic list). */
  sub(tokens: Token[]): string;
  /** Split [s, e) on top-level commas. */
  splitArgs(s: number, e: number): Token[][];
  /** What the query layer learned about the statement (typed-macro call sites: typed-macros.ts typedCall). */
  readonly env?: { readonly arrayPaths?: ArrayPathTypes; readonly timeZone?: string; namedParamValue?(token: Token): { type: string; value: string | null } | undefined };
}
