/**
 * A query whose translation nests deeper than DuckDB plans fails as BigQuery fails a query too
 * complex to plan (reason resourcesExceeded), in words that name no DuckDB setting.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';

const engine = memoryEngine();

describe('a query too deep to plan', () => {
  test('fails with resourcesExceeded and no DuckDB vocabulary', async () => {
    // 700 additions: each is a checking macro around the previous sum
    const sql = `SELECT ${Array.from({ length: 700 }, () => '1').join(' + ')}`;
    const error = (await engine().query(sql, { projectId: 'p' }).then(() => undefined, (e: unknown) => e)) as { reason?: string; message?: string } | undefined;
    expect(error?.reason).toBe('resourcesExceeded');
    expect(error?.message).toMatch(/^Resources exceeded during query execution: Not enough resources for query planning/);
    expect(error?.message).not.toMatch(/max_expression_depth|SET |DuckDB/i);
  }, 60_000);
});
