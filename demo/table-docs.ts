/** The reference of every curated and mart table (docs/tables.md), rendered from `dataform compile --json`. */

interface Target {
  schema: string;
  name: string;
}

export interface GraphTable {
  type: string;
  target: Target;
  fileName?: string;
  uniqueKey?: string[];
  disabled?: boolean;
  bigquery?: { partitionBy?: string; clusterBy?: string[] };
  dependencyTargets?: Target[];
  actionDescriptor?: { description?: string; columns?: Array<{ path: string[]; description?: string }> };
}

export const DOCUMENTED_DATASETS = ['landform_curated', 'landform_marts'];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

/** "one row per vendor_store_id and activity_date (UTC)" from the description, which must state it. */
export function grainOf(description: string): string | null {
  const match = /one row per ([^:;.]+(?:\.\w+)?)/i.exec(description);
  return match ? `one row per ${match[1]?.trim()}` : null;
}

function section(table: GraphTable): string[] {
  const description = table.actionDescriptor?.description ?? '';
  const facts = [table.type];
  if (table.bigquery?.partitionBy) facts.push(`partitioned by \`${table.bigquery.partitionBy}\``);
  if (table.bigquery?.clusterBy?.length) facts.push(`clustered by ${table.bigquery.clusterBy.map((c) => `\`${c}\``).join(', ')}`);
  if (table.uniqueKey?.length) facts.push(`merged on ${table.uniqueKey.map((c) => `\`${c}\``).join(', ')}`);
  const reads = (table.dependencyTargets ?? []).map((t) => `\`${t.schema}.${t.name}\``).sort();
  const lines = [`### ${table.target.name}`, ''];
  lines.push(`**Grain:** ${grainOf(description) ?? '(not stated in the description)'}  `);
  lines.push(`**Table:** \`${table.target.schema}.${table.target.name}\`, ${facts.join(', ')}  `);
  if (table.fileName) lines.push(`**Defined in:** \`${table.fileName}\`  `);
  if (reads.length > 0) lines.push(`**Reads:** ${reads.join(', ')}`);
  lines.push('', cell(description), '', '| column | description |', '| --- | --- |');
  for (const column of table.actionDescriptor?.columns ?? []) lines.push(`| \`${column.path.join('.')}\` | ${cell(column.description ?? '')} |`);
  lines.push('');
  return lines;
}

/** The whole document, deterministic: datasets, then tables by name, columns in their declared order. */
export function renderTableDocs(tables: GraphTable[]): string {
  const lines = [
    '# Curated and mart tables',
    '',
    'Generated from the compiled Dataform graph (`dataform compile --json`): each table\'s grain, options and',
    'columns as their SQLX files describe them. Do not edit by hand: run `node scripts/table-docs.mjs` after',
    'changing a model or a contract; `test/dataform/table-docs.test.ts` fails while this file is out of date.',
    '',
  ];
  for (const dataset of DOCUMENTED_DATASETS) {
    const inDataset = tables.filter((t) => t.target.schema === dataset && t.disabled !== true).sort((a, b) => a.target.name.localeCompare(b.target.name));
    lines.push(`## ${dataset} (${inDataset.length} tables)`, '');
    lines.push(...inDataset.map((t) => `- [${t.target.name}](#${t.target.name})`), '');
    for (const table of inDataset) lines.push(...section(table));
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
