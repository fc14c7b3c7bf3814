/** A family of GoogleSQL function translations, keyed by upper-case name. */
import { BigQueryApiError } from '../../types.js';
import type { Token } from '../tokenizer.js';
import type { CallArgs, TranslationContext } from '../translation-context.js';

export type Handler = (a: CallArgs, t: TranslationContext, raw: Token[], name: string) => string;

/**
 * For SAFE.: SQL over the call's argument SQL that raises the function's loud refusals ("not
 * supported by the embedded BigQuery") and is TRUE otherwise. It runs outside SAFE.'s TRY, which
 * would turn a refusal into a NULL (a silent answer where BigQuery gives a value).
 */
export type SafeGuard = (args: string[]) => string;

export class FunctionTable {
  readonly handlers = new Map<string, Handler>();
  readonly safeGuards = new Map<string, SafeGuard>();

  readonly def = (names: string | string[], h: Handler, guard?: SafeGuard): void => {
    for (const n of Array.isArray(names) ? names : [names]) {
      this.handlers.set(n, h);
      if (guard) this.safeGuards.set(n, guard);
    }
  };
}

export function argCount(a: CallArgs, name: string, min: number, max = min): void {
  if (a.tokens.length < min || a.tokens.length > max) {
    throw new BigQueryApiError('invalidQuery', `No matching signature for function ${name} with ${a.tokens.length} argument(s)`);
  }
}
