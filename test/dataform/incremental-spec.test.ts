/** The test-file format, the comparison and the planning of rounds, without a warehouse. */
import { describe, expect, test } from '@jest/globals';
import { canonicalValue, describeDiff, diffRows, parseTestFile, planRounds, type ModelTestCase } from '../../dataform-testing/index.js';
import { checkRows } from '../../dataform-testing/tables.js';

const FILE = 'definitions/curated/telemetry/cur_devices.test.yaml';
const VALID = `
model: cur_devices
cases:
  - name: one
    inputs:
      devices:
        defaults: {site: north}
        rows:
          - {device_id: d1}
    expect:
      incremental:
        rows:
          - {device_id: d1, site: north}
`;

const messageOf = (text: string): string => {
  try {
    parseTestFile(text, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('test file format', () => {
  test('a valid file gives cases with defaults applied', () => {
    const [c] = parseTestFile(VALID, FILE);
    expect(c?.inputs.get('devices')).toEqual([{ site: 'north', device_id: 'd1' }]);
    expect(c?.prior).toBeUndefined();
    expect(c?.expect.incremental?.columns).toEqual(['device_id', 'site']);
    expect(c?.vars).toEqual({});
  });

  test.each([
    ['an unknown field', VALID.replace('incremental:', 'incremntal:'), `${FILE}: cases[0].expect.incremntal: unknown field`],
    ['a model that is not the file name', VALID.replace('model: cur_devices', 'model: cur_sites'), `${FILE}: model: must be cur_devices, the model the file sits next to`],
    ['a var that is not a string', VALID.replace('  - name: one\n', '  - name: one\n    vars: {late_arrival_days: 3}\n'), `${FILE}: cases[0].vars.late_arrival_days: must be a string (quote it in YAML)`],
    ['a var with a comma', VALID.replace('  - name: one\n', '  - name: one\n    vars: {risk_bucket: "a,b"}\n'), `${FILE}: cases[0].vars.risk_bucket: cannot contain "," or "=" (the CLI's --vars syntax)`],
    ['expected rows naming different columns', VALID.replace('- {device_id: d1, site: north}', '- {device_id: d1, site: north}\n          - {device_id: d2}'), `${FILE}: cases[0].expect.incremental.rows[1]: every expected row names the same columns (device_id, site), since only those are compared`],
    ['no expectation', VALID.replace(/ {4}expect:[\s\S]*$/, '    expect: {}\n'), `${FILE}: cases[0].expect: give incremental rows, full_refresh rows, or both`],
    ['a column name that is not an identifier', VALID.replace('{device_id: d1}', '{Device Id: d1}'), `${FILE}: cases[0].inputs.devices.rows[0]["Device Id"]: must be a lower snake_case name`],
    ['two cases with one name', VALID.replace('cases:\n', 'cases:\n  - {name: one, expect: {full_refresh: {rows: []}}}\n'), `${FILE}: cases[1].name: "one" is already the name of another case`],
    ['broken YAML', 'model: [', `${FILE}: (line 1, column 9): invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`],
  ])('%s is one message naming file, field and rule', (_what, text, message) => {
    expect(messageOf(text)).toBe(message);
  });

  test('rows are checked against the table: unknown and missing REQUIRED columns', () => {
    const fields = [{ name: 'device_id', type: 'STRING', mode: 'REQUIRED' }, { name: 'site', type: 'STRING', mode: 'NULLABLE' }];
    expect(() => checkRows(FILE, 'cases[0].inputs.devices.rows', [{ device_id: 'd1', sit: 'x' }], fields, 'landform_raw.devices'))
      .toThrow(`${FILE}: cases[0].inputs.devices.rows[0].sit: landform_raw.devices has no column sit (it has device_id, site)`);
    expect(() => checkRows(FILE, 'cases[0].prior.rows', [{ site: 'x' }], fields, 'landform_curated.cur_devices'))
      .toThrow(`${FILE}: cases[0].prior.rows[0]: landform_curated.cur_devices.device_id is REQUIRED: give it in the row or in defaults`);
  });
});

describe('values and rows compared', () => {
  test('one text per value, whichever side it comes from', () => {
    expect(canonicalValue('TIMESTAMP', '2026-11-20T10:00:00Z', false)).toBe('2026-11-20T10:00:00.000000Z');
    expect(canonicalValue('TIMESTAMP', { value: '2026-11-20T10:00:00.000Z' }, true)).toBe('2026-11-20T10:00:00.000000Z');
    expect(canonicalValue('TIMESTAMP', '2026-11-20 12:00:00.123456+02:00', false)).toBe('2026-11-20T10:00:00.123456Z');
    expect(canonicalValue('TIMESTAMP', { value: '2026-11-20T10:00:00.123456000Z' }, true)).toBe('2026-11-20T10:00:00.123456Z');
    expect(canonicalValue('INT64', 900, true)).toBe(canonicalValue('INT64', '900', false));
    // wrapIntegers: a BigQueryInt keeps the digits a JS number would round.
    expect(canonicalValue('INT64', { type: 'BigQueryInt', value: '9007199254740993' }, true)).toBe('9007199254740993');
    expect(canonicalValue('JSON', { value: 1 }, false)).toBe('{"value":1}');
    expect(canonicalValue('FLOAT64', 12, true)).toBe(canonicalValue('FLOAT64', 12.0, false));
    expect(canonicalValue('JSON', '{"b":2,"a":1}', true)).toBe(canonicalValue('JSON', { a: 1, b: 2 }, false));
    expect(canonicalValue('DATE', { value: '2026-09-01' }, true)).toBe('2026-09-01');
    expect(canonicalValue('STRING', null, true)).toBe('null');
    expect(() => canonicalValue('TIMESTAMP', 'yesterday', false)).toThrow('"yesterday" is not a timestamp (write 2026-11-20T10:00:00Z)');
  });

  const types = new Map([['id', 'STRING'], ['n', 'INT64'], ['at', 'TIMESTAMP']]);
  const columns = ['id', 'n', 'at'];

  test('rows compare as multisets, in any order', () => {
    const expected = [{ id: 'a', n: 1, at: '2026-11-20T10:00:00Z' }, { id: 'b', n: 2, at: '2026-11-20T11:00:00Z' }];
    const actual = [{ id: 'b', n: 2, at: { value: '2026-11-20T11:00:00.000Z' } }, { id: 'a', n: 1, at: { value: '2026-11-20T10:00:00.000Z' } }];
    const diff = diffRows(columns, types, expected, actual, ['id']);
    expect(diff).toEqual({ expectedCount: 2, actualCount: 2, missing: [], unexpected: [], changed: [] });
  });

  test('a duplicate, a missing row and a changed row are each named', () => {
    const expected = [{ id: 'a', n: 1, at: '2026-11-20T10:00:00Z' }, { id: 'b', n: 2, at: '2026-11-20T11:00:00Z' }, { id: 'c', n: 3, at: '2026-11-20T12:00:00Z' }];
    const actual = [
      { id: 'a', n: 1, at: { value: '2026-11-20T10:00:00.000Z' } },
      { id: 'a', n: 1, at: { value: '2026-11-20T10:00:00.000Z' } },
      { id: 'b', n: 5, at: { value: '2026-11-20T11:00:00.000Z' } },
    ];
    expect(describeDiff(diffRows(columns, types, expected, actual, ['id']))).toEqual([
      'expected 3 row(s), the table has 3:',
      '  changed id=b: n expected 2, got 5',
      '  missing    {id: c, n: 3, at: 2026-11-20T12:00:00.000000Z}',
      '  unexpected {id: a, n: 1, at: 2026-11-20T10:00:00.000000Z}',
    ]);
  });
});

describe('rounds', () => {
  const kase = (model: string, name: string, vars: Record<string, string> = {}): ModelTestCase => ({
    file: `${model}.test.yaml`, model, name, field: 'cases[0]', vars, inputs: new Map(), prior: undefined, expect: { full_refresh: { columns: [], rows: [], field: '' } },
  });

  test('one case per model per round, and only cases with the same vars together', () => {
    const rounds = planRounds([kase('a', '1'), kase('b', '1'), kase('a', '2'), kase('c', '1', { x: '1' }), kase('d', '1', { x: '1' }), kase('e', '1', { x: '2' })]);
    expect(rounds.map((r) => ({ vars: r.vars, cases: r.cases.map((c) => `${c.model}/${c.name}`) }))).toEqual([
      { vars: {}, cases: ['a/1', 'b/1'] },
      { vars: {}, cases: ['a/2'] },
      { vars: { x: '1' }, cases: ['c/1', 'd/1'] },
      { vars: { x: '2' }, cases: ['e/1'] },
    ]);
  });
});
