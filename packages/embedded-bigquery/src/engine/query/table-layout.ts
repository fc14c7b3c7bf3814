/**
 * What BigQuery checks of a new table's partitioning and clustering against its schema: the columns
 * exist, there are at most four clustering columns, and each is a top-level, non-repeated column of
 * a type BigQuery can cluster on (clustered-tables#limitations).
 */
import { BigQueryApiError, type TableResource } from '../types.js';

/** The schema's legacy type names, as GoogleSQL spells them. */
const STANDARD_NAME: Record<string, string> = { FLOAT: 'FLOAT64', INTEGER: 'INT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };
const CLUSTERABLE = new Set(['BIGNUMERIC', 'BOOL', 'DATE', 'DATETIME', 'GEOGRAPHY', 'INT64', 'NUMERIC', 'RANGE', 'STRING', 'TIMESTAMP']);

/** `reason` is invalidQuery for DDL, invalid for tables.insert. */
export function checkTableLayout(table: TableResource, reason: 'invalidQuery' | 'invalid' = 'invalidQuery'): void {
  const fields = new Map((table.schema?.fields ?? []).map((f) => [f.name.toLowerCase(), f]));
  const partition = table.timePartitioning?.field ?? table.rangePartitioning?.field;
  if (partition !== undefined && !fields.has(partition.toLowerCase())) {
    throw new BigQueryApiError(reason, `The field specified for partitioning cannot be found in the schema. Invalid field: ${partition}.`);
  }
  const clustering = table.clustering?.fields ?? [];
  if (clustering.length > 4) throw new BigQueryApiError(reason, `${clustering.length} clustering fields specified, exceeding the limit of 4.`);
  for (const name of clustering) {
    const f = fields.get(name.toLowerCase());
    if (!f) throw new BigQueryApiError(reason, `The field specified for clustering cannot be found in the schema. Invalid field: ${name}.`);
    const raw = (f.type ?? '').toUpperCase();
    const type = STANDARD_NAME[raw] ?? raw;
    if (f.mode === 'REPEATED' || !CLUSTERABLE.has(type)) {
      const shown = f.mode === 'REPEATED' ? `ARRAY<${type}>` : type;
      throw new BigQueryApiError(reason, `Clustering field ${f.name} is of type ${shown}, which is not supported for clustering: cluster on top-level columns of type BIGNUMERIC, BOOL, DATE, DATETIME, GEOGRAPHY, INT64, NUMERIC, RANGE, STRING or TIMESTAMP.`);
    }
  }
}
