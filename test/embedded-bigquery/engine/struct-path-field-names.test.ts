/**
 * STRUCT(t.project.id, t.project.name): a field given as a path is named by the path's last part,
 * as a bare column is (GoogleSQL "Struct type", constructing a struct: field names are inferred from
 * the expressions where they can be, as implicit aliases are; a path's implicit alias is its last
 * identifier). cloud-cost-management-toolkit repacks `project` so and reads `billing_export.project.id`
 * afterwards. Expected values by hand.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { memoryEngine } from '../support-memory-engine.js';

const opts: QueryOptions = { projectId: 'landform-local' };

const engineOf = memoryEngine();
let engine: Engine;

beforeAll(async () => {
  engine = engineOf();
});

const SOURCE = "(select struct('p-1' as id, 'Shop' as name, [struct('team' as key, 'data' as value)] as labels) as project, 1 as n) as t";

describe('STRUCT fields given as paths', () => {
  test('are named by their last part, and read back by that name', async () => {
    const r = await engine.query(`select s.p.id, s.p.name from (select struct(t.project.id, t.project.name) as p from ${SOURCE}) as s`, opts);
    expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([['p-1', 'Shop']]);
    const schema = await engine.query(`select struct(t.project.id, t.project.name, t.n) as p from ${SOURCE}`, opts);
    expect(schema.schema.fields[0]!.fields!.map((f) => [f.name, f.type])).toEqual([['id', 'STRING'], ['name', 'STRING'], ['n', 'INTEGER']]);
  });

  test('beside a bare column and an aliased expression', async () => {
    const schema = await engine.query(`select struct(n, t.project.id, n + 1 as m) as p from ${SOURCE}`, opts);
    expect(schema.schema.fields[0]!.fields!.map((f) => f.name)).toEqual(['n', 'id', 'm']);
  });
});
