import { isOp, type Token } from '../sql/tokenizer.js';

/** A name token (plain or backticked) that begins a path: not itself after a `.`. */
export function startsPath(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  return t !== undefined && (t.kind === 'ident' || t.kind === 'quoted') && !isOp(tokens[k - 1], '.');
}

/**
 * The dotted path starting at token `k` (`a.b.c`, `` `a.b`.c ``; backticked parts split on dots) and
 * the index of its last token.
 */
export function readDottedPath(tokens: Token[], k: number): { parts: string[]; end: number } {
  const parts: string[] = [];
  let j = k;
  for (;;) {
    const p = tokens[j]!;
    parts.push(...(p.kind === 'quoted' ? p.value.split('.') : [p.value]));
    if (isOp(tokens[j + 1], '.') && (tokens[j + 2]?.kind === 'ident' || tokens[j + 2]?.kind === 'quoted')) j += 2;
    else break;
  }
  return { parts, end: j };
}
