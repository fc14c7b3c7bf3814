/** The schedule `landform cost` multiplies by, and its prices: runs per month counted by hand, the published list price. */
import { describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { billedForJob, costLines, costOf, DEFAULT_PRICE_PER_TIB, priceOf, readSchedule, runsPerMonth, terraformDefault, TIB } from '../../cost-estimate/index.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MB = 2 ** 20;

describe('runs per month of a cron schedule (a 365-day year / 12)', () => {
  test.each([
    ['30 3 * * *', 365 / 12],
    ['0 * * * *', (24 * 365) / 12],
    ['*/15 * * * *', (4 * 24 * 365) / 12],
    ['0 3,15 * * *', (2 * 365) / 12],
    // 2027 has 261 weekdays (52 weeks and one Friday, January 1)
    ['0 3 * * 1-5', 261 / 12],
    ['0 3 * * MON-FRI', 261 / 12],
    ['0 3 1 * *', 1],
    // cron's rule: with both day fields set, a day matching either runs: 12 firsts + 52 Sundays, August 1 2027 being both
    ['0 3 1 * 0', (12 + 52 - 1) / 12],
    ['0 0 1 1 *', 1 / 12],
  ])('%s', (cron, expected) => {
    expect(runsPerMonth(cron)).toBeCloseTo(expected, 10);
  });

  test('a malformed cron is a sentence naming the field', () => {
    expect(() => runsPerMonth('30 25 * * *')).toThrow('cron hour "25": 25 is not from 0 to 23');
    expect(() => runsPerMonth('30 3 * *')).toThrow('expected five fields');
  });

  test('the schedule comes from the Terraform variable\'s default', async () => {
    const tf = 'variable "dataform_schedule" {\n  description = "x"\n  type        = string\n  default     = "0 */6 * * *"\n}\n';
    expect(terraformDefault(tf, 'dataform_schedule')).toBe('0 */6 * * *');
    expect(terraformDefault(tf, 'time_zone')).toBeUndefined();
    const schedule = await readSchedule(REPO_ROOT);
    expect(schedule).toEqual({ cron: '30 3 * * *', timeZone: 'Etc/UTC', runsPerMonth: 365 / 12, source: path.join('infra', 'variables.tf') + ' (dataform_schedule)' });
  });
});

describe('on-demand prices', () => {
  test('BigQuery\'s list price per TiB, whole MB per job and at least 10 MB', () => {
    expect(DEFAULT_PRICE_PER_TIB).toBe(6.25);
    expect(billedForJob(0)).toBe(0);
    expect(billedForJob(1)).toBe(10 * MB);
    expect(billedForJob(10 * MB + 1)).toBe(11 * MB);
    expect(priceOf(TIB, 6.25)).toBe(6.25);
    expect(priceOf(512 * 2 ** 30, 6.25)).toBe(3.125);
  });

  test('a run and its month: billed bytes of every action at the price, times the runs', () => {
    const schedule = { cron: '30 3 * * *', timeZone: 'Etc/UTC', runsPerMonth: 30, source: 'test' };
    const cost = costOf([
      { target: 'c.a', kind: 'incremental', jobs: 1, bytesProcessed: 3 * MB, bytesBilled: 10 * MB },
      { target: 'm.b', kind: 'table', jobs: 1, bytesProcessed: TIB / 2, bytesBilled: TIB / 2 },
    ], { pricePerTib: 6.25, schedule, warehouse: 'test', fullRefresh: false });
    expect(cost.perRun).toEqual({ bytesProcessed: 3 * MB + TIB / 2, bytesBilled: 10 * MB + TIB / 2, price: ((10 * MB + TIB / 2) / TIB) * 6.25 });
    expect(cost.perMonth.price).toBeCloseTo(30 * (3.125 + (10 * MB / TIB) * 6.25), 10);
    const lines = costLines(cost);
    expect(lines.some((l) => /^m\.b\s+table\s+512 GiB\s+512 GiB\s+\$3\.13$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('per month: 30.0 runs'))).toBe(true);
  });
});
