import { describe, expect, test } from '@jest/globals';
import { bigQueryPath, InvalidIdentifierError, quotePg, sqlIdentifier } from '../../common/identifiers.js';
import { redactUrl } from '../../common/logger.js';

describe('identifiers', () => {
  test.each(['telemetry_readings', '_batch_id', 'a1'])('accepts %s', (name) => {
    expect(sqlIdentifier(name)).toBe(name);
  });

  test.each(['Robert"; drop table x; --', '1abc', 'has space', 'UPPER', '', 'a'.repeat(129)])('rejects %j', (name) => {
    expect(() => sqlIdentifier(name)).toThrow(InvalidIdentifierError);
  });

  test('quotes only validated names', () => {
    expect(quotePg('devices')).toBe('"devices"');
    expect(bigQueryPath('landform-local', 'landform_raw', 'devices')).toBe('`landform-local.landform_raw.devices`');
    expect(() => bigQueryPath('landform-local', 'raw`; drop', 'devices')).toThrow(/dataset/);
  });

  test('redacts passwords from database URLs', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/ops')).toBe('postgres://app:***@db:5432/ops');
    expect(redactUrl('postgres://db/ops')).toBe('postgres://db/ops');
  });
});
