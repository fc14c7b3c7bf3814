/** DuckDB errors → BigQuery error reasons. Internal names (our schema naming) are rewritten to BigQuery paths. */
import { BigQueryApiError, type TableReference } from './types.js';
import { RANGE_MESSAGES, rangeOfCheckFailure } from './limits.js';
import { identifierLiteral, namePosition, positionOf } from './error-positions.js';
import { mapDuckClass, mapDuckValueError, refineOwn, signatureMessage, splitTypes } from './error-texts.js';

/**
 * DuckDB's error → BigQuery's reason and message for the common classes; never DuckDB's own wording
 * where BigQuery has one. `sql` (the GoogleSQL text) lets a message point at [line:column].
 */
export function mapDuckError(e: unknown, sql?: string): BigQueryApiError {
  const mapped = e instanceof BigQueryApiError ? e : mapDuck(e, sql);
  try {
    return refineOwn(mapped, sql);
  } catch {
    return mapped;
  }
}

function mapDuck(e: unknown, sql?: string): BigQueryApiError {
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw.split('\n')[0]!.replace(/^Error: (?=[A-Za-z ]+Error: )/, '');
  // a JavaScript UDF's failure (js-udf/registry.ts) keeps its own reason and message
  const js = /bq_jsudf_error\[(invalidQuery|timeout|resourcesExceeded)\] (.*)$/.exec(first);
  if (js) return new BigQueryApiError(js[1] as BigQueryApiError['reason'], js[2]!);
  const column = /^Binder Error: Referenced column "([^"]+)" not found/.exec(first);
  if (column) return new BigQueryApiError('invalidQuery', `Unrecognized name: ${identifierLiteral(column[1]!)}${namePosition(sql, column[1]!)}`);
  const ambiguous = /^Binder Error: Ambiguous reference to column name "([^"]+)"/.exec(first);
  if (ambiguous) return new BigQueryApiError('invalidQuery', `Column name ${ambiguous[1]} is ambiguous${positionOf(sql, ambiguous[1]!)}`);
  // `arr.field` on an ARRAY<STRUCT> is BigQuery's array elements field access (operators#array_el_field_operator), read only in UNNEST, IN UNNEST and FLATTEN
  const field = /^Binder Error: Cannot extract field '([^']+)' from expression "([^"]+)" because it is not a struct/.exec(first);
  if (field) {
    return new BigQueryApiError('invalidQuery', `Cannot read field ${field[1]} of ${field[2]}: it is not a STRUCT. If ${field[2]} is an array of STRUCTs, its elements' field is read as a whole path inside UNNEST(...) or IN UNNEST(...); other reads of it (a subscript on the path, FLATTEN) are not supported by the embedded BigQuery: UNNEST the array and read the field of each row instead`);
  }
  const using = /^Binder Error: Column "([^"]+)" does not exist on (left|right) side of join/.exec(first);
  if (using) return new BigQueryApiError('invalidQuery', `Column ${using[1]} in USING clause not found on ${using[2]} side of join${positionOf(sql, using[1]!)}`);
  const signature = /^Binder Error: No function matches the given name and argument types '([A-Za-z_0-9]+)\((.*)\)'/.exec(first);
  if (signature) {
    const name = signature[1]!.replace(/^bq_/, '').toUpperCase();
    return new BigQueryApiError('invalidQuery', signatureMessage(name, splitTypes(signature[2]!), sql));
  }
  const macro = /^Binder Error: Macro (bq_[a-z0-9_]+)\(\) does not support the supplied arguments/.exec(first);
  if (macro) return new BigQueryApiError('invalidQuery', `No matching signature for function ${macro[1]!.replace(/^bq_/, '').replace(/_typed$|_arg$/, '').toUpperCase()} for the argument types given`);
  const known = knownClass(first, sql);
  if (known) return known;
  const fn = /^Catalog Error: Scalar Function with name (\S+) does not exist/.exec(first);
  if (fn) {
    if (fn[1] === '|>') return new BigQueryApiError('invalidQuery', 'Pipe syntax (|>) is not supported by the embedded BigQuery');
    return new BigQueryApiError('invalidQuery', `Function not found: ${fn[1]}${positionOf(sql, fn[1]!)}`);
  }
  const parse = /^Parser Error: syntax error at or near "([^"]*)"/.exec(first);
  if (parse) return new BigQueryApiError('invalidQuery', `Syntax error: Unexpected "${parse[1]}"${positionOf(sql, parse[1]!)}`);
  if (/^Parser Error: syntax error at end of input/.test(first)) return new BigQueryApiError('invalidQuery', 'Syntax error: Unexpected end of script');
  if (/correlated columns in window functions not supported/.test(first)) return new BigQueryApiError('invalidQuery', 'A window function in a correlated subquery (such as ARRAY(SELECT ... OVER (...) FROM UNNEST(outer_column))) is not supported by the embedded BigQuery');
  if (/UNNEST\(\) for correlated expressions is not supported/.test(first)) return new BigQueryApiError('invalidQuery', 'UNNEST of a correlated array in this position is not supported by the embedded BigQuery');
  const overflow = /^Conversion Error: Could not convert string '(-?\d+) bq_int64_overflow'/.exec(first);
  if (overflow) return new BigQueryApiError('invalidQuery', `Int64 overflow: the SUM ${overflow[1]} is beyond the INT64 range`);
  // ZetaSQL's BinaryOverflowMessage: "int64 overflow: a * b"
  const int64 = /Overflow in (?:addition|subtraction|multiplication) of INT64 \((-?\d+) ([+*-]) (-?\d+)\)!/.exec(first);
  if (int64) return new BigQueryApiError('invalidQuery', `int64 overflow: ${int64[1]} ${int64[2]} ${int64[3]}`);
  const raised = /^Conversion Error: Could not convert string '(.*) bq_raise' to /.exec(first);
  if (raised) return new BigQueryApiError('invalidQuery', raised[1]!);
  // in BigQuery's words for a query too complex to plan, without DuckDB's setting (which is locked)
  if (/Max expression depth limit of \d+ exceeded/.test(first)) return new BigQueryApiError('resourcesExceeded', 'Resources exceeded during query execution: Not enough resources for query planning - the query is too complex for the embedded BigQuery (its expressions, as translated, nest more than 1000 levels deep); split it or simplify its expressions.');
  const zone = /Unknown TimeZone '([^']*)'/i.exec(first);
  if (zone) return new BigQueryApiError('invalidQuery', `Invalid time zone: ${zone[1]}`);
  return mapOther(raw);
}

/** BigQuery's text for a DuckDB error class, or undefined (also when the SQL text defeats a position search). */
function knownClass(first: string, sql: string | undefined): BigQueryApiError | undefined {
  try {
    return mapDuckClass(first, sql) ?? mapDuckValueError(first, sql);
  } catch {
    return undefined;
  }
}

function mapOther(raw: string): BigQueryApiError {
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
  const table = /^Catalog Error: Table with name (.*) does not exist/.exec(message);
  if (table) return new BigQueryApiError('notFound', `Not found: Table ${table[1]} was not found in location US`);
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

/** A query's table in a dataset that does not exist: BigQuery names the dataset. */
export function notFoundDataset(ref: { projectId: string; datasetId: string }): BigQueryApiError {
  return new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId} was not found in location US`);
}
