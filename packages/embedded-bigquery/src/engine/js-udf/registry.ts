/**
 * JavaScript UDFs as DuckDB sees them: one scalar function, bq_jsudf_call(handle, arguments JSON),
 * registered once per connection, that hands each row to the sandbox the handle names. A handle is
 * a number the engine chose when the function was defined (never client text), and a function's
 * macro is the only SQL that carries it. DuckDB calls the function on the JavaScript thread (the
 * Node API marshals calls from its worker threads), one chunk of rows at a time.
 */
import { BIGINT, VARCHAR, DuckDBScalarFunction, type DuckDBConnection } from '@duckdb/node-api';
import { BigQueryApiError } from '../types.js';
import { JsUdfSandbox } from './sandbox.js';

const FUNCTION_NAME = 'bq_jsudf_call';

/** The text a failed call gives DuckDB's error; errors.ts turns it back into the BigQuery error (reason kept). */
export function jsUdfErrorText(e: BigQueryApiError): string {
  return `bq_jsudf_error[${e.reason}] ${e.message}`;
}

const sandboxes = new Map<number, JsUdfSandbox>();
let nextHandle = 1;

/** Keeps a compiled sandbox and returns the handle its macro calls it by. */
export function addSandbox(sandbox: JsUdfSandbox): number {
  const handle = nextHandle++;
  sandboxes.set(handle, sandbox);
  return handle;
}

/** Drops a function's sandbox (its memory goes back at once). */
export function removeSandbox(handle: number): void {
  sandboxes.get(handle)?.dispose();
  sandboxes.delete(handle);
}

/**
 * Defines bq_jsudf_call on the connection, each time a JavaScript UDF is defined on it: DuckDB keeps the
 * registration in the open transaction, so a dry run's rollback (or a failed script's) takes it away, and
 * every later call failed with "Function not found: bq_jsudf_call". Registering it again replaces it.
 */
export function ensureJsUdfFunction(conn: DuckDBConnection): void {
  conn.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: FUNCTION_NAME,
      parameterTypes: [BIGINT, VARCHAR],
      returnType: VARCHAR,
      // a call per row, never folded or cached: NOT DETERMINISTIC functions are as common as pure ones
      volatile: true,
      mainFunction: (info, input, output) => {
        const handles = input.getColumnVector(0);
        const args = input.getColumnVector(1);
        // the rows of each function (a chunk is one call site, so one handle, but nothing relies on it)
        const byHandle = new Map<number, number[]>();
        for (let row = 0; row < input.rowCount; row++) {
          const h = Number(handles.getItem(row));
          const rows = byHandle.get(h);
          if (rows) rows.push(row);
          else byHandle.set(h, [row]);
        }
        try {
          for (const [h, rows] of byHandle) {
            const sandbox = sandboxes.get(h);
            if (!sandbox) throw new BigQueryApiError('invalidQuery', 'The JavaScript function called is no longer defined');
            const results = sandbox.callRows(rows.map((row) => String(args.getItem(row))));
            rows.forEach((row, k) => output.setItem(row, results[k]!));
          }
        } catch (e) {
          info.setError(jsUdfErrorText(e instanceof BigQueryApiError ? e : new BigQueryApiError('invalidQuery', `JavaScript UDF failed: ${e instanceof Error ? e.message : String(e)}`)));
          return;
        }
        output.flush();
      },
    }),
  );
}

/** The SQL that calls the sandbox `handle` with the argument JSON `argsJsonSql`. */
export function callSql(handle: number, argsJsonSql: string): string {
  return `${FUNCTION_NAME}(${handle}, ${argsJsonSql})`;
}
