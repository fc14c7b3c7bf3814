/** BigQuery points its common errors at the script text: `... at [line:column]`, 1-based. */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';

const engine = memoryEngine();
beforeAll(async () => {
  await engine().createDataset({ datasetReference: { projectId: 'p', datasetId: 'pos' } });
  await engine().query('CREATE TABLE pos.t (id INT64)', { projectId: 'p' });
});
async function messageOf(query: string): Promise<string> {
  try {
    await engine().query(query, { projectId: 'p' });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${query} to fail`);
}

describe('error positions', () => {
  test('an unrecognized name on the third line, seventh column (counted by hand)', async () => {
    expect(await messageOf('SELECT id\nFROM pos.t\nWHERE nope = 1')).toBe('Unrecognized name: nope at [3:7]');
  });

  test('in a script, the position is in the whole script text', async () => {
    expect(await messageOf('DECLARE x INT64 DEFAULT 1;\nSELECT missing_col FROM pos.t')).toBe('Unrecognized name: missing_col at [2:8]');
  });
});
