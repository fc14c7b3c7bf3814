import { sqlIdentifier } from '../../common/identifiers.js';

/** A validated column name, backticked for BigQuery (guards against reserved words such as `status`). */
export function quoteBigQuery(name: string): string {
  return `\`${sqlIdentifier(name, 'column')}\``;
}
