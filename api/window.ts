/**
 * Query windows. Presets are whole UTC days ending today, passed to BigQuery as DATE parameters, so
 * a repeat of the same request is the same query text and parameters (BigQuery's result cache can
 * answer it; `CURRENT_DATE()` in SQL would disable that cache).
 */
import { badParameter } from './problem.js';

export const PRESETS = { '7d': 7, '30d': 30, '90d': 90 } as const;
export type Preset = keyof typeof PRESETS;
export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

export interface DayWindow {
  preset: Preset;
  /** First day, inclusive (YYYY-MM-DD, UTC). */
  from: string;
  /** Last day, inclusive: today (UTC). */
  to: string;
  days: number;
}

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function presetWindow(preset: string, now: Date): DayWindow {
  if (!Object.hasOwn(PRESETS, preset)) throw badParameter('preset', `preset must be one of ${Object.keys(PRESETS).join(', ')}`);
  const days = PRESETS[preset as Preset];
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return { preset: preset as Preset, from: isoDate(today - (days - 1) * DAY_MS), to: isoDate(today), days };
}

/** Every day of the window, oldest first: the series has one point per day, zeros included. */
export function daysOf(window: DayWindow): string[] {
  const start = Date.parse(`${window.from}T00:00:00Z`);
  return Array.from({ length: window.days }, (_, i) => isoDate(start + i * DAY_MS));
}

export interface InstantRange {
  start: string;
  end: string;
}

// RFC 3339 with an explicit offset: a bare date or a local time would mean different instants to different callers.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(name: string, value: string): number {
  const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badParameter(name, `${name} must be an RFC 3339 timestamp with a time zone, e.g. 2026-11-20T00:00:00Z`);
  return ms;
}

/** [start, end) as ISO instants; 400 naming the parameter when it is malformed, reversed or longer than 400 days. */
export function instantRange(start: string, end: string): InstantRange {
  const from = instant('start', start);
  const to = instant('end', end);
  if (from >= to) throw badParameter('start', 'start must be before end');
  if (to - from > MAX_RANGE_DAYS * DAY_MS) throw badParameter('end', `the range from start to end must be at most ${MAX_RANGE_DAYS} days`);
  return { start: new Date(from).toISOString(), end: new Date(to).toISOString() };
}
