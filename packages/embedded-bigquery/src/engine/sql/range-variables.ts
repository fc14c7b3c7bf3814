/**
 * Range variables in scope at a token: those of its own FROM clause named before it, and those of
 * every enclosing query's FROM clause (which a correlated subquery may name, `ARRAY(SELECT v FROM
 * t.values v)`: query-syntax#correlated_join). Token scans over one statement's tokens.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { CLAUSE_ENDS } from './keywords.js';
import { isName } from './value-table-fields.js';

export interface TokenScope {
  readonly tokens: Token[];
  closing(i: number): number;
}

/** Range variables of the FROM clause that token i stands in, named before i: each operand's alias, else its path's last part. */
export function rangeVariables(t: TokenScope, i: number): Set<string> {
  let from = i - 1;
  for (; from >= 0 && !isKeyword(t.tokens[from], 'FROM'); from--) {
    if (isOp(t.tokens[from], ')', ']')) from = t.closing(from);
    else if (isOp(t.tokens[from], '(', '[')) return new Set();
  }
  const names = new Set<string>();
  let k = from + 1;
  while (k < i) {
    let name: string | undefined;
    if (isOp(t.tokens[k], '(') || isKeyword(t.tokens[k], 'UNNEST')) k = t.closing(isOp(t.tokens[k], '(') ? k : k + 1) + 1;
    else
      for (; k < i && (t.tokens[k]!.kind === 'ident' || t.tokens[k]!.kind === 'quoted'); k += isOp(t.tokens[k + 1], '.') ? 2 : 1) {
        name = t.tokens[k]!.value.split('.').pop();
        if (!isOp(t.tokens[k + 1], '.')) {
          k++;
          break;
        }
      }
    if (isKeyword(t.tokens[k], 'AS')) k++;
    if (isName(t.tokens[k]) && k < i) name = t.tokens[k++]!.value;
    if (name) names.add(name.toLowerCase());
    // on to the next operand: past ON/USING conditions to the next comma or JOIN at this depth
    for (; k < i && !isOp(t.tokens[k], ',') && !isKeyword(t.tokens[k], 'JOIN'); k++) if (isOp(t.tokens[k], '(', '[')) k = t.closing(k);
    k++;
  }
  return names;
}

/** The bracket that opens the innermost ( ... ) holding token i, or -1. */
function openingBracket(t: TokenScope, i: number): number {
  for (let k = i - 1; k >= 0; k--) {
    if (isOp(t.tokens[k], ')', ']')) k = openerOf(t, k);
    else if (isOp(t.tokens[k], '(')) return k;
  }
  return -1;
}

/** The ( matching the ) at k (closing() maps only openers). */
function openerOf(t: TokenScope, k: number): number {
  let depth = 0;
  for (let j = k; j >= 0; j--) {
    if (isOp(t.tokens[j], ')', ']')) depth++;
    else if (isOp(t.tokens[j], '(', '[') && --depth === 0) return j;
  }
  return 0;
}

/** Range variables of the FROM clauses of the queries enclosing token i (not its own query's). */
export function enclosingRangeVariables(t: TokenScope, i: number): Set<string> {
  const names = new Set<string>();
  for (let open = openingBracket(t, i); open >= 0; open = openingBracket(t, open)) {
    // the enclosing query level: from its SELECT (before the bracket) to its end (a clause or the level's end)
    let select = open - 1;
    for (; select >= 0 && !isKeyword(t.tokens[select], 'SELECT'); select--) {
      if (isOp(t.tokens[select], ')', ']')) select = openerOf(t, select);
      else if (isOp(t.tokens[select], '(', '[')) break;
    }
    if (!isKeyword(t.tokens[select], 'SELECT')) continue;
    let from = select + 1;
    for (; from < t.tokens.length && !isKeyword(t.tokens[from], 'FROM'); from++) {
      if (isOp(t.tokens[from], '(', '[')) from = t.closing(from);
      else if (isOp(t.tokens[from], ')')) break;
    }
    if (!isKeyword(t.tokens[from], 'FROM')) continue;
    let end = from + 1;
    for (; end < t.tokens.length && !isOp(t.tokens[end], ')', ';') && !(t.tokens[end]!.kind === 'ident' && CLAUSE_ENDS.has(t.tokens[end]!.value.toUpperCase()) && !isKeyword(t.tokens[end], 'ON')); end++) {
      if (isOp(t.tokens[end], '(', '[')) end = t.closing(end);
    }
    for (const n of rangeVariables(t, end)) names.add(n);
  }
  return names;
}
