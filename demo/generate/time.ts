export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A half-open time window (from, to]: a row belongs to it when its arrival time is after `from` and at or before `to`. */
export interface TimeWindow {
  /** Exclusive lower bound; null means from the beginning of the demo's history. */
  from: Date | null;
  /** Inclusive upper bound. */
  to: Date;
}

export function inWindow(t: number, window: TimeWindow): boolean {
  return (window.from === null || t > window.from.getTime()) && t <= window.to.getTime();
}

export function floorTo(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

/** Relative activity over the day (UTC hour): quiet at night, busy in the afternoon. */
export function diurnal(hour: number): number {
  return 0.3 + Math.max(0, Math.sin((Math.PI * (hour - 6)) / 16)) * 1.1;
}

/** Weekends are quieter for business activity. */
export function weekday(t: number): number {
  const day = new Date(t).getUTCDay();
  return day === 0 || day === 6 ? 0.7 : 1;
}

/** Hour buckets (start times) overlapping [from, to]. */
export function* hourBuckets(fromMs: number, toMs: number): Generator<number> {
  for (let h = floorTo(fromMs, HOUR); h <= toMs; h += HOUR) yield h;
}
