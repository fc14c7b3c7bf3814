/**
 * Several overload sites learned per bind (overload-probe.ts). DuckDB stops at the first probe it binds,
 * so a statement with n typed calls over an enclosing query's values paid n binds of the whole
 * statement (HTTP Archive's CrUX histogram query: 15 binds of about 10 s each). Here, before a bind, each
 * probe whose operands hold no other probe also carries the operands of every such probe of its scope
 * (the same SELECT, outside any lambda body, where a name means the same column wherever it stands), so
 * the one probe DuckDB refuses names all their types. A bind that fails otherwise is repeated with the
 * probes as written (one site per round), and sites learned this way have their types checked where
 * they run (typed-macros.ts typedCall), so a type learned wrong fails loudly.
 */
import { OVERLOAD_PROBE_BASE } from '../sql/functions/typed-macros.js';

const OPEN = "abs({'__bq_probe_";

interface Probe {
  id: number;
  /** Where `row(...)` ends (the offset after its closing bracket). */
  rowEnd: number;
  row: string;
  scope: number;
}

/** The offset after the bracket that closes the one at `open`, skipping quoted text; -1 without one. */
function closing(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      i = sql.indexOf(c, i + 1);
      while (i >= 0 && sql[i + 1] === c) i = sql.indexOf(c, i + 2);
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The scope of each offset of `sql`: a new one at each SELECT (a set operation's branches apart) and
 * after each lambda's `->` until the end of its argument. Quoted text keeps the scope around it.
 */
function scopes(sql: string): Int32Array {
  const out = new Int32Array(sql.length);
  let next = 1;
  const frames: { scope: number; base: number }[] = [{ scope: 0, base: 0 }];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    const top = frames[frames.length - 1]!;
    if (c === "'" || c === '"') {
      let end = sql.indexOf(c, i + 1);
      while (end >= 0 && sql[end + 1] === c) end = sql.indexOf(c, end + 2);
      if (end < 0) end = sql.length - 1;
      out.fill(top.scope, i, end + 1);
      i = end;
      continue;
    }
    if (c === '(') frames.push({ scope: top.scope, base: top.scope });
    else if (c === ')' && frames.length > 1) frames.pop();
    else if (c === ',') top.scope = top.base;
    else if (c === '-' && sql[i + 1] === '>') top.scope = next++;
    else if (/[Ss]/.test(c) && /^select\b/i.test(sql.slice(i, i + 7)) && !/[\w$]/.test(sql[i - 1] ?? '')) {
      top.scope = next++;
      top.base = top.scope;
    }
    out[i] = frames[frames.length - 1]!.scope;
  }
  return out;
}

/** The overload probes of `sql` (typed-macros.ts typedCall writes them through array-paths.ts probeSql). */
function probes(sql: string): Probe[] {
  const scope = scopes(sql);
  const out: Probe[] = [];
  for (let at = sql.indexOf(OPEN); at >= 0; at = sql.indexOf(OPEN, at + 1)) {
    const m = /^(\d+)': row\(/.exec(sql.slice(at + OPEN.length, at + OPEN.length + 40));
    if (!m || Number(m[1]) < OVERLOAD_PROBE_BASE) continue;
    const rowStart = at + OPEN.length + m[0].length - 'row('.length;
    const rowEnd = closing(sql, rowStart + 3);
    if (rowEnd < 0) continue;
    out.push({ id: Number(m[1]), rowEnd, row: sql.slice(rowStart, rowEnd), scope: scope[at]! });
  }
  return out;
}

/** `sql` with each probe that holds no other probe also naming the operands of the others of its scope; as written where none shares one. */
export function groupProbes(sql: string): string {
  const leaves = probes(sql).filter((p) => !p.row.includes('__bq_probe_'));
  const byScope = new Map<number, Probe[]>();
  for (const p of leaves) byScope.set(p.scope, [...(byScope.get(p.scope) ?? []), p]);
  let out = sql;
  for (const p of [...leaves].sort((a, b) => b.rowEnd - a.rowEnd)) {
    const others = byScope.get(p.scope)!.filter((o) => o.id !== p.id);
    if (others.length === 0) continue;
    out = `${out.slice(0, p.rowEnd)}${others.map((o) => `, '__bq_probe_${o.id}': ${o.row}`).join('')}${out.slice(p.rowEnd)}`;
  }
  return out;
}

/** Each probe DuckDB's message names and its row's types, as DuckDB prints them (`STRUCT(__bq_probe_<n> STRUCT(DOUBLE, DECIMAL(38,9)), __bq_probe_<m> STRUCT(BIGINT))`). */
export function probedRows(message: string): { id: number; types: string[] }[] {
  const out: { id: number; types: string[] }[] = [];
  const re = /__bq_probe_(\d+) STRUCT\(/g;
  for (let m = re.exec(message); m; m = re.exec(message)) {
    const types: string[] = [];
    let depth = 0;
    let from = m.index + m[0].length;
    for (let i = from; i < message.length; i++) {
      const c = message[i];
      if (c === '(') depth++;
      else if (depth === 0 && (c === ')' || c === ',')) {
        types.push(message.slice(from, i).trim());
        from = i + 1;
        if (c === ')') break;
      } else if (c === ')') depth--;
    }
    out.push({ id: Number(m[1]), types });
  }
  return out;
}
