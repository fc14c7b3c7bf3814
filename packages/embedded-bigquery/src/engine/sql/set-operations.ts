/**
 * Set operations as GoogleSQL writes them (query-syntax#set_operators): `query [INNER | {FULL | LEFT}
 * [OUTER] | OUTER] {UNION | INTERSECT | EXCEPT} {ALL | DISTINCT} [BY NAME [ON (cols)] | [STRICT]
 * CORRESPONDING [BY (cols)]] query ...`, found at one bracket level of a token range, with their
 * operands (the input queries) and the ORDER BY / LIMIT that follow the last one. One level holds one
 * operation (GoogleSQL needs parentheses between different ones).
 */
import { BigQueryApiError } from '../types.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';

/** How columns are matched: by position, or by name with BigQuery's mode (BY NAME is STRICT, CORRESPONDING is INNER). */
export type MatchMode = 'position' | 'strict' | 'inner' | 'full' | 'left';

export interface SetOperator {
  /** First token of the operator (its mode word or the operation keyword) and the index after its modifiers. */
  from: number;
  to: number;
  /** `UNION ALL`, `EXCEPT DISTINCT`, ... as BigQuery names it in errors. */
  op: string;
  mode: MatchMode;
  /** The modifier as written, for messages: `BY NAME`, `CORRESPONDING` or `STRICT CORRESPONDING`. */
  modifier: string;
  /** The ON (...) / BY (...) column list. */
  columns?: string[];
  /** The operation keyword, the modifier's first word, and each listed column (token indexes, for errors). */
  keyword: number;
  modifierAt: number;
  columnsAt?: number[];
}

export interface SetChain {
  /** Each input query as [from, to) token indexes. */
  operands: [number, number][];
  operators: SetOperator[];
  /** Where ORDER BY / LIMIT after the last operand start (end when there are none). */
  suffix: number;
  end: number;
}

type Closing = (i: number) => number;

/** ` at [offset]`: the place a message points at, made [line:column] where the statement text is known (error-texts.ts refineOwn). */
export function at(token: Token | undefined): string {
  return token ? ` at [${token.start}]` : '';
}

const MODE_WORDS = ['INNER', 'FULL', 'LEFT', 'OUTER'];

/** The set operation keyword at k (EXCEPT only as an operation, not `* EXCEPT (...)`). */
function isSetKeyword(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (isKeyword(t, 'UNION', 'INTERSECT')) return true;
  return isKeyword(t, 'EXCEPT') && isKeyword(tokens[k + 1], 'DISTINCT', 'ALL');
}

function names(tokens: Token[], open: number, close: number): number[] {
  const out: number[] = [];
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (isOp(t, ',')) continue;
    if (t.kind !== 'ident' && t.kind !== 'quoted') throw new BigQueryApiError('invalidQuery', `Syntax error: Expected a column name but got "${t.text}"${at(t)}`);
    out.push(k);
  }
  return out;
}

/** The operator whose keyword is at k: its mode words before, ALL/DISTINCT and the column-matching modifier after. */
function operatorAt(tokens: Token[], k: number, closing: Closing): SetOperator | undefined {
  const word = tokens[k]!.value.toUpperCase();
  const quantifier = tokens[k + 1];
  if (!isKeyword(quantifier, 'ALL', 'DISTINCT')) return undefined;
  let from = k;
  let prefix = '';
  if (isKeyword(tokens[k - 1], 'OUTER') && isKeyword(tokens[k - 2], 'FULL', 'LEFT')) {
    from = k - 2;
    prefix = tokens[k - 2]!.value.toUpperCase();
  } else if (isKeyword(tokens[k - 1], ...MODE_WORDS)) {
    from = k - 1;
    prefix = tokens[k - 1]!.value.toUpperCase() === 'OUTER' ? 'FULL' : tokens[k - 1]!.value.toUpperCase();
  }
  let to = k + 2;
  const modifierAt = to;
  let modifier = '';
  let strict = false;
  if (isKeyword(tokens[to], 'BY') && isKeyword(tokens[to + 1], 'NAME')) {
    modifier = 'BY NAME';
    to += 2;
  } else {
    if (isKeyword(tokens[to], 'STRICT')) {
      strict = true;
      to++;
    }
    if (isKeyword(tokens[to], 'CORRESPONDING')) {
      modifier = strict ? 'STRICT CORRESPONDING' : 'CORRESPONDING';
      to++;
    } else if (strict) {
      throw new BigQueryApiError('invalidQuery', `STRICT in set operations cannot be used without CORRESPONDING${at(tokens[to - 1])}`);
    }
  }
  if (modifier === '' && prefix !== '') throw new BigQueryApiError('invalidQuery', `${prefix} in set operations cannot be used without CORRESPONDING${at(tokens[from])}`);
  if (strict && prefix !== '') throw new BigQueryApiError('invalidQuery', `Syntax error: STRICT cannot be used with ${prefix} in set operations${at(tokens[modifierAt])}`);
  let columnsAt: number[] | undefined;
  if (modifier !== '' && isKeyword(tokens[to], modifier === 'BY NAME' ? 'ON' : 'BY') && isOp(tokens[to + 1], '(')) {
    const close = closing(to + 1);
    columnsAt = names(tokens, to + 1, close);
    to = close + 1;
  }
  const mode: MatchMode = modifier === '' ? 'position' : prefix === 'FULL' ? 'full' : prefix === 'LEFT' ? 'left' : prefix === 'INNER' || modifier === 'CORRESPONDING' ? 'inner' : 'strict';
  const listed = columnsAt ? { columns: columnsAt.map((c) => tokens[c]!.value), columnsAt } : {};
  return { from, to, op: `${word} ${quantifier!.value.toUpperCase()}`, mode, modifier, keyword: k, modifierAt, ...listed };
}

const QUERY_ENDS = ['ORDER', 'LIMIT'];

/**
 * The set operation at the top bracket level of [s, e), or undefined when there is none. The first
 * operand starts at the last SELECT of that level before the first operator, or is the bracketed
 * query right before it.
 */
export function setChain(tokens: Token[], s: number, e: number, closing: Closing): SetChain | undefined {
  const keywords: number[] = [];
  let lastSelect = -1;
  for (let k = s; k < e; k++) {
    const t = tokens[k]!;
    if (isOp(t, '(', '[')) {
      k = closing(k);
      continue;
    }
    if (isKeyword(t, 'SELECT') && keywords.length === 0) lastSelect = k;
    if (isSetKeyword(tokens, k)) keywords.push(k);
  }
  if (keywords.length === 0) return undefined;
  const operators: SetOperator[] = [];
  for (const k of keywords) {
    const op = operatorAt(tokens, k, closing);
    if (!op) return undefined;
    operators.push(op);
  }
  const first = operators[0]!;
  let start = lastSelect;
  if (start < 0) {
    const before = first.from - 1;
    if (!isOp(tokens[before], ')')) return undefined;
    start = tokens.findIndex((_, k) => k >= s && k < before && isOp(tokens[k], '(') && closing(k) === before);
    if (start < 0) return undefined;
  }
  const operands: [number, number][] = [[start, first.from]];
  for (let j = 1; j < operators.length; j++) operands.push([operators[j - 1]!.to, operators[j]!.from]);
  const lastFrom = operators[operators.length - 1]!.to;
  let suffix = e;
  if (isOp(tokens[lastFrom], '(') && closing(lastFrom) + 1 <= e && (closing(lastFrom) + 1 === e || isKeyword(tokens[closing(lastFrom) + 1], ...QUERY_ENDS))) {
    suffix = closing(lastFrom) + 1;
  } else {
    for (let k = lastFrom; k < e; k++) {
      if (isOp(tokens[k], '(', '[')) {
        k = closing(k);
        continue;
      }
      if ((isKeyword(tokens[k], 'ORDER') && isKeyword(tokens[k + 1], 'BY')) || isKeyword(tokens[k], 'LIMIT')) {
        suffix = k;
        break;
      }
    }
  }
  operands.push([lastFrom, suffix]);
  checkGrouping(tokens, operators);
  return { operands, operators, suffix, end: e };
}

/** One level holds one operation: GoogleSQL's syntax error for two without parentheses. */
function checkGrouping(tokens: Token[], operators: SetOperator[]): void {
  const first = operators[0]!;
  for (const o of operators.slice(1)) {
    if (o.op !== first.op) throw new BigQueryApiError('invalidQuery', `Syntax error: Different set operations cannot be used in the same query without using parentheses for grouping${at(tokens[o.keyword])}`);
    const a = `${first.mode} ${first.modifier} ${(first.columns ?? []).join(',').toLowerCase()}`;
    const b = `${o.mode} ${o.modifier} ${(o.columns ?? []).join(',').toLowerCase()}`;
    if (a !== b) {
      const word = (x: SetOperator): string => (x.from !== x.to && isKeyword(tokens[x.from], ...MODE_WORDS) ? tokens[x.from]!.value.toUpperCase() : x.modifier.startsWith('STRICT') ? 'STRICT' : x.modifier || 'BY POSITION');
      throw new BigQueryApiError('invalidQuery', `Different set operation modifiers (${word(first)} and ${word(o)}) cannot be used in the same query without using parentheses for grouping${at(tokens[o.modifier ? o.modifierAt : o.keyword])}`);
    }
  }
}

/** Whether any token of the statement asks for column matching by name (so a set operation the query layer could not learn must fail loudly). */
export function hasNameMatching(tokens: Token[]): boolean {
  return tokens.some((t, k) => isKeyword(t, 'CORRESPONDING') || (isKeyword(t, 'NAME') && isKeyword(tokens[k - 1], 'BY') && isKeyword(tokens[k - 2], 'ALL', 'DISTINCT')));
}
