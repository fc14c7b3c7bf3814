import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeReport } from './html.js';
import type { RunReport } from './model.js';

export const LAST_GOOD_HTML = 'last-good.html';
const LAST_GOOD_JSON = 'last-good.json';
/** The last `landform cost` estimate, beside the report: each report shows it until the next one. */
export const COST_JSON = 'cost.json';
/** The report as last written, so `landform cost` can add its section to it. */
export const REPORT_JSON = 'report.json';

async function readJson<T>(file: string): Promise<T | null> {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Writes the cost estimate beside the report and, when a report was written before, adds it to that report. */
export async function addCostToReport(file: string, cost: NonNullable<RunReport['cost']>): Promise<string | null> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, COST_JSON), `${JSON.stringify(cost)}\n`);
  const report = await readJson<RunReport>(path.join(dir, REPORT_JSON));
  if (report === null) return null;
  return writeReport(file, { ...report, cost });
}

async function readLastGood(dir: string): Promise<RunReport | null> {
  const file = path.join(dir, LAST_GOOD_JSON);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RunReport;
  } catch {
    return null; // A damaged copy is no last good state: the failed report says so.
  }
}

/**
 * Writes the run's report to `file`. A successful run also becomes the "last good" copy beside it; a
 * failed one links to that copy and fills what it could not read itself (lineage, charts) from it,
 * so a failure never makes the warehouse look empty.
 */
export async function writeReportKeepingLastGood(file: string, given: RunReport): Promise<{ reportFile: string; lastGoodFile: string | null }> {
  const dir = path.dirname(file);
  const report: RunReport = given.cost === undefined ? { ...given, cost: await readJson<NonNullable<RunReport['cost']>>(path.join(dir, COST_JSON)) } : given;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, REPORT_JSON), `${JSON.stringify(report)}\n`);
  if (report.ok) {
    const written = await writeReport(file, { ...report, lastGood: null, borrowed: [] });
    await copyFile(written, path.join(dir, LAST_GOOD_HTML));
    await writeFile(path.join(dir, LAST_GOOD_JSON), `${JSON.stringify(report)}\n`);
    return { reportFile: written, lastGoodFile: null };
  }
  const previous = await readLastGood(dir);
  const borrowed: Array<'lineage' | 'charts'> = [];
  const failed: RunReport = { ...report, lastGood: null, borrowed };
  if (previous !== null) {
    failed.lastGood = { generatedAt: previous.generatedAt, href: LAST_GOOD_HTML };
    if (report.batches.length === 0 && previous.batches.length > 0) {
      failed.batches = previous.batches;
      failed.freshness = previous.freshness;
      borrowed.push('lineage');
    }
    if (report.charts.length === 0 && previous.charts.length > 0) {
      failed.charts = previous.charts;
      borrowed.push('charts');
    }
  }
  const written = await writeReport(file, failed);
  return { reportFile: written, lastGoodFile: previous === null ? null : path.resolve(dir, LAST_GOOD_HTML) };
}
