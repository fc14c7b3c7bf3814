/**
 * routines.insert/get/list/update/delete, sharing the catalog with CREATE FUNCTION / CREATE
 * PROCEDURE: insert and update run the CREATE [OR REPLACE] statement the resource describes (so a
 * routine is checked exactly as its DDL would be), delete runs DROP; get and list read the catalog.
 */
import type { IncomingMessage } from 'node:http';
import { BigQueryApiError, type DatasetReference, type RoutineReference, type RoutineResource } from '../engine/types.js';
import { splitStatements, tokenize } from '../engine/sql/tokenizer.js';
import { parseScript } from '../engine/query/script-tree.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { paginate } from './paging.js';
import type { Router } from './router.js';
import type { ServerContext } from './server-context.js';

/** StandardSqlDataType, as the routines resource spells a type. */
interface DataType {
  typeKind?: string;
  arrayElementType?: DataType;
  structType?: { fields?: { name?: string; type?: DataType }[] };
}

interface RoutineBody {
  routineReference?: Partial<RoutineReference>;
  routineType?: string;
  language?: string;
  arguments?: { name?: string; argumentKind?: string; mode?: string; dataType?: DataType }[];
  returnType?: DataType;
  returnTableType?: unknown;
  importedLibraries?: string[];
  definitionBody?: string;
  description?: string;
  [other: string]: unknown;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const SCALARS = new Set(['INT64', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC', 'BOOL', 'STRING', 'BYTES', 'DATE', 'DATETIME', 'TIME', 'TIMESTAMP', 'JSON', 'INTERVAL', 'GEOGRAPHY']);

function invalid(message: string): BigQueryApiError {
  return new BigQueryApiError('invalid', message);
}

/** A StandardSqlDataType as GoogleSQL type text (every name checked, so nothing else reaches the statement). */
function typeSql(t: DataType | undefined, where: string): string {
  const kind = t?.typeKind;
  if (kind && SCALARS.has(kind)) return kind;
  if (kind === 'ARRAY') return `ARRAY<${typeSql(t?.arrayElementType, where)}>`;
  if (kind === 'STRUCT') {
    const fields = (t?.structType?.fields ?? []).map((f) => {
      if (!f.name || !NAME.test(f.name)) throw invalid(`${where}: a STRUCT field needs a name of letters, digits and underscores`);
      return `${f.name} ${typeSql(f.type, where)}`;
    });
    return `STRUCT<${fields.join(', ')}>`;
  }
  throw invalid(`${where}: dataType.typeKind ${JSON.stringify(kind ?? null)} is not a type the embedded BigQuery can declare`);
}

/** GoogleSQL type text (as the catalog keeps it) → StandardSqlDataType. */
export function dataTypeOf(text: string): DataType {
  let at = 0;
  const s = text.trim();
  const word = (): string => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(at));
    if (!m) throw new Error(`type text ${s}`);
    at += m[0].length;
    return m[1]!;
  };
  const expect = (c: string): void => {
    const m = new RegExp(`^\\s*\\${c}`).exec(s.slice(at));
    if (!m) throw new Error(`type text ${s}`);
    at += m[0].length;
  };
  const peek = (c: string): boolean => new RegExp(`^\\s*\\${c}`).test(s.slice(at));
  const parse = (): DataType => {
    const kind = word().toUpperCase();
    if (kind === 'ARRAY') {
      expect('<');
      const element = parse();
      expect('>');
      return { typeKind: 'ARRAY', arrayElementType: element };
    }
    if (kind === 'STRUCT') {
      expect('<');
      const fields: { name: string; type: DataType }[] = [];
      while (!peek('>')) {
        const name = word();
        fields.push({ name, type: parse() });
        if (peek(',')) expect(',');
      }
      expect('>');
      return { typeKind: 'STRUCT', structType: { fields } };
    }
    // NUMERIC(10, 2) and STRING(10): the parameters do not change the kind
    if (peek('(')) at = s.indexOf(')', at) + 1;
    return { typeKind: kind };
  };
  return parse();
}

/** The CREATE statement a routines resource describes. */
function createStatement(body: RoutineBody, ref: RoutineReference, replace: boolean): string {
  const where = `routine ${ref.datasetId}.${ref.routineId}`;
  for (const field of ['returnTableType', 'description', 'remoteFunctionOptions', 'sparkOptions', 'dataGovernanceType', 'securityMode']) {
    if (body[field] !== undefined) throw new BigQueryApiError('invalid', `${where}: ${field} is not supported by the embedded BigQuery`);
  }
  const kind = body.routineType;
  if (kind !== 'SCALAR_FUNCTION' && kind !== 'PROCEDURE' && kind !== 'TABLE_VALUED_FUNCTION') {
    throw invalid(`${where}: routineType must be SCALAR_FUNCTION, TABLE_VALUED_FUNCTION or PROCEDURE`);
  }
  const language = body.language ?? 'SQL';
  if (language !== 'SQL' && !(language === 'JAVASCRIPT' && kind === 'SCALAR_FUNCTION')) {
    throw new BigQueryApiError('invalid', `${where}: language ${language} for a ${kind} is not supported by the embedded BigQuery`);
  }
  if (typeof body.definitionBody !== 'string' || body.definitionBody.trim() === '') throw invalid(`${where}: definitionBody is required`);
  const args = (body.arguments ?? []).map((a, k) => {
    if (!a.name || !NAME.test(a.name)) throw invalid(`${where}: arguments[${k}].name must be letters, digits and underscores`);
    if (a.argumentKind === 'ANY_TYPE') throw new BigQueryApiError('invalid', `${where}: arguments[${k}]: ANY TYPE arguments are not supported by the embedded BigQuery in persistent routines`);
    const mode = kind === 'PROCEDURE' && a.mode ? `${a.mode} ` : '';
    if (mode && !['IN ', 'OUT ', 'INOUT '].includes(mode)) throw invalid(`${where}: arguments[${k}].mode must be IN, OUT or INOUT`);
    return `${mode}${a.name} ${typeSql(a.dataType, `${where}: arguments[${k}]`)}`;
  });
  const name = `\`${ref.projectId}.${ref.datasetId}.${ref.routineId}\``;
  const head = `CREATE ${replace ? 'OR REPLACE ' : ''}`;
  const returns = body.returnType ? ` RETURNS ${typeSql(body.returnType, `${where}: returnType`)}` : '';
  const text = body.definitionBody;
  if (kind === 'PROCEDURE') return `${head}PROCEDURE ${name}(${args.join(', ')})\nBEGIN\n${text}\nEND`;
  if (kind === 'TABLE_VALUED_FUNCTION') return `${head}TABLE FUNCTION ${name}(${args.join(', ')}) AS ${text}`;
  if (language === 'JAVASCRIPT') {
    if (!returns) throw invalid(`${where}: a JavaScript function needs a returnType`);
    const libraries = body.importedLibraries?.length ? ` OPTIONS (library = [${body.importedLibraries.map(jsString).join(', ')}])` : '';
    return `${head}FUNCTION ${name}(${args.join(', ')})${returns} LANGUAGE js${libraries} AS ${jsString(text)}`;
  }
  return `${head}FUNCTION ${name}(${args.join(', ')})${returns} AS (${text})`;
}

/** A GoogleSQL string literal holding `text` exactly. */
function jsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** A SQL function's body as BigQuery shows it: the expression inside CREATE FUNCTION's `AS ( ... )`. */
function expressionBody(text: string): string {
  const tokens = tokenize(text).filter((t) => t.kind !== 'eof');
  if (tokens[0]?.kind !== 'op' || tokens[0].value !== '(') return text;
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'op' && t.value === '(') depth++;
    if (t.kind === 'op' && t.value === ')' && --depth === 0) return k === tokens.length - 1 ? text.slice(tokens[0].end, t.start).trim() : text;
  }
  return text;
}

/** The catalog's routine as the routines resource shows it. */
function routineView(r: RoutineResource): Record<string, unknown> {
  const view: Record<string, unknown> = {
    etag: Buffer.from(r.lastModifiedTime).toString('base64'),
    routineReference: r.routineReference,
    routineType: r.routineType,
    creationTime: r.creationTime,
    lastModifiedTime: r.lastModifiedTime,
    language: r.language,
    arguments: r.arguments.map((a) => ({ name: a.name, ...(r.routineType === 'PROCEDURE' ? { mode: a.mode ?? 'IN' } : {}), dataType: dataTypeOf(a.typeSql) })),
    definitionBody: r.routineType === 'SCALAR_FUNCTION' && r.language === 'SQL' ? expressionBody(r.definitionBody) : r.definitionBody,
  };
  if (r.returnTypeSql && r.routineType === 'SCALAR_FUNCTION') view.returnType = dataTypeOf(r.returnTypeSql);
  if (r.importedLibraries?.length) view.importedLibraries = r.importedLibraries;
  return view;
}

const PROJECT = /^[a-z][a-z0-9-]{0,62}$/;
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;

/** Names that go into the statement between backticks: checked, so none can close them. */
function checkNames(ref: RoutineReference): void {
  if (!PROJECT.test(ref.projectId) || !DATASET.test(ref.datasetId)) throw invalid(`Invalid dataset ${ref.projectId}:${ref.datasetId}`);
  if (!NAME.test(ref.routineId)) throw invalid(`Invalid routine ID "${ref.routineId}": letters, digits and underscores, starting with a letter or underscore`);
}

export function addRoutineRoutes(router: Router, ctx: ServerContext): void {
  const { engine } = ctx;
  const datasetOf = (params: Record<string, string>): DatasetReference => ({ projectId: params.projectId ?? '', datasetId: params.datasetId ?? '' });
  const refOf = (params: Record<string, string>): RoutineReference => ({ ...datasetOf(params), routineId: params.routineId ?? '' });

  /** Runs the one CREATE or DROP statement (a procedure's BEGIN ... END is one). */
  const run = async (sql: string, ref: RoutineReference): Promise<void> => {
    checkNames(ref);
    // the definition body is the client's own SQL: it may not turn the statement into a script
    const nodes = parseScript(splitStatements(tokenize(sql)), sql);
    if (nodes.length !== 1 || (nodes[0]!.kind !== 'stmt' && nodes[0]!.kind !== 'procedure')) {
      throw invalid(`routine ${ref.datasetId}.${ref.routineId}: definitionBody must not end the routine's statement (a ";" or END outside its own text)`);
    }
    await engine.query(sql, { projectId: ref.projectId, defaultDataset: { projectId: ref.projectId, datasetId: ref.datasetId } });
  };
  const bodyOf = async (req: IncomingMessage, ref: RoutineReference): Promise<RoutineBody> => {
    const body = (await readJson(req, ctx.limits.maxJsonBodyBytes)) as RoutineBody;
    const given = body.routineReference;
    if (given && ((given.projectId && given.projectId !== ref.projectId) || (given.datasetId && given.datasetId !== ref.datasetId) || (given.routineId && given.routineId !== ref.routineId))) {
      throw invalid(`routineReference ${given.projectId ?? ''}.${given.datasetId ?? ''}.${given.routineId ?? ''} does not match the routine in the URL`);
    }
    return body;
  };

  router.add('GET', '/projects/:projectId/datasets/:datasetId/routines', async ({ res, params, query }) => {
    const all = await engine.listRoutines(datasetOf(params));
    const { page, nextPageToken } = paginate(all, query, 1000);
    sendJson(res, 200, { routines: page.map(routineView), ...(nextPageToken ? { nextPageToken } : {}) });
  });

  router.add('POST', '/projects/:projectId/datasets/:datasetId/routines', async ({ req, res, params }) => {
    const raw = (await readJson(req, ctx.limits.maxJsonBodyBytes)) as RoutineBody;
    const ref = { ...datasetOf(params), routineId: raw.routineReference?.routineId ?? '' };
    if (!NAME.test(ref.routineId)) throw invalid(`routines.insert: routineReference.routineId "${ref.routineId}" must be letters, digits and underscores, starting with a letter or underscore`);
    if ((raw.routineReference?.projectId && raw.routineReference.projectId !== ref.projectId) || (raw.routineReference?.datasetId && raw.routineReference.datasetId !== ref.datasetId)) {
      throw invalid('routines.insert: routineReference does not match the dataset in the URL');
    }
    await run(createStatement(raw, ref, false), ref);
    sendJson(res, 200, routineView(await engine.getRoutine(ref)));
  });

  router.add('GET', '/projects/:projectId/datasets/:datasetId/routines/:routineId', async ({ res, params }) => {
    sendJson(res, 200, routineView(await engine.getRoutine(refOf(params))));
  });

  // routines.update replaces the routine; it must exist (routines.insert creates)
  router.add('PUT', '/projects/:projectId/datasets/:datasetId/routines/:routineId', async ({ req, res, params }) => {
    const ref = refOf(params);
    const body = await bodyOf(req, ref);
    await engine.getRoutine(ref);
    await run(createStatement(body, ref, true), ref);
    sendJson(res, 200, routineView(await engine.getRoutine(ref)));
  });

  router.add('DELETE', '/projects/:projectId/datasets/:datasetId/routines/:routineId', async ({ res, params }) => {
    const ref = refOf(params);
    const existing = await engine.getRoutine(ref);
    const what = existing.routineType === 'PROCEDURE' ? 'PROCEDURE' : existing.routineType === 'TABLE_VALUED_FUNCTION' ? 'TABLE FUNCTION' : 'FUNCTION';
    await run(`DROP ${what} \`${ref.projectId}.${ref.datasetId}.${ref.routineId}\``, ref);
    sendEmpty(res, 204);
  });
}
