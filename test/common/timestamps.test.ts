/**
 * microsToIso over BigQuery's whole TIMESTAMP range: the edges and leap days against epoch values
 * known independently (e.g. `date -u -d '0001-01-01' +%s` = -62135596800), the middle against
 * Date's own rendering (a separate implementation), and every value outside refused.
 */
import { describe, expect, test } from '@jest/globals';
import { MAX_TIMESTAMP_MICROS, MIN_TIMESTAMP_MICROS, TimestampRangeError, microsToIso } from '../../common/timestamps.js';

describe('microsToIso', () => {
  test.each([
    ['-62135596800000000', '0001-01-01T00:00:00.000000Z'],
    ['253402300799999999', '9999-12-31T23:59:59.999999Z'],
    ['253402214400000000', '9999-12-31T00:00:00.000000Z'],
    ['0', '1970-01-01T00:00:00.000000Z'],
    ['-1', '1969-12-31T23:59:59.999999Z'],
    ['951782400000001', '2000-02-29T00:00:00.000001Z'],
    ['-2203891200000000', '1900-03-01T00:00:00.000000Z'],
    ['-62104060800000000', '0002-01-01T00:00:00.000000Z'],
    ['-62130499200000000', '0001-03-01T00:00:00.000000Z'],
    ['1767225600000001', '2026-01-01T00:00:00.000001Z'],
  ])('%s µs is %s', (micros, iso) => {
    expect(microsToIso(micros)).toBe(iso);
    expect(microsToIso(BigInt(micros))).toBe(iso);
  });

  test('agrees with Date over the millisecond range it can render', () => {
    const span = 253402300799999 + 62135596800000;
    for (let i = 0; i <= 2000; i++) {
      // Spread over years 0001..9999 (Date renders four-digit years there), off round numbers by a prime stride.
      const ms = -62135596800000 + Math.floor((span / 2000) * i) - ((i * 7919) % 86_400_000) * (i > 0 ? 1 : 0);
      const viaDate = new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
      expect(microsToIso(BigInt(ms) * 1000n)).toBe(viaDate);
    }
  });

  test('refuses values BigQuery cannot hold instead of rendering them (year 10000, BC)', () => {
    expect(() => microsToIso(MAX_TIMESTAMP_MICROS + 1n)).toThrow(TimestampRangeError);
    expect(() => microsToIso(MIN_TIMESTAMP_MICROS - 1n)).toThrow("outside BigQuery's range 0001-01-01..9999-12-31");
    // 10000-01-01T00:00:00Z, which Date renders as +010000-01-01T00:00:00.000Z.
    expect(() => microsToIso('253402300800000000')).toThrow(TimestampRangeError);
  });
});
