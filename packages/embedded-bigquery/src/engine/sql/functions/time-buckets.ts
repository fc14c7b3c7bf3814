/**
 * DATE_BUCKET, DATETIME_BUCKET and TIMESTAMP_BUCKET (time-series-functions): the lower bound of the
 * bucket of width `bucket_width` that holds the value, buckets aligned on the origin (default
 * 1950-01-01 00:00:00, UTC for TIMESTAMP). Exact integer arithmetic on days or microseconds:
 * start = origin + (d - floor_mod(d, width)), d = value - origin. A width the embedded BigQuery
 * cannot be sure to bucket as BigQuery does (MONTH, QUARTER, YEAR, a computed width) fails loudly.
 */
import { unsupported } from '../../errors.js';
import { BigQueryApiError } from '../../types.js';
import { isKeyword, type Token } from '../tokenizer.js';
import { FunctionTable, argCount } from './function-table.js';
import { FIXED_PART_MICROS } from './date-parts.js';
import { defaultZone, isUtc } from './time-zones.js';

export const TIME_BUCKET_FUNCTIONS = new FunctionTable();

/** `INTERVAL n UNIT` with an integer literal n: the width in microseconds. */
function widthMicros(tokens: Token[], fn: string): bigint {
  const [kw, n, unit] = tokens;
  const u = unit?.kind === 'ident' ? unit.value.toUpperCase() : '';
  const per = u === 'WEEK' ? 7n * 86400000000n : FIXED_PART_MICROS[u] !== undefined ? BigInt(FIXED_PART_MICROS[u]!) : undefined;
  if (tokens.length !== 3 || !isKeyword(kw, 'INTERVAL') || n?.kind !== 'number' || !/^\d+$/.test(n.value) || per === undefined) {
    throw unsupported(`${fn} with a bucket width other than INTERVAL <integer> MICROSECOND|MILLISECOND|SECOND|MINUTE|HOUR|DAY|WEEK`);
  }
  const width = BigInt(n.value) * per;
  if (width <= 0n) throw new BigQueryApiError('invalidQuery', `${fn}: the bucket width must be positive`);
  return width;
}

const floorAligned = (d: string, w: string): string => `(${d} - ((${d} % ${w}) + ${w}) % ${w})`;

TIME_BUCKET_FUNCTIONS.def('DATE_BUCKET', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  const micros = widthMicros(a.tokens[1]!, n);
  if (micros % 86400000000n !== 0n) throw new BigQueryApiError('invalidQuery', `${n}: the bucket width of a DATE must be whole days`);
  const days = String(micros / 86400000000n);
  const origin = a.tokens.length === 3 ? `CAST(${a.sql(2)} AS DATE)` : "DATE '1950-01-01'";
  const d = `CAST(CAST(${a.sql(0)} AS DATE) - ${origin} AS BIGINT)`;
  return `CAST(${origin} + CAST(${floorAligned(d, days)} AS INTEGER) AS DATE)`;
});

TIME_BUCKET_FUNCTIONS.def('DATETIME_BUCKET', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  const w = String(widthMicros(a.tokens[1]!, n));
  const origin = a.tokens.length === 3 ? `epoch_us(CAST(${a.sql(2)} AS TIMESTAMP))` : "epoch_us(TIMESTAMP '1950-01-01 00:00:00')";
  return `make_timestamp(${origin} + ${floorAligned(`(epoch_us(CAST(${a.sql(0)} AS TIMESTAMP)) - ${origin})`, w)})`;
});

TIME_BUCKET_FUNCTIONS.def('TIMESTAMP_BUCKET', (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  // whether the default origin is read in @@time_zone is not known here
  if (a.tokens.length === 2 && !isUtc(defaultZone(t))) throw unsupported('TIMESTAMP_BUCKET without an origin in a time zone other than UTC');
  const w = String(widthMicros(a.tokens[1]!, n));
  const origin = a.tokens.length === 3 ? `epoch_us(CAST(${a.sql(2)} AS TIMESTAMPTZ))` : "epoch_us(TIMESTAMPTZ '1950-01-01 00:00:00+00')";
  return `make_timestamptz(${origin} + ${floorAligned(`(epoch_us(CAST(${a.sql(0)} AS TIMESTAMPTZ)) - ${origin})`, w)})`;
});
