const UNITS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNITS;
const DURATION = /^(\d{1,6})([smhd])$/;

/** Seconds in a duration such as `15m`, `1h`, `1d`; undefined when malformed. */
export function durationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2] as Unit];
}

/** The same duration in its largest whole unit (`60m` → `1h`), so equal durations compare equal. */
export function normalizeDuration(text: string): string | undefined {
  const seconds = durationSeconds(text);
  if (seconds === undefined) return undefined;
  if (seconds === 0) return '0s';
  for (const unit of Object.keys(UNITS) as Unit[]) {
    if (seconds % UNITS[unit] === 0) return `${seconds / UNITS[unit]}${unit}`;
  }
  return `${seconds}s`;
}
