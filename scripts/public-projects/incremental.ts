/**
 * Incremental tables as a project's monthly run finds them: existing from earlier runs. A project
 * whose incremental tables' pre-operations DELETE the run's month before inserting it fails on a
 * fresh BigQuery project (the DELETE names a table nobody created yet), and so does everything
 * downstream. For such a project the harness creates each incremental table that does not exist,
 * empty, with the schema the action's own CREATE would give it: the action's pre-operations
 * (its temporary functions) without its DML on itself, then
 * `CREATE TABLE self PARTITION BY ... CLUSTER BY ... AS SELECT * FROM (<the action's query>) WHERE FALSE`,
 * in dependency order (one incremental table may read another). The project's SQL is not changed:
 * the statements run are the compiled graph's, with only the self-DML left out and the WHERE FALSE added.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { splitStatements, tokenize } from '../../packages/embedded-bigquery/src/engine/sql/tokenizer.js';
import type { CompiledAction, Target } from './sources.js';

const path = (t: Target): string => `${t.database ?? 'landform-local'}.${t.schema}.${t.name}`;

/** The action's pre-operations as statements, leaving out DML whose target is the action's own table. */
export function preOpsWithoutSelfDml(preOps: string[], self: Target): string[] {
  const out: string[] = [];
  for (const script of preOps) {
    for (const stmt of splitStatements(tokenize(script))) {
      const text = script.slice(stmt[0]!.start, stmt[stmt.length - 1]!.end);
      const first = stmt[0]!.value.toUpperCase();
      const names = stmt.filter((t) => t.kind === 'quoted' || t.kind === 'ident').map((t) => t.value.toLowerCase());
      const namesSelf = names.includes(path(self).toLowerCase()) || names.includes(`${self.schema}.${self.name}`.toLowerCase());
      if (namesSelf && ['DELETE', 'INSERT', 'MERGE', 'UPDATE', 'TRUNCATE'].includes(first)) continue;
      out.push(text);
    }
  }
  return out;
}

/** The CREATE TABLE ... AS SELECT ... WHERE FALSE that gives `a` its own query's schema, and its table options. */
export function emptyCreateSql(a: CompiledAction): string {
  const bq = a.bigquery ?? {};
  const options: string[] = [];
  if (bq.requirePartitionFilter) options.push('require_partition_filter = true');
  if (bq.partitionExpirationDays) options.push(`partition_expiration_days = ${bq.partitionExpirationDays}`);
  return [
    `CREATE TABLE \`${path(a.target)}\``,
    ...(bq.partitionBy ? [`PARTITION BY ${bq.partitionBy}`] : []),
    ...(bq.clusterBy?.length ? [`CLUSTER BY ${bq.clusterBy.join(', ')}`] : []),
    ...(options.length ? [`OPTIONS (${options.join(', ')})`] : []),
    `AS SELECT * FROM (\n${a.query ?? ''}\n) WHERE FALSE`,
  ].join('\n');
}

async function exists(client: BigQuery, t: Target): Promise<boolean> {
  const [e] = await client.dataset(t.schema, { projectId: t.database ?? 'landform-local' }).table(t.name).exists();
  return e;
}

/**
 * Creates the enabled incremental tables of `graph` that do not exist yet, empty; a table whose
 * creation fails (an unsupported construct in its query, or an upstream table missing) is retried
 * after the others, until a round creates none. Returns the tables created and, for the rest, why not.
 */
export async function createIncrementalTables(client: BigQuery, actions: CompiledAction[]): Promise<{ created: string[]; failed: string[] }> {
  let pending: CompiledAction[] = [];
  for (const a of actions) {
    if (a.disabled || a.incrementalQuery === undefined || !a.query) continue;
    if (!(await exists(client, a.target))) pending.push(a);
  }
  const created: string[] = [];
  const errors = new Map<string, string>();
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    const next: CompiledAction[] = [];
    for (const a of pending) {
      const name = `${a.target.schema}.${a.target.name}`;
      const dataset = client.dataset(a.target.schema, { projectId: a.target.database ?? 'landform-local' });
      if (!(await dataset.exists())[0]) await dataset.create();
      try {
        await client.query([...preOpsWithoutSelfDml(a.preOps ?? [], a.target), emptyCreateSql(a)].join(';\n'));
        created.push(name);
        progress = true;
      } catch (e) {
        errors.set(name, (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200));
        next.push(a);
      }
    }
    pending = next;
  }
  return { created, failed: pending.map((a) => `${a.target.schema}.${a.target.name}: ${errors.get(`${a.target.schema}.${a.target.name}`) ?? ''}`) };
}
