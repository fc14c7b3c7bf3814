/**
 * Source tables for a public project: every declaration becomes a table with the columns the SQL
 * that reads it asks for. Each reader's query is dry-run against the embedded BigQuery; each
 * "Unrecognized name: x" adds column x (its type guessed from the name) to the declared table the
 * query qualifies it with (`alias.x`), or else to the first declaration the reader depends on,
 * until the query binds or stops asking. Then three rows of plausible values go in.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { preOpsWithoutSelfDml } from './incremental.js';

export interface Target {
  database?: string;
  schema: string;
  name: string;
}

export interface CompiledAction {
  target: Target;
  disabled?: boolean;
  query?: string;
  /** Set on incremental tables. */
  incrementalQuery?: string;
  bigquery?: { partitionBy?: string; clusterBy?: string[]; requirePartitionFilter?: boolean; partitionExpirationDays?: number };
  queries?: string[];
  preOps?: string[];
  dependencyTargets?: Target[];
}

export interface CompiledGraph {
  tables?: CompiledAction[];
  operations?: CompiledAction[];
  assertions?: CompiledAction[];
  notebooks?: CompiledAction[];
  dataPreparations?: CompiledAction[];
  declarations?: CompiledAction[];
  graphErrors?: { compilationErrors?: { message?: string }[] };
}

const key = (t: Target): string => `${t.database ?? 'landform-local'}.${t.schema}.${t.name}`.toLowerCase();

/** A column type from the column's name, as a person writing test data would guess it. */
export function guessType(name: string): string {
  const n = name.toLowerCase();
  if (/^(is|has|was)_|_flag$/.test(n)) return 'BOOL';
  if (/(_at|_time|timestamp|_ts)$|^(time|timestamp|occurred|created|updated)$/.test(n)) return 'TIMESTAMP';
  if (/(^|_)date$|^date/.test(n)) return 'DATE';
  if (/^yyyymm$|^yyyymmdd$/.test(n)) return 'INT64';
  if (/(^|_)(count|num|number|year|month|day|rank|score|age|views?|votes?|size|bytes|reputation|total|answer_count|comment_count|favorite_count)$/.test(n)) return 'INT64';
  if (/(amount|price|rate|ratio|lat|lng|latitude|longitude|temp|temperature|percent|pct|avg|mean)$/.test(n)) return 'FLOAT64';
  return 'STRING';
}

/** Row r's value of a column; `table` keeps ids apart between tables (a union of two sources stays unique). */
function sampleValue(type: string, column: string, row: number, table: number): string {
  switch (type) {
    case 'BOOL': return row % 2 === 0 ? 'true' : 'false';
    case 'TIMESTAMP': return `timestamp '2024-0${row + 1}-15 10:00:00 UTC'`;
    case 'DATE': return `date '2024-0${row + 1}-15'`;
    case 'INT64': return /(^|_)id$/i.test(column) ? String(table * 100 + row + 1) : String(row + 1);
    case 'FLOAT64': return String(1.5 * (row + 1));
    default: return `'${column}_${table * 100 + row + 1}'`;
  }
}

function readerSql(a: CompiledAction): string | undefined {
  // the pre-operations first (the temporary functions the query calls), without DML on the action's own table
  if (a.query) return [...preOpsWithoutSelfDml(a.preOps ?? [], a.target), a.query].join(';\n');
  if (a.queries?.length) return a.queries.join(';\n');
  return undefined;
}

function tablePath(t: Target): string {
  return `\`${t.database ?? 'landform-local'}.${t.schema}.${t.name.replace('*', '20240101')}\``;
}

async function ensureDataset(client: BigQuery, projectId: string, datasetId: string): Promise<void> {
  const ds = client.dataset(datasetId, { projectId });
  const [exists] = await ds.exists();
  if (!exists) await ds.create();
}

/** Whether the seed SQL made `t` already: for a wildcard (`events_*`), any table of its prefix (a second, generated one would change the wildcard's schema). */
async function seeded(client: BigQuery, t: Target): Promise<boolean> {
  const dataset = client.dataset(t.schema, { projectId: t.database ?? 'landform-local' });
  if (!t.name.includes('*')) return (await dataset.table(t.name).exists())[0];
  const prefix = t.name.slice(0, t.name.indexOf('*')).toLowerCase();
  const [tables] = await dataset.getTables();
  return tables.some((table) => (table.id ?? '').toLowerCase().startsWith(prefix));
}

/** The offset in `sql` of BigQuery's `at [line:column]` in `message`. */
function errorOffset(sql: string, message: string): number | undefined {
  const at = /at \[(\d+):(\d+)\]/.exec(message);
  if (!at) return undefined;
  const lines = sql.split('\n');
  const line = Number(at[1]) - 1;
  if (line >= lines.length) return undefined;
  return lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + Number(at[2]) - 1;
}

/**
 * Which declared table `column` belongs to in `sql`: the one aliased by its qualifier; else, for a bare
 * name, the declared table of the first FROM after the error's position (the SELECT the name sits in,
 * so each branch of a UNION of two sources gets the column); else the first.
 */
function ownerOf(sql: string, column: string, declared: Target[], offset?: number): Target | undefined {
  const qualifier = new RegExp(`([A-Za-z_][A-Za-z0-9_]*)\\.\`?${column}\\b`).exec(sql)?.[1];
  if (qualifier) {
    for (const t of declared) {
      const aliased = new RegExp(`${t.name.replace(/[*]/g, '\\*')}\`?\\s+(?:as\\s+)?${qualifier}\\b`, 'i').test(sql) || t.name.toLowerCase() === qualifier.toLowerCase();
      if (aliased) return t;
    }
  }
  if (offset !== undefined) {
    const from = /\bFROM\s+`?([A-Za-z0-9_.*-]+)`?/i.exec(sql.slice(offset))?.[1];
    const name = from?.split('.').pop()?.toLowerCase();
    const found = name ? declared.find((t) => t.name.toLowerCase() === name) : undefined;
    if (found) return found;
  }
  return declared[0];
}

export async function seedSources(client: BigQuery, graph: CompiledGraph, seedSql: string[], columnTypes: Record<string, string> = {}): Promise<string[]> {
  const notes: string[] = [];
  for (const sql of seedSql) {
    for (const m of sql.matchAll(/create table if not exists (\w+)\./gi)) await ensureDataset(client, 'landform-local', m[1]!);
    for (const m of sql.matchAll(/create table if not exists `([a-z][a-z0-9-]*)\.(\w+)\./gi)) await ensureDataset(client, m[1]!, m[2]!);
    await client.query(sql);
  }
  const declarations = new Map((graph.declarations ?? []).map((d) => [key(d.target), d.target]));
  const readers = [...(graph.tables ?? []), ...(graph.operations ?? []), ...(graph.assertions ?? [])];
  // tables the SQL names in full but the project never declares (plain .sql actions do that)
  const outputs = new Set(readers.map((a) => key(a.target)));
  // a table some action creates itself (DFE's CREATE TABLE IF NOT EXISTS of its monitoring tables) is no source
  const created = new Set<string>();
  for (const a of readers) {
    for (const m of (readerSql(a) ?? '').matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`([a-z][a-z0-9-]*)\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)`/gi)) {
      created.add(key({ database: m[1]!, schema: m[2]!, name: m[3]! }));
    }
  }
  for (const a of readers) {
    for (const m of (readerSql(a) ?? '').matchAll(/`([a-z][a-z0-9-]*)\.([A-Za-z0-9_]+)\.([A-Za-z0-9_*]+)`/g)) {
      const t = { database: m[1]!, schema: m[2]!, name: m[3]! };
      if (created.has(key(t))) continue;
      if (!outputs.has(key(t)) && !declarations.has(key(t))) declarations.set(key(t), t);
      if (!outputs.has(key(t))) (a.dependencyTargets ??= []).push(t);
    }
  }
  const columns = new Map<string, Map<string, string>>();
  for (const [k, t] of declarations) {
    // a declared table that an action creates itself (the toolkit's process log) is the action's to create
    if (created.has(k)) continue;
    await ensureDataset(client, t.database ?? 'landform-local', t.schema);
    if (await seeded(client, t)) continue;
    await client.query(`create table ${tablePath(t)} (_seed_row int64)`);
    columns.set(k, new Map());
  }
  for (const a of readers) {
    const declared = [...new Set((a.dependencyTargets ?? []).map(key))].filter((k) => columns.has(k)).map((k) => declarations.get(k)!);
    const sql = readerSql(a);
    if (!sql || declared.length === 0) continue;
    for (let attempt = 0; attempt < 200; attempt++) {
      let message: string;
      try {
        await client.createQueryJob({ query: sql, dryRun: true });
        break;
      } catch (e) {
        message = e instanceof Error ? e.message : String(e);
      }
      const name = /Unrecognized name: `?([A-Za-z_][A-Za-z0-9_]*)`?|Column "([A-Za-z_][A-Za-z0-9_]*)" referenced that exists in the SELECT clause/.exec(message)?.slice(1).find((x) => x);
      if (!name) break;
      let owner = ownerOf(sql, name, declared, errorOffset(sql, message));
      // a name two sources share (a UNION of both): the next declared table without it
      if (owner && columns.get(key(owner))!.has(name.toLowerCase())) owner = declared.find((d) => !columns.get(key(d))!.has(name.toLowerCase()));
      if (!owner) break;
      const cols = columns.get(key(owner))!;
      const type = columnTypes[name.toLowerCase()] ?? guessType(name);
      cols.set(name.toLowerCase(), type);
      await client.query(`alter table ${tablePath(owner)} add column \`${name}\` ${type}`);
    }
  }
  let table = 0;
  for (const [k, cols] of columns) {
    const t = declarations.get(k)!;
    table++;
    const names = ['_seed_row', ...cols.keys()];
    const rows = [0, 1, 2].map((r) => `(${[String(r + 1), ...[...cols].map(([c, ty]) => sampleValue(ty, c, r, table))].join(', ')})`);
    await client.query(`insert into ${tablePath(t)} (${names.map((n) => `\`${n}\``).join(', ')}) values ${rows.join(', ')}`);
  }
  notes.push(`${columns.size} source tables generated (${[...columns.values()].reduce((n, c) => n + c.size, 0)} columns)`);
  return notes;
}
