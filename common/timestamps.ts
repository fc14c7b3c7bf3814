/**
 * BigQuery's TIMESTAMP range and the one rendering of a microsecond instant as text that the loader
 * sends back to BigQuery (watermarks, partition bounds, status). Date keeps only milliseconds and
 * renders years past 9999 as `+010000-...`, which BigQuery rejects and which once made the publish
 * filter match nothing; so the text is built from integer parts here, and anything outside the range
 * is an error instead of a silently wrong string.
 */

/** 0001-01-01T00:00:00.000000Z in microseconds since the epoch. */
export const MIN_TIMESTAMP_MICROS = -62_135_596_800_000_000n;
/** 9999-12-31T23:59:59.999999Z in microseconds since the epoch. */
export const MAX_TIMESTAMP_MICROS = 253_402_300_799_999_999n;

export class TimestampRangeError extends Error {
  constructor(readonly micros: bigint) {
    super(`timestamp ${micros} µs since the epoch is outside BigQuery's range 0001-01-01..9999-12-31`);
    this.name = 'TimestampRangeError';
  }
}

const DAY_MICROS = 86_400_000_000n;

/** Civil date of a day number (days since 1970-01-01), proleptic Gregorian (H. Hinnant's algorithm). */
function civilFromDays(days: bigint): { y: bigint; m: bigint; d: bigint } {
  const z = days + 719_468n;
  const era = (z >= 0n ? z : z - 146_096n) / 146_097n;
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  return { y: yoe + era * 400n + (m <= 2n ? 1n : 0n), m, d };
}

const pad = (n: bigint, width: number) => n.toString().padStart(width, '0');

/** Microseconds since the epoch → `YYYY-MM-DDTHH:MM:SS.ffffffZ` (exact); throws TimestampRangeError outside 0001..9999. */
export function microsToIso(micros: number | string | bigint): string {
  const value = BigInt(micros);
  if (value < MIN_TIMESTAMP_MICROS || value > MAX_TIMESTAMP_MICROS) throw new TimestampRangeError(value);
  // Floor division: an instant before the epoch belongs to the day before.
  let days = value / DAY_MICROS;
  let rest = value - days * DAY_MICROS;
  if (rest < 0n) {
    days -= 1n;
    rest += DAY_MICROS;
  }
  const { y, m, d } = civilFromDays(days);
  const seconds = rest / 1_000_000n;
  const fraction = rest % 1_000_000n;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}.${pad(fraction, 6)}Z`;
}
