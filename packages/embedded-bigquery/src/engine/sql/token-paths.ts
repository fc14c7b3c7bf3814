/** Token-level readers the translator and its construct modules share: dotted paths and `<...>` types. */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isOp, type Token } from './tokenizer.js';
import { translateTypeTokens } from './type-names.js';

/** A dotted name starting at i: ident/quoted parts separated by '.'; backticked parts split on dots. Returns the parts, the index after it, and whether any part was backticked. */
export function readPath(tokens: Token[], i: number): [string[], number, boolean] {
  const parts: string[] = [];
  let quoted = false;
  let j = i;
  for (;;) {
    const t = tokens[j]!;
    if (t.kind === 'quoted') {
      parts.push(...t.value.split('.'));
      quoted = true;
    } else if (t.kind === 'ident') {
      parts.push(t.value);
    } else {
      throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected "${t.text}" at position ${t.start}`);
    }
    j++;
    const dot = tokens[j];
    const after = tokens[j + 1];
    if (isOp(dot, '.') && !dot!.spaceBefore && after && (after.kind === 'ident' || after.kind === 'quoted') && !after.spaceBefore) {
      j++;
      continue;
    }
    // `p.d`.t and dataset-123.table style: a quoted part followed by .ident
    if (isOp(dot, '.') && after && (after.kind === 'ident' || after.kind === 'quoted')) {
      j++;
      continue;
    }
    return [parts, j, quoted];
  }
}

/** `<...>` type after ARRAY/STRUCT (lt: the `<`): returns the DuckDB type and the index after '>'. */
export function readAngleType(tokens: Token[], lt: number): [string, number] {
  let depth = 0;
  let j = lt;
  for (; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (isOp(t, '<')) depth++;
    else if (isOp(t, '>')) depth--;
    else if (isOp(t, '>>')) depth -= 2;
    if (depth <= 0) break;
  }
  if (depth < 0) throw unsupported('Nested ARRAY<STRUCT<...>> type written with ">>"');
  const keyword = tokens[lt - 1]!;
  return [translateTypeTokens([keyword, ...tokens.slice(lt, j + 1)]).duck.replace(/\[\]$/, ''), j + 1];
}
