/**
 * Before a statement is translated: the columns (names and DuckDB types) of each input query of each
 * set operation in it, learned by binding (never running) that input with the CTEs it can see, innermost
 * operations first (an inner one is then translated with its own columns when the outer one's input is
 * bound). The translator gives the operation BigQuery's columns and types from them
 * (sql/set-operation-modes.ts). An input that does not bind on its own (it reads columns of an enclosing
 * query, or a recursive CTE, or a parameter of unknown type) is not described.
 */
import { DuckDBTypeId, type DuckDBStructType, type DuckDBType } from '@duckdb/node-api';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { matchBrackets } from '../sql/brackets.js';
import { setChain, type SetChain } from '../sql/set-operations.js';
import { operandKey, type ProbedColumn } from '../sql/set-operation-modes.js';
import { setTypeOf } from '../sql/set-operation-types.js';
import type { QuerySession } from './session.js';
import { BigQueryApiError } from '../types.js';

/** The definitions (`name AS (...)`) of the WITH clauses whose scope holds token `at` and that end before it, outermost first. */
function visibleCtes(tokens: Token[], match: number[], at: number, anchor?: [number, number]): { defs: Token[][]; recursive: boolean } {
  const defs = new Map<string, Token[]>();
  let recursive = false;
  const stack: number[] = [];
  for (let w = 0; w < at; w++) {
    const x = tokens[w]!;
    if (isOp(x, '(')) stack.push(w);
    else if (isOp(x, ')')) stack.pop();
    if (!isKeyword(x, 'WITH')) continue;
    const open = stack[stack.length - 1];
    if (open !== undefined && match[open]! < at) continue;
    let j = w + 1;
    const isRecursive = isKeyword(tokens[j], 'RECURSIVE');
    if (isRecursive) j++;
    while ((tokens[j]?.kind === 'ident' || tokens[j]?.kind === 'quoted') && isKeyword(tokens[j + 1], 'AS') && isOp(tokens[j + 2], '(')) {
      const close = match[j + 2]!;
      // a recursive CTE read inside its own body: its columns are those of the operation's first input
      if (close >= at && isRecursive && anchor && anchor[0] > j + 2 && close > anchor[1]) {
        const like = tokens[j]!;
        defs.set(tokens[j]!.value.toLowerCase(), [tokens[j]!, tokens[j + 1]!, { ...word('(', like), kind: 'op' }, ...tokens.slice(anchor[0], anchor[1]), { ...word(')', like), kind: 'op' }]);
        recursive = true;
      }
      if (close < 0 || close >= at) break;
      recursive ||= isRecursive;
      const name = tokens[j]!.value.toLowerCase();
      defs.delete(name);
      defs.set(name, tokens.slice(j, close + 1));
      if (!isOp(tokens[close + 1], ',')) break;
      j = close + 2;
    }
  }
  return { defs: [...defs.values()], recursive };
}

function word(value: string, like: Token): Token {
  return { kind: value === ',' ? 'op' : 'ident', value, text: value, start: like.start, end: like.start, spaceBefore: true };
}

/** The input query [a, b) as a statement of its own: the CTEs it can see, then it (or `body`, built of such inputs). */
function probeTokens(tokens: Token[], match: number[], [a, b]: [number, number], body?: Token[], anchor?: [number, number]): Token[] {
  const { defs, recursive } = visibleCtes(tokens, match, a, anchor);
  const operand = body ?? tokens.slice(a, b);
  if (defs.length === 0) return operand;
  const head: Token[] = [word('WITH', tokens[a]!), ...(recursive ? [word('RECURSIVE', tokens[a]!)] : [])];
  defs.forEach((d, k) => head.push(...(k > 0 ? [word(',', tokens[a]!)] : []), ...d));
  return [...head, ...operand];
}

/**
 * Every input of a set operation matched by position in one bind: `SELECT _bq_probe1, ... FROM (q1) AS
 * _bq_probe1, ...`, each column the STRUCT of one input's row (DuckDB renames a repeated name there, which
 * matching by position never reads: a set operation matching by name is bound input by input).
 */
function packedProbe(tokens: Token[], operands: [number, number][]): Token[] {
  const like = tokens[operands[0]![0]]!;
  const alias = (k: number): Token => word(`_bq_probe${k + 1}`, like);
  const out: Token[] = [word('SELECT', like)];
  operands.forEach((_, k) => out.push(...(k > 0 ? [word(',', like)] : []), alias(k)));
  out.push(word('FROM', like));
  operands.forEach(([a, b], k) => out.push(...(k > 0 ? [word(',', like)] : []), { ...word('(', like), kind: 'op' }, ...tokens.slice(a, b), { ...word(')', like), kind: 'op' }, word('AS', like), alias(k)));
  return out;
}

async function describe(s: QuerySession, probe: Token[]): Promise<(ProbedColumn & { raw: DuckDBType })[] | undefined> {
  let sql: string;
  try {
    sql = s.translator(probe).translateAll();
  } catch {
    s.binder.reset();
    return undefined;
  }
  try {
    const prepared = await s.conn.prepare(sql);
    try {
      return Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), type: setTypeOf(prepared.columnType(i)), raw: prepared.columnType(i) }));
    } finally {
      prepared.destroySync();
    }
  } catch {
    return undefined;
  } finally {
    s.binder.reset();
  }
}

export async function prepareSetOperations(s: QuerySession, tokens: Token[]): Promise<void> {
  s.setOperations.clear();
  if (!tokens.some((t) => isKeyword(t, 'UNION', 'INTERSECT', 'EXCEPT'))) return;
  const match = matchBrackets(tokens);
  const closing = (i: number): number => {
    const j = match[i];
    if (j === undefined || j < 0) throw new BigQueryApiError('invalidQuery', `Unbalanced bracket near "${tokens[i]?.text ?? ''}"`);
    return j;
  };
  const ranges: [number, number][] = [[0, tokens.length]];
  tokens.forEach((t, k) => {
    if (isOp(t, '(') && (match[k] ?? -1) > k) ranges.push([k + 1, match[k]!]);
  });
  const chains: SetChain[] = [];
  for (const [lo, hi] of ranges) {
    // a malformed operation (two kinds at one level, FULL without CORRESPONDING) fails here with BigQuery's error
    const chain = setChain(tokens, lo, hi, closing);
    if (chain) chains.push(chain);
  }
  // inner operations first: each ends before the ones around it
  chains.sort((x, y) => x.end - y.end);
  for (const chain of chains) {
    if (chain.operands.some(([a, b]) => b <= a)) continue;
    if (chain.operators[0]!.mode === 'position') {
      const rows = await describe(s, probeTokens(tokens, match, chain.operands[0]!, packedProbe(tokens, chain.operands)));
      const types = rows?.map((r) => r.raw);
      if (!types || types.length !== chain.operands.length || types.some((x) => x?.typeId !== DuckDBTypeId.STRUCT)) continue;
      chain.operands.forEach((operand, k) => {
        const row = types[k] as DuckDBStructType;
        s.setOperations.set(operandKey(tokens, operand), row.entryNames.map((name, i) => ({ name, type: setTypeOf(row.entryTypes[i]!) })));
      });
      continue;
    }
    for (const operand of chain.operands) {
      if (operand[1] <= operand[0]) continue;
      const anchor = operand === chain.operands[0] ? undefined : chain.operands[0];
      const columns = await describe(s, probeTokens(tokens, match, operand, undefined, anchor));
      if (columns) s.setOperations.set(operandKey(tokens, operand), columns);
    }
  }
}
