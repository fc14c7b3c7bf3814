/**
 * Expected and actual rows compared as multisets (no order is promised by a table), over the
 * columns the expected rows name. A missing row and an unexpected row with the same unique key are
 * shown as one changed row, naming the columns that differ.
 */
import { canonicalValue } from './values.js';
import type { Row } from './spec.js';

type TextRow = Record<string, string>;

export interface ChangedRow {
  key: string;
  columns: Array<{ column: string; expected: string; actual: string }>;
}

export interface RowDiff {
  expectedCount: number;
  actualCount: number;
  missing: TextRow[];
  unexpected: TextRow[];
  changed: ChangedRow[];
}

export const isEqual = (d: RowDiff): boolean => d.missing.length === 0 && d.unexpected.length === 0 && d.changed.length === 0;

function texts(columns: string[], types: Map<string, string>, row: Row, fromWarehouse: boolean): TextRow {
  return Object.fromEntries(columns.map((c) => [c, canonicalValue(types.get(c) ?? 'STRING', row[c], fromWarehouse)]));
}

const signature = (columns: string[], row: TextRow): string => JSON.stringify(columns.map((c) => row[c]));

/** Rows of `a` not matched one for one by rows of `b`. */
function minus(columns: string[], a: TextRow[], b: TextRow[]): TextRow[] {
  const left = new Map<string, number>();
  for (const row of b) left.set(signature(columns, row), (left.get(signature(columns, row)) ?? 0) + 1);
  return a.filter((row) => {
    const n = left.get(signature(columns, row)) ?? 0;
    if (n === 0) return true;
    left.set(signature(columns, row), n - 1);
    return false;
  });
}

export function keyText(key: string[], row: TextRow): string {
  return key.map((k) => `${k}=${row[k]}`).join(', ');
}

/** `types`: column → BigQuery type of the target; `key`: the model's unique key (pairs rows when the expected rows name it). */
export function diffRows(columns: string[], types: Map<string, string>, expected: Row[], actual: Row[], key: string[]): RowDiff {
  const want = expected.map((r) => texts(columns, types, r, false));
  const got = actual.map((r) => texts(columns, types, r, true));
  let missing = minus(columns, want, got);
  let unexpected = minus(columns, got, want);
  const changed: ChangedRow[] = [];
  if (key.length > 0 && key.every((k) => columns.includes(k))) {
    const count = (rows: TextRow[], k: string) => rows.filter((r) => keyText(key, r) === k).length;
    const pairs = missing.filter((m) => count(missing, keyText(key, m)) === 1 && count(unexpected, keyText(key, m)) === 1);
    for (const m of pairs) {
      const k = keyText(key, m);
      const u = unexpected.find((r) => keyText(key, r) === k) as TextRow;
      changed.push({ key: k, columns: columns.filter((c) => m[c] !== u[c]).map((c) => ({ column: c, expected: m[c] ?? 'null', actual: u[c] ?? 'null' })) });
    }
    const paired = new Set(changed.map((c) => c.key));
    missing = missing.filter((r) => !paired.has(keyText(key, r)));
    unexpected = unexpected.filter((r) => !paired.has(keyText(key, r)));
  }
  return { expectedCount: expected.length, actualCount: actual.length, missing, unexpected, changed };
}

const rowText = (row: TextRow): string => `{${Object.entries(row).map(([c, v]) => `${c}: ${v}`).join(', ')}}`;

/** Lines for people: what is missing, what is unexpected, and which columns of which keys changed. */
export function describeDiff(diff: RowDiff): string[] {
  const lines = [`expected ${diff.expectedCount} row(s), the table has ${diff.actualCount}:`];
  for (const c of diff.changed) lines.push(`  changed ${c.key}: ${c.columns.map((x) => `${x.column} expected ${x.expected}, got ${x.actual}`).join('; ')}`);
  for (const r of diff.missing) lines.push(`  missing    ${rowText(r)}`);
  for (const r of diff.unexpected) lines.push(`  unexpected ${rowText(r)}`);
  return lines;
}
