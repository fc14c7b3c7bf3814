/**
 * BigQuery's table constraints (primary and foreign keys) as metadata: BigQuery never enforces
 * them, so neither does this engine. ALTER TABLE ADD PRIMARY KEY / ADD [CONSTRAINT name] FOREIGN KEY /
 * DROP PRIMARY KEY / DROP CONSTRAINT change `tableConstraints` in the table's catalog entry (what
 * tables.get returns); INFORMATION_SCHEMA.TABLE_CONSTRAINTS and KEY_COLUMN_USAGE read it back
 * (table-constraint-views.ts).
 */
import { BigQueryApiError, type TableConstraints, type TableReference, type TableResource } from '../types.js';
import { notFoundTable, unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import type { QuerySession, StatementOutcome } from './session.js';

/** Whether the ALTER TABLE action at `at` is a constraint action (ADD PRIMARY KEY, ADD CONSTRAINT, ADD FOREIGN KEY, DROP PRIMARY KEY, DROP CONSTRAINT). */
export function isConstraintAction(stmt: Token[], at: number): boolean {
  if (isKeyword(stmt[at], 'ADD')) return isKeyword(stmt[at + 1], 'PRIMARY', 'FOREIGN', 'CONSTRAINT');
  return isKeyword(stmt[at], 'DROP') && isKeyword(stmt[at + 1], 'PRIMARY', 'CONSTRAINT');
}

const nameAt = (stmt: Token[], j: number, what: string): string => {
  const t = stmt[j];
  if (!t || (t.kind !== 'ident' && t.kind !== 'quoted')) throw new BigQueryApiError('invalidQuery', `Syntax error: expected ${what} but got ${t ? `"${t.text}"` : 'the end of the statement'}`);
  return t.value;
};

const expectKeyword = (stmt: Token[], j: number, ...words: string[]): number => {
  for (let k = 0; k < words.length; k++) {
    if (!isKeyword(stmt[j + k], words[k]!)) throw new BigQueryApiError('invalidQuery', `Syntax error: expected keyword ${words[k]} but got ${stmt[j + k] ? `"${stmt[j + k]!.text}"` : 'the end of the statement'}`);
  }
  return j + words.length;
};

/** `(a, b, ...)` at `j`: the names and the index after `)`. */
function columnList(stmt: Token[], j: number): [string[], number] {
  if (!isOp(stmt[j], '(')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected "(" before the key\'s column list');
  const out: string[] = [];
  j++;
  for (;;) {
    out.push(nameAt(stmt, j, 'a column name'));
    j++;
    if (isOp(stmt[j], ',')) j++;
    else if (isOp(stmt[j], ')')) return [out, j + 1];
    else throw new BigQueryApiError('invalidQuery', 'Syntax error: expected "," or ")" in the key\'s column list');
  }
}

/** BigQuery only has unenforced keys: `NOT ENFORCED` must follow, and `ENFORCED` alone is refused. */
function notEnforced(stmt: Token[], j: number, what: string): number {
  if (isKeyword(stmt[j], 'NOT') && isKeyword(stmt[j + 1], 'ENFORCED')) return j + 2;
  if (isKeyword(stmt[j], 'ENFORCED')) throw new BigQueryApiError('invalidQuery', `ENFORCED ${what} constraints are not supported: BigQuery only has unenforced keys; write NOT ENFORCED`);
  throw new BigQueryApiError('invalidQuery', `The ${what} constraint must be declared NOT ENFORCED: BigQuery only has unenforced keys`);
}

/** The table's spelling of each named column; a column the table lacks fails. */
function columnsOf(meta: TableResource, columns: string[], what: string): string[] {
  const fields = meta.schema?.fields ?? [];
  const seen = new Set<string>();
  return columns.map((c) => {
    const f = fields.find((x) => x.name.toLowerCase() === c.toLowerCase());
    const { datasetId, tableId } = meta.tableReference;
    if (!f) throw new BigQueryApiError('invalidQuery', `Column ${c} in the ${what} does not exist in table ${datasetId}.${tableId}`);
    if (seen.has(f.name.toLowerCase())) throw new BigQueryApiError('invalidQuery', `Column ${f.name} appears twice in the ${what}`);
    seen.add(f.name.toLowerCase());
    return f.name;
  });
}

export async function alterConstraints(s: QuerySession, stmt: Token[], at: number, ref: TableReference, meta: TableResource): Promise<StatementOutcome> {
  if (meta.type === 'VIEW') throw new BigQueryApiError('invalidQuery', `${ref.datasetId}.${ref.tableId} is a view; primary and foreign keys can only be set on tables`);
  const c = await constraintsAfter(s, stmt, at, ref, meta);
  const updated: TableResource = { ...meta };
  if (c) updated.tableConstraints = c;
  else delete updated.tableConstraints;
  await s.withinTransaction(() => s.core.saveTable(s.conn, updated, undefined));
  return { statementType: 'ALTER_TABLE', bytes: 0 };
}

/**
 * The table's constraints after the constraint actions from `at` (ALTER TABLE's, or those CREATE TABLE's
 * column list declares, against the new table's meta); undefined when none remain. Saves nothing.
 */
export async function constraintsAfter(s: QuerySession, stmt: Token[], at: number, ref: TableReference, meta: TableResource): Promise<TableConstraints | undefined> {
  const c: TableConstraints = { ...(meta.tableConstraints ?? {}) };
  const fks = [...(c.foreignKeys ?? [])];
  let j = at;
  while (j < stmt.length) {
    if (!isConstraintAction(stmt, j)) throw unsupported(`ALTER TABLE ${stmt[j]?.text ?? ''} ${stmt[j + 1]?.text ?? ''} together with a key constraint action`);
    if (isKeyword(stmt[j], 'DROP') && isKeyword(stmt[j + 1], 'PRIMARY')) {
      j = expectKeyword(stmt, j + 2, 'KEY');
      let ifExists = false;
      if (isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'EXISTS')) [ifExists, j] = [true, j + 2];
      if (!c.primaryKey && !ifExists) throw new BigQueryApiError('invalidQuery', `Table ${ref.datasetId}.${ref.tableId} has no primary key to drop; write DROP PRIMARY KEY IF EXISTS to allow that`);
      delete c.primaryKey;
    } else if (isKeyword(stmt[j], 'DROP')) {
      j += 2;
      let ifExists = false;
      if (isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'EXISTS')) [ifExists, j] = [true, j + 2];
      const raw = nameAt(stmt, j, 'a constraint name');
      j++;
      // `pk$`, a foreign key's name, or either qualified by the table's name as TABLE_CONSTRAINTS shows it
      const bare = raw.toLowerCase().startsWith(`${ref.tableId.toLowerCase()}.`) ? raw.slice(ref.tableId.length + 1) : raw;
      const i = fks.findIndex((f) => f.name.toLowerCase() === bare.toLowerCase());
      if (bare.toLowerCase() === 'pk$' && c.primaryKey) delete c.primaryKey;
      else if (i >= 0) fks.splice(i, 1);
      else if (!ifExists) throw new BigQueryApiError('invalidQuery', `Constraint ${raw} not found in table ${ref.datasetId}.${ref.tableId}; write DROP CONSTRAINT IF EXISTS to allow that`);
    } else if (isKeyword(stmt[j + 1], 'PRIMARY')) {
      j = expectKeyword(stmt, j + 2, 'KEY');
      const [cols, after] = columnList(stmt, j);
      j = notEnforced(stmt, after, 'PRIMARY KEY');
      if (c.primaryKey) throw new BigQueryApiError('invalidQuery', `Table ${ref.datasetId}.${ref.tableId} already has a primary key (${c.primaryKey.columns.join(', ')}); drop it first with ALTER TABLE ... DROP PRIMARY KEY`);
      c.primaryKey = { columns: columnsOf(meta, cols, 'primary key') };
    } else {
      let name: string | undefined;
      let ifNotExists = false;
      if (isKeyword(stmt[j + 1], 'CONSTRAINT')) {
        j += 2;
        if (isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'NOT') && isKeyword(stmt[j + 2], 'EXISTS')) [ifNotExists, j] = [true, j + 3];
        name = nameAt(stmt, j, 'a constraint name');
        j++;
        if (isKeyword(stmt[j], 'PRIMARY')) throw unsupported('ADD CONSTRAINT name PRIMARY KEY (write ADD PRIMARY KEY (...) NOT ENFORCED)');
      } else j++;
      j = expectKeyword(stmt, j, 'FOREIGN', 'KEY');
      const [cols, afterCols] = columnList(stmt, j);
      j = expectKeyword(stmt, afterCols, 'REFERENCES');
      const [parts, afterPath] = s.translator(stmt).path(j);
      const target = s.resolveTable(parts, true)?.ref;
      if (!target) throw new BigQueryApiError('invalidQuery', `The foreign key's REFERENCES must name a table`);
      const targetMeta = target.tableId === ref.tableId && target.datasetId === ref.datasetId && target.projectId === ref.projectId ? meta : await s.core.tableMeta(s.conn, target);
      if (!targetMeta) throw notFoundTable(target);
      const [refCols, afterRefCols] = columnList(stmt, afterPath);
      j = notEnforced(stmt, afterRefCols, 'FOREIGN KEY');
      if (refCols.length !== cols.length) throw new BigQueryApiError('invalidQuery', `The foreign key names ${cols.length} column(s) but references ${refCols.length}; give as many referenced columns as key columns`);
      const mine = columnsOf(meta, cols, 'foreign key');
      const theirs = columnsOf(targetMeta, refCols, 'referenced columns');
      const existing = name === undefined ? -1 : fks.findIndex((f) => f.name.toLowerCase() === name!.toLowerCase());
      if (existing >= 0 && !ifNotExists) throw new BigQueryApiError('invalidQuery', `Constraint ${name!} already exists in table ${ref.datasetId}.${ref.tableId}; drop it first or write ADD CONSTRAINT IF NOT EXISTS`);
      if (existing < 0) {
        let n = 1;
        while (name === undefined && fks.some((f) => f.name === `fk$${n}`)) n++;
        fks.push({
          name: name ?? `fk$${n}`,
          referencedTable: { projectId: target.projectId, datasetId: target.datasetId, tableId: target.tableId },
          columnReferences: mine.map((m, k) => ({ referencingColumn: m, referencedColumn: theirs[k]! })),
        });
      }
    }
    if (j < stmt.length && !isOp(stmt[j], ',')) throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected ${stmt[j]!.text}`);
    j++;
  }
  if (fks.length > 0) c.foreignKeys = fks;
  else delete c.foreignKeys;
  return c.primaryKey || c.foreignKeys ? c : undefined;
}
