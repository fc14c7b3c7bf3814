/**
 * ALTER TABLE ... RENAME TO, RENAME COLUMN, ALTER COLUMN ... DROP NOT NULL and ALTER COLUMN ...
 * SET DATA TYPE (BigQuery's widening coercions only), each with its catalog entry in the same
 * transaction. (ADD/DROP COLUMN and SET OPTIONS are in drop-alter.ts; primary and foreign keys in table-constraints.ts.)
 */
import { BigQueryApiError, type TableFieldSchema, type TableReference, type TableResource } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { parseTypeAt } from '../sql/type-names.js';
import { quoteIdent } from '../type-mapping.js';
import { readTable, removeTable, standardTypeName, tableSql } from '../catalog.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { alterConstraints, isConstraintAction } from './table-constraints.js';

/** BigQuery's SET DATA TYPE: a column may only widen (INT64 to NUMERIC, BIGNUMERIC or FLOAT64; NUMERIC to BIGNUMERIC or FLOAT64). */
const WIDENS: Record<string, string[]> = { INT64: ['NUMERIC', 'BIGNUMERIC', 'FLOAT64'], NUMERIC: ['BIGNUMERIC', 'FLOAT64'] };

const name = (t: Token | undefined): string => {
  if (!t || (t.kind !== 'ident' && t.kind !== 'quoted')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected a name');
  return t.value;
};

/** Whether this module handles the ALTER TABLE action at `at`. */
export function isAlterAction(stmt: Token[], at: number): boolean {
  return isConstraintAction(stmt, at) || isKeyword(stmt[at], 'RENAME') || (isKeyword(stmt[at], 'ALTER') && isKeyword(stmt[at + 1], 'COLUMN'));
}

export async function alterTable(s: QuerySession, stmt: Token[], at: number, ref: TableReference, meta: TableResource): Promise<StatementOutcome> {
  if (isConstraintAction(stmt, at)) return alterConstraints(s, stmt, at, ref, meta);
  if (isKeyword(stmt[at], 'RENAME') && isKeyword(stmt[at + 1], 'TO')) return renameTable(s, stmt, at + 2, ref, meta);
  const fields = (meta.schema?.fields ?? []).map((f) => ({ ...f }));
  const find = (column: string): TableFieldSchema => {
    const f = fields.find((x) => x.name.toLowerCase() === column.toLowerCase());
    if (!f) throw new BigQueryApiError('invalidQuery', `Column ${column} not found in table ${ref.datasetId}.${ref.tableId}`);
    return f;
  };
  const keyColumns = [meta.timePartitioning?.field, meta.rangePartitioning?.field, ...(meta.clustering?.fields ?? [])].filter((c): c is string => c !== undefined).map((c) => c.toLowerCase());
  const actions: string[] = [];
  let j = at;
  while (j < stmt.length) {
    if (isKeyword(stmt[j], 'RENAME') && isKeyword(stmt[j + 1], 'COLUMN')) {
      j += 2;
      let ifExists = false;
      if (isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'EXISTS')) {
        ifExists = true;
        j += 2;
      }
      const from = name(stmt[j]);
      if (!isKeyword(stmt[j + 1], 'TO')) throw new BigQueryApiError('invalidQuery', 'Syntax error: RENAME COLUMN old TO new');
      const to = name(stmt[j + 2]);
      j += 3;
      if (!(ifExists && !fields.some((x) => x.name.toLowerCase() === from.toLowerCase()))) {
        if (keyColumns.includes(from.toLowerCase())) throw unsupported(`Renaming partitioning or clustering column ${from}`);
        if (fields.some((x) => x.name.toLowerCase() === to.toLowerCase())) throw new BigQueryApiError('invalidQuery', `Column already exists: ${to}`);
        find(from).name = to;
        actions.push(`RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`);
      }
    } else if (isKeyword(stmt[j], 'ALTER') && isKeyword(stmt[j + 1], 'COLUMN')) {
      j += 2;
      let ifExists = false;
      if (isKeyword(stmt[j], 'IF') && isKeyword(stmt[j + 1], 'EXISTS')) {
        ifExists = true;
        j += 2;
      }
      const column = name(stmt[j]);
      const present = fields.some((x) => x.name.toLowerCase() === column.toLowerCase());
      j++;
      if (isKeyword(stmt[j], 'DROP') && isKeyword(stmt[j + 1], 'NOT') && isKeyword(stmt[j + 2], 'NULL')) {
        j += 3;
        if (present || !ifExists) {
          const f = find(column);
          if (f.mode === 'REQUIRED') {
            f.mode = 'NULLABLE';
            actions.push(`ALTER COLUMN ${quoteIdent(f.name)} DROP NOT NULL`);
          }
        }
      } else if (isKeyword(stmt[j], 'SET') && isKeyword(stmt[j + 1], 'DATA') && isKeyword(stmt[j + 2], 'TYPE')) {
        const [type, after] = parseTypeAt(stmt, j + 3);
        j = after;
        if (present || !ifExists) {
          const f = find(column);
          const from = standardTypeName(f);
          const to = standardTypeName({ ...type.field, name: f.name });
          if (from !== to) {
            if (!(WIDENS[from] ?? []).includes(to)) {
              throw new BigQueryApiError('invalidQuery', `ALTER TABLE ALTER COLUMN SET DATA TYPE requires that the existing column type (${from}) is assignable to the new type (${to})`);
            }
            f.type = type.field.type;
            actions.push(`ALTER COLUMN ${quoteIdent(f.name)} SET DATA TYPE ${type.duck}`);
          }
        }
      } else {
        throw unsupported(`ALTER TABLE ALTER COLUMN ${stmt[j]?.text ?? ''} ${stmt[j + 1]?.text ?? ''} (DROP NOT NULL and SET DATA TYPE are)`);
      }
    } else {
      throw unsupported(`ALTER TABLE ${stmt[j]?.text ?? ''} ${stmt[j + 1]?.text ?? ''} together with RENAME COLUMN or ALTER COLUMN`);
    }
    if (j < stmt.length && !isOp(stmt[j], ',')) throw new BigQueryApiError('invalidQuery', `Syntax error: unexpected ${stmt[j]!.text}`);
    j++;
  }
  await s.withinTransaction(async () => {
    for (const a of actions) await s.conn.run(`ALTER TABLE ${tableSql(ref)} ${a}`);
    await s.core.saveTable(s.conn, { ...meta, schema: { fields } }, fields);
  });
  s.core.invalidateStats(ref);
  return { statementType: 'ALTER_TABLE', bytes: 0 };
}

async function renameTable(s: QuerySession, stmt: Token[], at: number, ref: TableReference, meta: TableResource): Promise<StatementOutcome> {
  const newId = name(stmt[at]);
  if (at + 1 !== stmt.length || newId.includes('.')) throw new BigQueryApiError('invalidQuery', 'ALTER TABLE ... RENAME TO takes the new table name only (the table stays in its dataset)');
  const target = { ...ref, tableId: newId };
  if (await readTable(s.conn, target)) throw new BigQueryApiError('duplicate', `Already Exists: Table ${target.projectId}:${target.datasetId}.${target.tableId}`);
  if (meta.type === 'VIEW') throw unsupported('ALTER TABLE ... RENAME TO of a view');
  const renamed: TableResource = { ...meta, tableReference: target };
  delete renamed.id;
  await s.withinTransaction(async () => {
    await s.conn.run(`ALTER TABLE ${tableSql(ref)} RENAME TO ${quoteIdent(newId)}`);
    await removeTable(s.conn, ref);
    await s.core.saveTable(s.conn, renamed, meta.schema?.fields);
  });
  s.core.invalidateStats(ref);
  return { statementType: 'ALTER_TABLE', bytes: 0 };
}
