// Durations as the shared rules (shared/types.js, also run by the Dataform includes) read them.
import { durationSeconds as seconds, normalizeDuration as normalize } from './shared/types.js';

/** Seconds in a duration such as `15m`, `1h`, `1d`; undefined when malformed. */
export function durationSeconds(text: string): number | undefined {
  return seconds(text);
}

/** The same duration in its largest whole unit (`60m` → `1h`), so equal durations compare equal. */
export function normalizeDuration(text: string): string | undefined {
  return normalize(text);
}
