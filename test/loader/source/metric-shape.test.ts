/**
 * The framer's metric check (loader/source/metric-shape.ts) on jsonb's text output: the fast scan
 * passes only objects whose values are all null or of the expected type, and the exact check
 * decides the rest as jsonb_typeof does. Expected answers are written out by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { flatObjectOf, metricsPass, type MetricShape } from '../../../loader/source/metric-shape.js';

const shape: MetricShape = { known: [{ key: 'battery_v', expected: 'number' }, { key: 'engine_rpm', expected: 'number' }] };
const flat = (text: string, only: 'number' | 'string' | 'boolean' | 'none' = 'number') => {
  // inside a larger buffer, as the framer sees a field of a row
  const buf = Buffer.from(`x\t${text}\ty`);
  return flatObjectOf(buf, 2, 2 + Buffer.byteLength(text), only === 'none' ? undefined : only);
};

describe('the fast scan', () => {
  test.each([
    ['{}', true],
    ['{"battery_v": 12.5, "engine_rpm": null}', true],
    ['{"a": -1.5e3, "b": 0, "c": null}', true],
    ['{"we\\"ird: \\\\": 1}', true],
    ['{"a": "x"}', false],
    ['{"a": true}', false],
    ['{"a": [1]}', false],
    ['{"a": {"b": 1}}', false],
    ['[1, 2]', false],
    ['null', false],
    ['"s"', false],
    ['{"a": 1', false],
    ['{"a\\": 1}', false],
  ])('%s: %s', (text, expected) => {
    expect(flat(text)).toBe(expected);
  });

  test('strings and booleans pass only when every known metric expects that type', () => {
    expect(flat('{"a": "x", "b": null}', 'string')).toBe(true);
    expect(flat('{"a": true, "b": false}', 'boolean')).toBe(true);
    expect(flat('{"a": 1}', 'string')).toBe(false);
    expect(flat('{"a": 1}', 'none')).toBe(false);
  });
});

describe('the exact check', () => {
  test.each([
    ['{"battery_v": 12.5, "engine_rpm": null}', true],
    ['{"note": "text", "flags": [true], "battery_v": 1}', true],
    ['{"toString": "x", "constructor": [1]}', true],
    ['{"battery_v": "low"}', false],
    ['{"battery_v": true}', false],
    ['{"battery_v": [1]}', false],
    ['{"engine_rpm": {"v": 1}}', false],
    ['[1, 2]', false],
    ['null', false],
    ['"just a string"', false],
    ['not json', false],
  ])('%s: %s', (text, expected) => {
    expect(metricsPass(text, shape)).toBe(expected);
  });
});
