/**
 * The Dataform workflow's schedule as deployed: the default of `dataform_schedule` (and
 * `time_zone`) in infra/variables.tf, and how many runs a cron expression makes in a month
 * (the runs of a 365-day year divided by 12).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Schedule {
  cron: string;
  timeZone: string;
  runsPerMonth: number;
  /** Where the schedule was read. */
  source: string;
}

const NAMES: Record<string, number> = {
  JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12,
  SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6,
};

/** The values one cron field allows, or an error sentence naming the field. */
function field(text: string, min: number, max: number, what: string): Set<number> {
  const out = new Set<number>();
  const num = (s: string): number => {
    const v = NAMES[s.toUpperCase()] ?? Number(s);
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`cron ${what} "${text}": ${s} is not from ${min} to ${max}`);
    return v;
  };
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron ${what} "${text}": step ${stepText} is not a positive integer`);
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      lo = num(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : num(b);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Runs of a five-field cron expression in an average month (a 365-day year's runs / 12). */
export function runsPerMonth(cron: string): number {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${cron}": expected five fields (minute hour day-of-month month day-of-week)`);
  const [mi = '', ho = '', dm = '', mo = '', dw = ''] = parts;
  const minutes = field(mi, 0, 59, 'minute').size;
  const hours = field(ho, 0, 23, 'hour').size;
  const dom = field(dm, 1, 31, 'day of month');
  const months = field(mo, 1, 12, 'month');
  const dow = new Set([...field(dw, 0, 7, 'day of week')].map((d) => d % 7));
  let days = 0;
  // 2027 is not a leap year; cron's rule: with both day fields restricted, either may match
  for (let t = Date.UTC(2027, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
    const d = new Date(t);
    if (!months.has(d.getUTCMonth() + 1)) continue;
    const byDom = dom.has(d.getUTCDate());
    const byDow = dow.has(d.getUTCDay());
    const match = dm === '*' && dw === '*' ? true : dm === '*' ? byDow : dw === '*' ? byDom : byDom || byDow;
    if (match) days++;
  }
  return (days * hours * minutes) / 12;
}

/** A variable's `default = "..."` in a Terraform file, or undefined. */
export function terraformDefault(text: string, variable: string): string | undefined {
  const block = new RegExp(`variable\\s+"${variable}"\\s*\\{([\\s\\S]*?)\\n\\}`).exec(text);
  return block ? /default\s*=\s*"([^"]*)"/.exec(block[1] ?? '')?.[1] : undefined;
}

export async function readSchedule(repoRoot: string): Promise<Schedule> {
  const file = path.join(repoRoot, 'infra', 'variables.tf');
  const text = await readFile(file, 'utf8');
  const cron = terraformDefault(text, 'dataform_schedule');
  if (cron === undefined) throw new Error(`${file} has no default for variable "dataform_schedule"; set one, or pass --runs-per-month`);
  return { cron, timeZone: terraformDefault(text, 'time_zone') ?? 'Etc/UTC', runsPerMonth: runsPerMonth(cron), source: `${path.relative(repoRoot, file)} (dataform_schedule)` };
}
