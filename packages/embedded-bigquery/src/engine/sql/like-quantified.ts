/**
 * The quantified LIKE over a list of patterns (operators#like_operator_quantified):
 * `x [NOT] LIKE {ANY|SOME|ALL} (p1, p2, ...)` is `(x [NOT] LIKE p1 OR|AND x [NOT] LIKE p2 ...)`:
 * ANY and SOME join the comparisons with OR, ALL with AND, and NOT applies to each comparison, so the
 * docs' rules follow from three-valued logic (TRUE on a match, NULL for a NULL x or a NULL pattern
 * where nothing decides, else FALSE). Rewritten in place before translation; each comparison then
 * is a LIKE with ESCAPE '\\' (GoogleSQL's backslash escapes, a pattern ending in one fails), x copied once per pattern.
 * Left alone, so DuckDB refuses them loudly: the subquery form `(SELECT ...)` and `UNNEST(array)`.
 * An x calling a volatile function (read once per row in BigQuery, once per pattern here) fails loudly.
 */
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';

/** Words at the operand's level that end it on the left (LIKE binds tighter than these, looser than arithmetic). */
const LEFT_ENDS = new Set([
  'AND', 'OR', 'NOT', 'WHEN', 'THEN', 'ELSE', 'SELECT', 'WHERE', 'HAVING', 'ON', 'QUALIFY', 'BY', 'IS', 'IN', 'BETWEEN', 'LIKE',
  'RETURN', 'DISTINCT', 'ALL', 'AS', 'IF', 'ELSEIF', 'UNTIL', 'SET', 'CASE', 'USING', 'LIMIT', 'OFFSET', 'ASSERT', 'ROWS', 'RANGE',
]);
const LEFT_END_OPS = new Set([',', '(', '[', ';', '=', '!=', '<>', '<', '>', '<=', '>=', '|>']);
const VOLATILE = /^(RAND|GENERATE_UUID|CURRENT_TIMESTAMP|CURRENT_DATETIME|CURRENT_TIME|CURRENT_DATE|SESSION_USER)$/i;

/** The start of the operand that ends just before token `end` (exclusive). */
function operandStart(tokens: Token[], end: number): number {
  let depth = 0;
  for (let k = end - 1; k >= 0; k--) {
    const x = tokens[k]!;
    if (isOp(x, ')', ']')) depth++;
    else if (isOp(x, '(', '[') && depth > 0) depth--;
    else if (depth === 0 && isKeyword(x, 'END')) {
      // CASE ... END is one operand
      let nest = 0;
      for (k--; k >= 0; k--) {
        if (isKeyword(tokens[k], 'END')) nest++;
        else if (isKeyword(tokens[k], 'CASE') && nest-- === 0) break;
      }
    } else if (depth === 0 && (x.kind === 'eof' || (x.kind === 'op' && LEFT_END_OPS.has(x.value)) || (x.kind === 'ident' && LEFT_ENDS.has(x.value.toUpperCase())))) return k + 1;
  }
  return 0;
}

/** The index of the bracket matching the `(` at open, or -1. */
function closingOf(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (isOp(tokens[k], '(', '[')) depth++;
    else if (isOp(tokens[k], ')', ']') && --depth === 0) return k;
  }
  return -1;
}

/** Split the tokens of (open, close) on top-level commas. */
function items(tokens: Token[], open: number, close: number): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    if (depth === 0 && isOp(x, ',')) out.push([]);
    else out[out.length - 1]!.push(x);
  }
  return out;
}

const LITERAL = (p: Token[]): boolean => p.length === 1 && (p[0]!.kind === 'string' || p[0]!.kind === 'bytes' || isKeyword(p[0], 'NULL'));

/**
 * A pattern that is not a literal, failing as BigQuery does when it ends in an escaping backslash
 * (DuckDB's LIKE ... ESCAPE answers FALSE for such a pattern computed per row; a literal one it refuses).
 */
function checked(p: Token[], at: Token): Token[] {
  if (LITERAL(p)) return p;
  const t = (kind: Token['kind'], value: string, text = value): Token => ({ kind, value, text, start: at.start, end: at.end, spaceBefore: true });
  const copy = (): Token[] => p.map((x) => ({ ...x }));
  return [
    t('ident', 'IF'), t('op', '('), t('ident', 'REGEXP_CONTAINS'), t('op', '('), ...copy(), t('op', ','), t('string', '(^|[^\\\\])(\\\\\\\\)*\\\\$', "r'...'"), t('op', ')'), t('op', ','),
    t('ident', 'ERROR'), t('op', '('), t('string', 'LIKE pattern ends with a backslash', "'...'"), t('op', ')'), t('op', ','), ...copy(), t('op', ')'),
  ];
}

export function likeQuantified(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    if (!isKeyword(tokens[i], 'LIKE') || !isKeyword(tokens[i + 1], 'ANY', 'SOME', 'ALL') || !isOp(tokens[i + 2], '(')) continue;
    if (isKeyword(tokens[i + 3], 'SELECT', 'WITH')) continue;
    const close = closingOf(tokens, i + 2);
    if (close < 0) continue;
    const not = isKeyword(tokens[i - 1], 'NOT');
    const start = operandStart(tokens, not ? i - 1 : i);
    const operand = tokens.slice(start, not ? i - 1 : i);
    const patterns = items(tokens, i + 2, close);
    if (operand.length === 0 || patterns.some((p) => p.length === 0)) continue;
    if (operand.some((x, k) => x.kind === 'ident' && VOLATILE.test(x.value) && (isOp(operand[k + 1], '(') || /^CURRENT_/i.test(x.value)))) throw unsupported('A quantified LIKE whose search value calls a volatile function');
    const at = tokens[i]!;
    const op = (value: string): Token => ({ kind: 'op', value, text: value, start: at.start, end: at.end, spaceBefore: true });
    const word = (value: string): Token => ({ kind: 'ident', value, text: value, start: at.start, end: at.end, spaceBefore: true });
    const join = isKeyword(tokens[i + 1], 'ALL') ? 'AND' : 'OR';
    const out: Token[] = [op('(')];
    patterns.forEach((p, k) => {
      if (k > 0) out.push(word(join));
      // copies: the translator finds a slice's place by token identity
      // GoogleSQL's LIKE escapes with a backslash in every pattern, literal or not (DuckDB: only when told)
      const escape: Token = { kind: 'string', value: '\\', text: "'\\\\'", start: at.start, end: at.end, spaceBefore: true };
      out.push(op('('), ...operand.map((x) => ({ ...x })), ...(not ? [word('NOT')] : []), word('LIKE'), op('('), ...checked(p, at), op(')'), word('ESCAPE'), escape, op(')'));
    });
    out.push(op(')'));
    tokens.splice(start, close + 1 - start, ...out);
    i = start + out.length - 1;
  }
}
