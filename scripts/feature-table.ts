/**
 * npm run docs:features: checks packages/embedded-bigquery/features.json against the engine (every
 * translated function listed, every construct's probe behaving as listed), runs the conformance
 * suite, prints its pass rate and the number of loud failures, and writes the support table into
 * README.md between its markers. Exit 1 when the list is untrue.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { startTestBigQuery } from '../test/support/embedded-bigquery.js';
import { runAll } from '../test/embedded-bigquery/conformance/harness.js';
import { constructProblems, listProblems, loadFeatures, renderTable, replaceBlock } from '../test/embedded-bigquery/conformance/features.js';

const features = loadFeatures();
const problems = listProblems(features);
const bq = await startTestBigQuery();
try {
  await bq.bigquery.createDataset('conformance');
  problems.push(...(await constructProblems(features, bq.bigquery)));
  const summary = await runAll(bq.bigquery);
  const failures = summary.total - summary.passed;
  process.stdout.write(`GoogleSQL conformance: ${summary.passed}/${summary.total} passed (${((100 * summary.passed) / summary.total).toFixed(1)}%); ${failures} failures: ${summary.errored} errors (${summary.loud} loud), ${failures - summary.errored} other answers\n`);
  if (problems.length > 0) {
    process.stderr.write(`features.json is not true of the engine:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
    process.exitCode = 1;
  } else {
    const readmePath = new URL('../README.md', import.meta.url);
    writeFileSync(readmePath, replaceBlock(readFileSync(readmePath, 'utf8'), renderTable(features, summary)));
    process.stdout.write('README.md: support table written\n');
  }
} finally {
  await bq.stop();
}
