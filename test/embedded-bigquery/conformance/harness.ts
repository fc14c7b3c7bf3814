/**
 * Runs the conformance cases and the reference examples through the real @google-cloud/bigquery
 * client against an embedded BigQuery, and classifies each outcome: passed, failed loudly (the
 * engine refused with "not supported by the embedded BigQuery"), or failed otherwise. Shared by the
 * conformance test and `npm run docs:features`, so the figures in the README are the test's.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { CASES, type ConformanceCase, type Value } from './conformance-cases.js';
import { DOCS_EXAMPLES, type DocsExample } from './docs-examples.js';
import { MORE_DOCS_EXAMPLES } from './docs-examples-more.js';
import { FIDELITY_CASES } from './fidelity-cases.js';
import { COVERAGE_CASES, FUNCTION_PAGE_CASES } from './function-page-cases.js';
import { BYTES_AND_LITERAL_CASES } from './bytes-and-literal-cases.js';
import { normalize, renderDocs, sameDocsRows, sameRows } from './compare.js';

export const LOUD = /not supported by the embedded BigQuery/;

export interface Outcome {
  name: string;
  passed: boolean;
  /** The engine refused the query with a "not supported" error. */
  loud: boolean;
  /** The query failed with an error (of any kind) where an answer was expected. */
  errored: boolean;
  detail: string;
}

export const ALL_CASES: ConformanceCase[] = [...CASES, ...FIDELITY_CASES, ...FUNCTION_PAGE_CASES, ...COVERAGE_CASES, ...BYTES_AND_LITERAL_CASES];
export const ALL_EXAMPLES: DocsExample[] = [...DOCS_EXAMPLES, ...MORE_DOCS_EXAMPLES];

async function query(bq: BigQuery, sql: string): Promise<Record<string, unknown>[]> {
  const [rows] = await bq.query({ query: sql, useLegacySql: false, defaultDataset: { datasetId: 'conformance' } });
  return rows as Record<string, unknown>[];
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function runCase(bq: BigQuery, c: ConformanceCase): Promise<Outcome> {
  try {
    const actual = (await query(bq, c.sql)).map((r) => Object.values(r).map(normalize)) as Value[][];
    if (c.error) return { name: c.name, passed: false, loud: false, errored: false, detail: `expected an error, got ${JSON.stringify(actual)}` };
    const ok = sameRows(actual, c.rows ?? []);
    return { name: c.name, passed: ok, loud: false, errored: false, detail: ok ? '' : `got ${JSON.stringify(actual)}, expected ${JSON.stringify(c.rows)}` };
  } catch (e) {
    const m = message(e);
    if (c.error) return { name: c.name, passed: c.error.test(m), loud: false, errored: false, detail: c.error.test(m) ? '' : `error "${m}" does not match ${String(c.error)}` };
    return { name: c.name, passed: false, loud: LOUD.test(m), errored: true, detail: `error: ${m}` };
  }
}

export async function runExample(bq: BigQuery, x: DocsExample): Promise<Outcome> {
  try {
    const actual = (await query(bq, x.sql)).map((r) => Object.values(r).map(renderDocs));
    const ok = sameDocsRows(actual, x.docs, x.ordered);
    return { name: x.name, passed: ok, loud: false, errored: false, detail: ok ? '' : `got ${JSON.stringify(actual)}, reference prints ${JSON.stringify(x.docs)}` };
  } catch (e) {
    const m = message(e);
    return { name: x.name, passed: false, loud: LOUD.test(m), errored: true, detail: `error: ${m}` };
  }
}

export interface Summary {
  cases: Outcome[];
  examples: Outcome[];
  passed: number;
  total: number;
  /** Failures that are the engine refusing loudly ("not supported by the embedded BigQuery"). */
  loud: number;
  /** Failures that are errors of any kind (loud ones included): no answer was given. */
  errored: number;
}

export async function runAll(bq: BigQuery): Promise<Summary> {
  const cases: Outcome[] = [];
  for (const c of ALL_CASES) cases.push(await runCase(bq, c));
  const examples: Outcome[] = [];
  for (const x of ALL_EXAMPLES) examples.push(await runExample(bq, x));
  const all = [...cases, ...examples];
  return { cases, examples, passed: all.filter((o) => o.passed).length, total: all.length, loud: all.filter((o) => !o.passed && o.loud).length, errored: all.filter((o) => !o.passed && o.errored).length };
}
