/**
 * One compliance file against one fresh embedded BigQuery: its prepare_database tables created in a
 * dataset, then each case that skip-rules.ts keeps run with that dataset as default, through the
 * real @google-cloud/bigquery client (REST rows, undecoded), and classified.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, TEST_PROJECT_ID } from '../../test/support/embedded-bigquery.js';
import { decodeCell, listsEqual, schemaMismatch, showValue, type RestCell, type SchemaField } from './compare.js';
import { parameterType, parameterValue, splitParameters, type QueryParameter } from './parameters.js';
import { parseTestFile, type TestSection } from './parse-test-file.js';
import { parseExpectedTable, scalarNames, ValueSyntaxError, type ExpectedTable, type Value } from './result-value.js';
import { bigQuerySql, defaultTimeZone, inZone, preparedTable, readsTable, skipReason } from './skip-rules.js';

/**
 * `nondeterministic`: a differing answer of a case the reference marks so. Every case and prepared
 * table runs in the reference's default time zone (skip-rules.ts defaultTimeZone), set by
 * `SET @@time_zone` before it, so a differing answer is `wrong` whatever it depends on.
 */
/**
 * `bq-refuses`: the answer holds an array with a NULL element, which the reference returns but
 * BigQuery refuses to write as a query result ("Array cannot have a null element; error in writing
 * field"), as the embedded BigQuery does: BigQuery's answer, not a gap.
 */
export type Outcome = 'pass' | 'wrong' | 'loud' | 'bq-refuses' | 'error-mismatch' | 'error-ok' | 'nondeterministic';

export interface CaseResult {
  file: string;
  name: string;
  outcome: Outcome;
  sql: string;
  expected: string;
  got: string;
}

export interface FileResult {
  file: string;
  cases: CaseResult[];
  skipped: Map<string, number>;
  prepareFailures: string[];
}

const DATASET = 'zetasql';
const QUERY_TIMEOUT_MS = 120_000;

interface Answer {
  fields: SchemaField[];
  rows: { f: RestCell[] }[];
}

async function query(bigquery: BigQuery, sql: string, queryParameters?: QueryParameter[]): Promise<Answer> {
  const run = async (): Promise<Answer> => {
    const parameters = queryParameters ? { parameterMode: 'NAMED', queryParameters } : {};
    const [job] = await bigquery.createQueryJob({ query: sql, useLegacySql: false, defaultDataset: { projectId: TEST_PROJECT_ID, datasetId: DATASET }, ...parameters });
    const [rows, , response] = await job.getQueryResults({ skipParsing: true });
    const fields = (response?.schema?.fields ?? []) as SchemaField[];
    return { fields, rows: rows as unknown as { f: RestCell[] }[] };
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(e: unknown): string {
  const err = e as { errors?: { reason?: string; message?: string }[]; message?: string };
  const first = err.errors?.[0];
  return first ? `${first.reason ?? ''}: ${first.message ?? ''}` : String(err.message ?? e);
}

function showAnswer(a: Answer): string {
  const head = a.fields.map((f) => `${f.name} ${f.mode === 'REPEATED' ? `ARRAY<${f.type}>` : f.type}`).join(', ');
  const rows = a.rows.map((r) => `{${a.fields.map((f, i) => showValue(decodeCell(f, r.f[i].v))).join(', ')}}`);
  return `${head} [${rows.join(', ')}]`;
}

function judge(expected: ExpectedTable, answer: Answer): string | undefined {
  const mismatch = schemaMismatch(expected, answer.fields);
  if (mismatch) return mismatch;
  const ordered = expected.ordered;
  const got = answer.rows.map((r) => answer.fields.map((f, i) => decodeCell(f, r.f[i].v, ordered)));
  // Nested arrays: each expected array carries its own ordering, used by valuesEqual.
  return listsEqual(expected.rows, got, ordered) ? undefined : 'values differ';
}

const READ_TYPES = new Set(['INT64', 'DOUBLE', 'BOOL', 'STRING', 'BYTES', 'DATE', 'DATETIME', 'TIME', 'TIMESTAMP', 'NUMERIC', 'BIGNUMERIC', 'JSON', 'INTERVAL']);

/** The expected table, or the reason the case is skipped (a type BigQuery lacks, text not read). */
function expectedOrSkip(s: TestSection): ExpectedTable | string {
  try {
    const t = parseExpectedTable(s.expected);
    const foreign = t.columns.flatMap((c) => scalarNames(c.type)).find((n) => !READ_TYPES.has(n));
    return foreign === undefined ? t : 'type not in BigQuery (expected)';
  } catch (e) {
    if (!(e instanceof ValueSyntaxError)) throw e;
    return /type (U?INT32|UINT64|FLOAT|PROTO|ENUM|GEOGRAPHY)/.test(e.message) ? 'type not in BigQuery (expected)' : `expected value not read (${e.message.slice(0, 50)})`;
  }
}

/** The case's parameters, each evaluated by the embedded BigQuery. */
async function parametersOf(bigquery: BigQuery, s: TestSection): Promise<QueryParameter[] | undefined> {
  const text = s.options.get('parameters');
  if (text === undefined) return undefined;
  const out: QueryParameter[] = [];
  for (const [expression, name] of splitParameters(text)) {
    const answer = await query(bigquery, `SELECT ${bigQuerySql(expression)}`);
    const field = answer.fields[0];
    if (!field || answer.rows.length !== 1) throw new Error(`parameter ${name} is not one value`);
    out.push({ name, parameterType: parameterType(field), parameterValue: parameterValue(field, answer.rows[0]?.f[0]?.v) });
  }
  return out;
}

async function runCase(bigquery: BigQuery, file: string, s: TestSection, expected: ExpectedTable | undefined): Promise<CaseResult> {
  const base = { file, name: s.name, sql: s.sql, expected: s.expected };
  let params: QueryParameter[] | undefined;
  try {
    params = await parametersOf(bigquery, s);
  } catch (e) {
    return { ...base, outcome: 'loud', got: `parameter: ${errorText(e)}` };
  }
  const nondeterministic = s.notes.some((n) => /non-determinism/i.test(n));
  if (s.expected.startsWith('ERROR')) {
    try {
      const answer = await query(bigquery, inZone(bigQuerySql(s.sql), defaultTimeZone(s)), params);
      return { ...base, outcome: 'error-mismatch', got: showAnswer(answer) };
    } catch (e) {
      return { ...base, outcome: 'error-ok', got: errorText(e) };
    }
  }
  if (!expected) throw new Error('no expected table');
  let answer: Answer;
  try {
    answer = await query(bigquery, inZone(bigQuerySql(s.sql), defaultTimeZone(s)), params);
  } catch (e) {
    const refused = /^invalidQuery: Array cannot have a null element; error in writing field/.test(errorText(e)) && expected.rows.some((row) => row.some(holdsNullElement));
    return { ...base, outcome: refused ? 'bq-refuses' : 'loud', got: errorText(e) };
  }
  let why: string | undefined;
  try {
    why = judge(expected, answer);
  } catch (e) {
    why = `answer not decodable (${String(e)})`;
  }
  if (!why) return { ...base, outcome: 'pass', got: '' };
  const outcome = nondeterministic ? 'nondeterministic' : 'wrong';
  return { ...base, outcome, got: `${why}: ${showAnswer(answer)}` };
}

export async function runFile(file: string, text: string): Promise<FileResult> {
  const sections = parseTestFile(text);
  const result: FileResult = { file, cases: [], skipped: new Map(), prepareFailures: [] };
  const skip = (reason: string): void => {
    result.skipped.set(reason, (result.skipped.get(reason) ?? 0) + 1);
  };
  const unavailable = new Set<string>();
  const bq = await startTestBigQuery();
  try {
    await bq.bigquery.createDataset(DATASET);
    for (const s of sections) {
      if (s.prepareDatabase) {
        const table = preparedTable(s.sql);
        const reason = skipReason(s);
        if (!table) continue;
        if (reason || readsTable(s.sql, unavailable)) {
          unavailable.add(table);
          continue;
        }
        try {
          await query(bq.bigquery, inZone(bigQuerySql(s.sql), defaultTimeZone(s)));
        } catch (e) {
          unavailable.add(table);
          result.prepareFailures.push(`${table}: ${errorText(e).slice(0, 200)}`);
        }
        continue;
      }
      const reason = skipReason(s);
      if (reason) {
        skip(reason);
        continue;
      }
      if (readsTable(s.sql, unavailable)) {
        skip('reads a table not prepared');
        continue;
      }
      const expected = s.expected.startsWith('ERROR') ? undefined : expectedOrSkip(s);
      if (typeof expected === 'string') {
        skip(expected);
        continue;
      }
      result.cases.push(await runCase(bq.bigquery, file, s, expected));
    }
  } finally {
    await bq.stop();
  }
  return result;
}

/** Whether a recorded value holds an array with a NULL element (at any depth): BigQuery's result cannot. */
function holdsNullElement(v: Value): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(holdsNullElement);
  if (v.kind === 'array') return v.items.some((x) => x === null || holdsNullElement(x));
  return holdsNullElement(v.start) || holdsNullElement(v.end);
}
