/** What the translator is given by the statement that runs it: table resolution, parameters, names in scope. */
import type { TableReference } from '../types.js';
import type { Token } from './tokenizer.js';
import type { ArrayPathTypes } from './array-paths.js';
import type { SetOperationColumns } from './set-operation-modes.js';

export interface ResolvedTable {
  sql: string;
  ref?: TableReference;
}

export interface TranslateEnv {
  /** Maps a table path (already split on dots) to DuckDB SQL; null when it is not a table (CTE name, alias). */
  resolveTable(parts: string[], strict: boolean): ResolvedTable | null;
  /** Binds @name / ? and returns the DuckDB expression for it. */
  bindParam(token: Token): string;
  /** The value text of the named parameter @name of a scalar type, where a construct needs it at translation (APPROX_QUANTILES' count); undefined when there is none. */
  namedParamValue?(token: Token): { type: string; value: string | null } | undefined;
  /** Script variables visible to this statement (lowercase). */
  variables: ReadonlySet<string>;
  /** Temporary SQL functions created by the script (lowercase). */
  udfs?: ReadonlySet<string>;
  /** Inside a CREATE TEMP FUNCTION body: each parameter (lowercase) and the DuckDB expression that reads it. */
  functionParams?: ReadonlyMap<string, string>;
  /** Pseudo-columns of the statement's tables (`_TABLE_SUFFIX`), left out of `SELECT *`. */
  pseudoColumns?: ReadonlySet<string>;
  /** Catalog table functions callable in FROM (lowercase dotted names, also in `udfs`). */
  tableFunctions?: ReadonlySet<string>;
  /** FOR ... IN loop variables (lowercase): each holds a row, so `r.col` reads a field of it. */
  rowVariables?: ReadonlySet<string>;
  /** DuckDB types of the first part of paths read through arrays (`UNNEST(a.b.c)`), by the path's source offset (array-paths.ts). */
  arrayPaths?: ArrayPathTypes;
  /** The columns of set operations' input queries, described before translation (set-operation-modes.ts). */
  setOperations?: SetOperationColumns;
  /**
   * The default time zone (`SET @@time_zone`), as written: functions that take an optional zone use it
   * (time-zones.ts defaultZone). Undefined is UTC. Known when the statement is translated.
   */
  timeZone?: string;
}
