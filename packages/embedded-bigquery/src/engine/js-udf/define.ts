/**
 * A JavaScript UDF's definition (RETURNS T [[NOT] DETERMINISTIC] LANGUAGE js [OPTIONS(...)] AS "code"
 * [OPTIONS(...)]) becomes a sandbox and a DuckDB macro of the function's name that calls it:
 * the macro packs the arguments into JSON (js-types.ts), calls bq_jsudf_call with the sandbox's
 * handle, and types the result with json_transform_strict. The sandbox lives until the query ends.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { closingParen } from '../sql/ddl.js';
import type { ParsedType } from '../sql/type-names.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { argumentSql, jsTypeOfField, resultSql, resultStructure, type JsType } from './js-types.js';
import { JsUdfSandbox } from './sandbox.js';
import { addSandbox, callSql, ensureJsUdfFunction, removeSandbox } from './registry.js';
import type { QuerySession } from '../query/session.js';

export interface JsFunction {
  /** The name as written (error messages). */
  name: string;
  /** The DuckDB macro that calls it. */
  macro: string;
  /** Parameter names (lowercase, validated) and declared types, in order. */
  params: ReadonlyMap<string, ParsedType>;
  returnType: ParsedType;
  /** The JavaScript function body. */
  code: string;
  /** OPTIONS(library = ...): gs:// URIs of code run before the body, in order. */
  libraries: string[];
}

/** Sandboxes defined by each running query, disposed when it ends. */
const bySession = new WeakMap<object, number[]>();

/**
 * The JavaScript body and libraries of `... [RETURNS T] [[NOT] DETERMINISTIC] LANGUAGE js [OPTIONS(...)] AS "code" [OPTIONS(...)]`
 * (stmt[languageAt] is LANGUAGE, stmt[asAt] the AS before the code), after BigQuery's checks.
 */
export function jsFunctionCode(name: string, stmt: Token[], languageAt: number, asAt: number, returnType: ParsedType | undefined): { code: string; libraries: string[] } {
  const language = stmt[languageAt + 1];
  if (!language || !/^(js|javascript)$/i.test(language.value)) throw unsupported(`User-defined functions in LANGUAGE ${language?.text ?? ''}`);
  if (!returnType) throw new BigQueryApiError('invalidQuery', `A JavaScript UDF needs RETURNS <type> (function ${name})`);
  const code = stmt[asAt + 1];
  if (!code || code.kind !== 'string') throw new BigQueryApiError('invalidQuery', `Syntax error: JavaScript function ${name} needs its code as a string literal after AS`);
  const libraries: string[] = [];
  for (let k = languageAt + 2; k < stmt.length; k++) {
    if (k === asAt || k === asAt + 1) continue;
    if (isKeyword(stmt[k], 'OPTIONS') && isOp(stmt[k + 1], '(')) {
      const close = closingParen(stmt, k + 1);
      for (let j = k + 2; j < close; j++) {
        if (!isKeyword(stmt[j], 'LIBRARY') || !isOp(stmt[j + 1], '=')) continue;
        // library = 'uri' or library = ['uri', ...]
        const v0 = stmt[j + 2];
        if (v0?.kind === 'string') libraries.push(v0.value);
        else if (isOp(v0, '[')) {
          for (let v = j + 3; v < close && !isOp(stmt[v], ']'); v++) if (stmt[v]!.kind === 'string') libraries.push(stmt[v]!.value);
        } else throw new BigQueryApiError('invalidQuery', `OPTIONS library of JavaScript function ${name} must be a string or an array of strings`);
      }
      k = close;
      continue;
    }
    throw new BigQueryApiError('invalidQuery', `Syntax error: Unexpected "${stmt[k]!.text}" in the definition of JavaScript function ${name}`);
  }
  return { code: code.value, libraries };
}

async function compile(def: JsFunction, read: ((uri: string) => Promise<string>) | undefined): Promise<{ sandbox: JsUdfSandbox; argTypes: JsType[]; returnType: JsType }> {
  if (def.libraries.length > 0 && !read) {
    throw unsupported('OPTIONS(library = ...) on a JavaScript UDF without a Cloud Storage to read it from (start the embedded BigQuery with its gcs option and put the library there)');
  }
  const libraries = await Promise.all(def.libraries.map(async (uri) => ({ uri, code: await read!(uri) })));
  const types = [...def.params.values()];
  const argTypes = types.map((t) => jsTypeOfField(t.field, 'argument'));
  const returnType = jsTypeOfField(def.returnType.field, 'return');
  const label = `${def.name}(${types.map((t) => typeLabel(t)).join(', ')})`;
  const sandbox = await JsUdfSandbox.create(label, [...def.params.keys()], def.code, argTypes, returnType, libraries);
  return { sandbox, argTypes, returnType };
}

/** Compiles the function once and throws it away: a persistent function's CREATE fails as BigQuery's does on a body that cannot run. */
export async function checkJsFunction(s: QuerySession, def: JsFunction): Promise<void> {
  (await compile(def, s.options.jsLibrary)).sandbox.dispose();
}

/** Defines the function's macro for the rest of the query `s`, calling a sandbox of its own. */
export async function defineJsFunction(s: QuerySession, def: JsFunction): Promise<void> {
  const { sandbox, argTypes, returnType } = await compile(def, s.options.jsLibrary);
  const handle = addSandbox(sandbox);
  const handles = bySession.get(s) ?? [];
  handles.push(handle);
  bySession.set(s, handles);
  ensureJsUdfFunction(s.conn);
  const names = [...def.params.keys()];
  const types = [...def.params.values()];
  const packed = names.map((n, k) => `${quoteIdent(`a${k}`)} := ${argumentSql(`CAST(${quoteIdent(n)} AS ${types[k]!.duck})`, argTypes[k]!)}`);
  const argsJson = packed.length > 0 ? `CAST(to_json(struct_pack(${packed.join(', ')})) AS VARCHAR)` : `'{}'`;
  const structure = quoteString(JSON.stringify({ v: resultStructure(returnType) }));
  const body = resultSql(`struct_extract(json_transform_strict(${callSql(handle, argsJson)}, ${structure}), 'v')`, returnType);
  await s.conn.run(`CREATE OR REPLACE TEMP MACRO ${quoteIdent(def.macro)}(${names.map((n) => quoteIdent(n)).join(', ')}) AS (${body})`);
}

/** Ends the sandboxes a query defined (its macros are dropped with its other functions). */
export function disposeJsFunctions(s: QuerySession): void {
  for (const h of bySession.get(s) ?? []) removeSandbox(h);
  bySession.delete(s);
}

function typeLabel(t: ParsedType): string {
  const f = t.field;
  const base = f.type === 'RECORD' ? 'STRUCT' : f.type === 'FLOAT' ? 'FLOAT64' : f.type === 'BOOLEAN' ? 'BOOL' : f.type === 'INTEGER' ? 'INT64' : f.type;
  return f.mode === 'REPEATED' ? `ARRAY<${base}>` : base;
}
