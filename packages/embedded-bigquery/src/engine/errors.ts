/** DuckDB errors → BigQuery error reasons. Internal names (our schema naming) are rewritten to BigQuery paths. */
import { BigQueryApiError, type TableReference } from './types.js';
import { RANGE_MESSAGES, rangeOfCheckFailure } from './limits.js';

export function mapDuckError(e: unknown): BigQueryApiError {
  if (e instanceof BigQueryApiError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  // DuckDB wraps the text of error() (our macros' BigQuery messages) as "Error: Invalid Input Error: ..."
  const message = raw
    .split('\n')[0]!
    .replace(/^Error: (?=[A-Za-z ]+Error: )/, '')
    .replace(/"([a-z][a-z0-9-]*)\.([A-Za-z0-9_]+)"\."([^"]+)"/g, '$1.$2.$3')
    .replace(/\bbq_[a-z_]+\b/g, 'function');
  // a load job's own errors (raised by its reader query) keep BigQuery's reason for bad input data
  if (/^[A-Za-z ]+Error: Error while reading data/.test(message)) return new BigQueryApiError('invalid', message.replace(/^[A-Za-z ]+Error: /, ''));
  const range = rangeOfCheckFailure(message);
  if (range) return new BigQueryApiError('invalidQuery', RANGE_MESSAGES[range]);
  if (/^Constraint Error/.test(message)) return new BigQueryApiError('invalid', message.replace(/^Constraint Error: /, ''));
  if (/^Catalog Error: Table with name .* does not exist/.test(message)) return new BigQueryApiError('notFound', message.replace(/^Catalog Error: /, 'Not found: '));
  if (/^Catalog Error: Scalar Function with name|^Catalog Error: Function with name/.test(message)) {
    return new BigQueryApiError('invalidQuery', message.replace(/^Catalog Error: /, '').replace(/\s*Did you mean.*$/, ''));
  }
  return new BigQueryApiError('invalidQuery', message.replace(/^(Binder|Parser|Conversion|Invalid Input|Out of Range|Catalog|Not implemented|Invalid) Error: /, ''));
}

export function unsupported(construct: string): BigQueryApiError {
  return new BigQueryApiError('invalidQuery', `${construct} is not supported by the embedded BigQuery`);
}

export function notFoundTable(ref: TableReference): BigQueryApiError {
  return new BigQueryApiError('notFound', `Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId} was not found in location US`);
}
