/** Unit tests of incremental Dataform models (`<model>.test.yaml` next to each model under definitions/), run with the real Dataform CLI. */
export { runModelTests, findTestFiles, type ModelTestOptions, type ModelTestRun } from './run.js';
export { runDataformUnitTests } from './unit-tests.js';
export { parseTestFile, loadTestFile, TestFileError, TEST_FILE_SUFFIX, type ModelTestCase, type ExpectedRows, type Row } from './spec.js';
export { diffRows, describeDiff, isEqual, type RowDiff } from './compare.js';
export { canonicalValue } from './values.js';
export { planRounds, varsArgs, type Round } from './plan.js';
export { resultLines, summaryLine } from './report.js';
export type { CaseResult, Phase } from './round.js';
