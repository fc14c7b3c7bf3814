/**
 * The message of `RAISE USING MESSAGE = expr`. Dataform builds it with FORMAT("... %T", array):
 * %T needs the value's GoogleSQL type, which the DuckDB printf that FORMAT becomes in queries does
 * not have, so a FORMAT call with %T at the top of a RAISE message is evaluated here, argument by
 * argument, from the typed results (BigQuery's %T: a GoogleSQL literal of the value).
 */
import { BigQueryApiError, type Cell, type TableFieldSchema } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { closingParen, findTop } from '../sql/ddl.js';
import type { QuerySession } from './session.js';

export async function raiseMessage(s: QuerySession, expr: Token[]): Promise<string> {
  if (isKeyword(expr[0], 'FORMAT') && isOp(expr[1], '(') && closingParen(expr, 1) === expr.length - 1 && expr[2]?.kind === 'string' && /%T/.test(expr[2].value)) {
    const args: Token[][] = [];
    let from = 3;
    const close = expr.length - 1;
    while (from < close) {
      if (!isOp(expr[from], ',')) throw new BigQueryApiError('invalidQuery', 'Syntax error in FORMAT arguments');
      const comma = findTop(expr, from + 1, close, (t) => isOp(t, ','));
      const end = comma < 0 ? close : comma;
      args.push(expr.slice(from + 1, end));
      from = end;
    }
    const values: { field: TableFieldSchema; cell: Cell }[] = [];
    for (const a of args) {
      const r = await s.select(a, 'SELECT', true);
      values.push({ field: r.schema![0]!, cell: r.rows![0]!.f[0]! });
    }
    return formatWithT(expr[2].value, values);
  }
  const r = await s.select(expr, 'SELECT', true);
  const v = r.rows?.[0]?.f[0]?.v;
  if (r.schema?.[0]?.type !== 'STRING') throw new BigQueryApiError('invalidQuery', 'RAISE USING MESSAGE needs a STRING');
  return typeof v === 'string' ? v : '';
}

function formatWithT(pattern: string, values: { field: TableFieldSchema; cell: Cell }[]): string {
  let k = 0;
  return pattern.replace(/%(.)/g, (_m, spec: string) => {
    if (spec === '%') return '%';
    const arg = values[k++];
    if (!arg) throw new BigQueryApiError('invalidQuery', 'Too few arguments to FORMAT');
    if (spec === 'T') return literal(arg.field, arg.cell.v, arg.field.mode === 'REPEATED');
    if (spec === 's' && arg.field.mode !== 'REPEATED' && arg.field.type !== 'RECORD') return arg.cell.v === null ? 'NULL' : String(arg.cell.v);
    throw unsupported(`FORMAT specifier %${spec} in a RAISE message`);
  });
}

function quoted(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A GoogleSQL literal of a REST-encoded value (BigQuery's FORMAT %T). */
function literal(f: TableFieldSchema, v: Cell['v'], repeated: boolean): string {
  if (v === null) return 'NULL';
  if (repeated) return `[${(v as Cell[]).map((c) => literal(f, c.v, false)).join(', ')}]`;
  switch (f.type) {
    case 'STRING':
      return quoted(String(v));
    case 'INTEGER':
    case 'INT64':
    case 'BOOLEAN':
    case 'BOOL':
      return String(v);
    case 'FLOAT':
    case 'FLOAT64': {
      const n = Number(v);
      if (!Number.isFinite(n)) return `CAST(${quoted(Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf')} AS FLOAT64)`;
      return Number.isInteger(n) ? `${n}.0` : String(n);
    }
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return `${f.type} ${quoted(String(v))}`;
    case 'DATE':
      return `DATE ${quoted(String(v))}`;
    case 'RECORD':
    case 'STRUCT': {
      const cells = (v as { f: Cell[] }).f;
      return `(${(f.fields ?? []).map((sub, i) => literal(sub, cells[i]!.v, sub.mode === 'REPEATED')).join(', ')})`;
    }
    default:
      throw unsupported(`FORMAT %T of a ${f.type} value`);
  }
}
