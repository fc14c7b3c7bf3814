/** A family of GoogleSQL function translations, keyed by upper-case name. */
import { BigQueryApiError } from '../../types.js';
import type { Token } from '../tokenizer.js';
import type { CallArgs, TranslationContext } from '../translation-context.js';

export type Handler = (a: CallArgs, t: TranslationContext, raw: Token[], name: string) => string;

export class FunctionTable {
  readonly handlers = new Map<string, Handler>();

  readonly def = (names: string | string[], h: Handler): void => {
    for (const n of Array.isArray(names) ? names : [names]) this.handlers.set(n, h);
  };
}

export function argCount(a: CallArgs, name: string, min: number, max = min): void {
  if (a.tokens.length < min || a.tokens.length > max) {
    throw new BigQueryApiError('invalidQuery', `No matching signature for function ${name} with ${a.tokens.length} argument(s)`);
  }
}
