/**
 * Partition pruning as BigQuery does it for on-demand bytes ("Query partitioned tables": the
 * partitioning column compared with a constant expression; query parameters and script variables
 * count as constants): `col = c`, `<`, `<=`, `>`, `>=`, `BETWEEN a AND b`, `IN (a, b)`, `IS NULL`,
 * with `col` alone on one side (a function of the column, a subquery or another column does not
 * prune). A partition is kept when some instant inside it could pass every such conjunct; its
 * whole size is counted. Conjuncts holding an OR, and any other filter, keep every partition.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { quoteIdent } from '../type-mapping.js';
import type { TableResource } from '../types.js';
import type { KeptPartitions } from './column-sizes.js';
import { pathAt, type Conjunct } from './statement-scope.js';

/** A constant expression's value as text and its DuckDB type, or null when it is not a constant here. */
export type Evaluate = (tokens: Token[]) => Promise<{ text: string | null; type: string } | null>;

const UNITS: Record<string, string> = { HOUR: 'hour', DAY: 'day', MONTH: 'month', YEAR: 'year' };
const COMPARE = new Set(['=', '<', '<=', '>', '>=']);
const FLIP: Record<string, string> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
/** DuckDB type names a constant may have (what `typeof` prints), the only text spliced into the condition. */
const SAFE_TYPE = /^(DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|VARCHAR|INTEGER|BIGINT|HUGEINT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL\(\d+,\d+\))$/;

interface Bounds {
  /** First and last value a partition can hold, as DuckDB expressions over the column. */
  first: string;
  last: string;
  column: string;
  /** The column's DuckDB type: a string constant is cast to it, as BigQuery coerces a literal. */
  duckType: string;
}

/** The partition bounds of a time-unit column partitioning, or undefined for an unpartitioned table. */
export function partitionBounds(meta: TableResource): Bounds | undefined {
  const p = meta.timePartitioning;
  if (!p?.field) return undefined;
  const field = meta.schema?.fields?.find((f) => f.name.toLowerCase() === p.field!.toLowerCase());
  if (!field) return undefined;
  const unit = UNITS[(p.type ?? 'DAY').toUpperCase()] ?? 'day';
  const c = quoteIdent(field.name);
  const type = field.type.toUpperCase();
  if (type === 'DATE') {
    if (unit === 'day') return { first: c, last: c, column: field.name, duckType: 'DATE' };
    const first = `CAST(date_trunc('${unit}', ${c}) AS DATE)`;
    return { first, last: `CAST(${first} + INTERVAL 1 ${unit} - INTERVAL 1 day AS DATE)`, column: field.name, duckType: 'DATE' };
  }
  const duckType = type === 'DATETIME' ? 'TIMESTAMP' : 'TIMESTAMPTZ';
  const first = `date_trunc('${unit}', ${c})`;
  return { first, last: `(${first} + INTERVAL 1 ${unit} - INTERVAL 1 microsecond)`, column: field.name, duckType };
}

interface Predicate {
  op: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'IN' | 'IS NULL';
  operands: Token[][];
}

/** Reads `col op x`, `x op col`, `col BETWEEN a AND b`, `col IN (...)`, `col IS NULL`; null for anything else. */
export function predicateOn(tokens: Token[], c: Conjunct, column: string): Predicate | null {
  let s = c.start;
  let e = c.end;
  while (isOp(tokens[s], '(') && isOp(tokens[e - 1], ')') && closes(tokens, s, e - 1)) {
    s++;
    e--;
  }
  const isColumn = (parts: string[]) => parts[parts.length - 1]!.toLowerCase() === column.toLowerCase()
    && (parts.length === 1 || (parts.length === 2 && c.qualifiers.has(parts[0]!.toLowerCase())));
  if (tokens.slice(s, e).some((t) => isKeyword(t, 'OR', 'SELECT'))) return null;
  const head = pathAt(tokens, s);
  if (head && isColumn(head.parts)) {
    const op = tokens[head.next];
    if (op?.kind === 'op' && COMPARE.has(op.value)) return { op: op.value as Predicate['op'], operands: [tokens.slice(head.next + 1, e)] };
    if (isKeyword(op, 'BETWEEN')) {
      const and = tokens.findIndex((t, j) => j > head.next && j < e && isKeyword(t, 'AND'));
      if (and < 0) return null;
      return { op: 'BETWEEN', operands: [tokens.slice(head.next + 1, and), tokens.slice(and + 1, e)] };
    }
    if (isKeyword(op, 'IN') && isOp(tokens[head.next + 1], '(') && isOp(tokens[e - 1], ')')) {
      return { op: 'IN', operands: splitCommas(tokens.slice(head.next + 2, e - 1)) };
    }
    if (isKeyword(op, 'IS') && isKeyword(tokens[head.next + 1], 'NULL') && head.next + 2 === e) return { op: 'IS NULL', operands: [] };
    return null;
  }
  // `x op col`: the column is the last path of the conjunct
  for (let j = e - 1; j > s; j--) {
    const op = tokens[j - 1];
    if (op?.kind !== 'op' || !COMPARE.has(op.value)) continue;
    const tail = pathAt(tokens, j);
    if (tail && tail.next === e && isColumn(tail.parts)) return { op: FLIP[op.value] as Predicate['op'], operands: [tokens.slice(s, j - 1)] };
    break;
  }
  return null;
}

function closes(tokens: Token[], open: number, close: number): boolean {
  let d = 0;
  for (let j = open; j <= close; j++) {
    if (isOp(tokens[j], '(')) d++;
    else if (isOp(tokens[j], ')')) d--;
    if (d === 0 && j < close) return false;
  }
  return true;
}

function splitCommas(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let d = 0;
  for (const t of tokens) {
    if (isOp(t, '(', '[')) d++;
    if (isOp(t, ')', ']')) d--;
    if (d === 0 && isOp(t, ',')) out.push([]);
    else out[out.length - 1]!.push(t);
  }
  return out;
}

/**
 * The partitions the conjuncts keep, as a DuckDB condition over the table's rows; undefined when
 * none of them prunes (every partition is read).
 */
export async function keptPartitions(tokens: Token[], conjuncts: Conjunct[], bounds: Bounds, evaluate: Evaluate): Promise<KeptPartitions | undefined> {
  const parts: string[] = [];
  const values: DuckDBValue[] = [];
  const keys: string[] = [];
  const constant = async (operand: Token[]): Promise<string | null> => {
    if (operand.length === 0) return null;
    const v = await evaluate(operand);
    if (!v || !SAFE_TYPE.test(v.type)) return null;
    if (v.text === null) return 'NULL';
    values.push(v.text);
    keys.push(`${v.type}:${v.text}`);
    return `TRY_CAST($${values.length} AS ${v.type === 'VARCHAR' ? bounds.duckType : v.type})`;
  };
  for (const c of conjuncts) {
    const p = predicateOn(c.source ?? tokens, c, bounds.column);
    if (!p) continue;
    const mark = values.length;
    const keyMark = keys.length;
    const operands: string[] = [];
    for (const o of p.operands) {
      const sql = await constant(o);
      if (sql === null) break;
      operands.push(sql);
    }
    if (operands.length !== p.operands.length) {
      values.length = mark;
      keys.length = keyMark;
      continue;
    }
    parts.push(condition(p.op, operands, bounds));
    keys.push(p.op);
  }
  if (parts.length === 0) return undefined;
  return {
    sql: parts.map((p) => `(${p})`).join(' AND '), values, key: `${parts.join(' AND ')}|${keys.join('|')}`,
    column: bounds.column, duckType: bounds.duckType, start: bounds.first,
  };
}

/** Whether some value of a row's partition could pass `col op operands`. */
function condition(op: Predicate['op'], v: string[], b: Bounds): string {
  const [x = 'NULL', y = 'NULL'] = v;
  switch (op) {
    case '=': return `${b.first} <= ${x} AND ${b.last} >= ${x}`;
    case '<': return `${b.first} < ${x}`;
    case '<=': return `${b.first} <= ${x}`;
    case '>': return `${b.last} > ${x}`;
    case '>=': return `${b.last} >= ${x}`;
    case 'BETWEEN': return `${b.last} >= ${x} AND ${b.first} <= ${y}`;
    case 'IN': return v.map((e) => `(${b.first} <= ${e} AND ${b.last} >= ${e})`).join(' OR ') || 'false';
    case 'IS NULL': return `${quoteIdent(b.column)} IS NULL`;
  }
}
