/**
 * GoogleSQL conformance: every case in conformance-cases.ts runs through the real
 * @google-cloud/bigquery client against a fresh embedded BigQuery. Prints the pass rate and
 * fails under 90%; cases listed in KNOWN_FAILING are still counted (as failures) so the rate is honest.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { CASES, KNOWN_FAILING, type Value } from './conformance-cases.js';
import { normalize, sameRows } from './compare.js';

let bq: TestBigQuery;

beforeAll(async () => {
  bq = await startTestBigQuery();
  await bq.bigquery.createDataset('conformance');
});

afterAll(async () => {
  await bq?.stop();
});

interface Outcome {
  name: string;
  passed: boolean;
  detail: string;
}

async function runCase(c: (typeof CASES)[number]): Promise<Outcome> {
  try {
    const [rows] = await bq.bigquery.query({ query: c.sql, useLegacySql: false, defaultDataset: { datasetId: 'conformance' } });
    const actual = (rows as Record<string, unknown>[]).map((r) => Object.values(r).map(normalize)) as Value[][];
    if (c.error) return { name: c.name, passed: false, detail: `expected an error, got ${JSON.stringify(actual)}` };
    const ok = sameRows(actual, c.rows ?? []);
    return { name: c.name, passed: ok, detail: ok ? '' : `got ${JSON.stringify(actual)}, expected ${JSON.stringify(c.rows)}` };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (c.error) return { name: c.name, passed: c.error.test(message), detail: c.error.test(message) ? '' : `error "${message}" does not match ${String(c.error)}` };
    return { name: c.name, passed: false, detail: `error: ${message}` };
  }
}

describe('GoogleSQL conformance (BigQuery documentation examples)', () => {
  test('at least 90% of the cases pass, and known failures are listed honestly', async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(120);
    const outcomes: Outcome[] = [];
    for (const c of CASES) outcomes.push(await runCase(c));
    const passed = outcomes.filter((o) => o.passed).length;
    const failures = outcomes.filter((o) => !o.passed);
    const unexpected = failures.filter((o) => !(o.name in KNOWN_FAILING));
    const fixed = outcomes.filter((o) => o.passed && o.name in KNOWN_FAILING).map((o) => o.name);
    const rate = (100 * passed) / outcomes.length;
    process.stdout.write(
      `GoogleSQL conformance: ${passed}/${outcomes.length} passed (${rate.toFixed(1)}%)\n` +
        failures.map((f) => `  FAIL ${f.name}${f.name in KNOWN_FAILING ? ` [known: ${KNOWN_FAILING[f.name]}]` : ''}: ${f.detail}\n`).join(''),
    );
    expect(fixed).toEqual([]);
    expect(unexpected.map((f) => `${f.name}: ${f.detail}`)).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(90);
  });
});
