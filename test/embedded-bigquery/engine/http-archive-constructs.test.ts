/**
 * Constructs HTTP Archive's report operations use (HTTPArchive/dataform includes/reports.js), each
 * of which stopped a report: a comma join after `LEFT JOIN UNNEST(...) ON ...` (and after
 * `JOIN ... ON ...`), a HAVING that reads a select-list alias whose expression checks for errors
 * (division, OFFSET), JSON_EXTRACT_ARRAY of a JSON field in a correlated UNNEST, and `alias.field`
 * where the element's field is named like the UNNEST alias. Expected rows by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
const PAGES = `(select 'desktop' as client, 500 as rank, [struct('1371' as id, 'Storage' as feature)] as features, ['all', 'top1k'] as lens_array, json '{"other": {"attr": ["lazy", "eager"]}}' as cm, 120.0 as fcp
  union all select 'mobile', 5000, cast([] as array<struct<id string, feature string>>), ['all', cast(null as string)], json '{"other": {"attr": []}}', 2048.0)`;

describe('HTTP Archive report constructs', () => {
  let engine: EmbeddedEngine;
  const q = async (sql: string) => (await engine.query(sql, opts)).rows.map((r) => r.f.map((c) => c.v)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('a comma join after LEFT OUTER JOIN UNNEST(...) ON ...: the next UNNEST reads the left row', async () => {
    const sql = `select client, lens, sum(if(feat.id is not null, 1, 0)) as num_urls, count(0) as n
      from ${PAGES} left outer join unnest(features) as feat on (feat.id = '1371' or feat.feature = 'x'), unnest(lens_array) as lens
      where lens is not null group by client, lens`;
    // desktop has the feature and two lenses; mobile no feature (one NULL row) and one non-NULL lens
    expect(await q(sql)).toEqual([['desktop', 'all', '1', '1'], ['desktop', 'top1k', '1', '1'], ['mobile', 'all', '0', '1']]);
  });

  test('a comma join after JOIN ... ON ...', async () => {
    const sql = `select p.client, lens from ${PAGES} p join (select 'mobile' as client) t on p.client = t.client, unnest(p.lens_array) as lens`;
    expect(await q(sql)).toEqual([['mobile', 'all'], ['mobile', null]]);
  });

  test('HAVING reads the alias of an expression with a division and OFFSET', async () => {
    const sql = `select client, round(approx_quantiles(fcp, 4)[offset(2)] / 1024, 2) as p50 from ${PAGES} group by client having p50 > 1`;
    // mobile: 2048 / 1024 = 2; desktop 120 / 1024 = 0.12 is filtered out
    expect(await q(sql)).toEqual([['mobile', '2']]);
  });

  test('HAVING with an implicit alias, beside an aggregate of its own; a FROM column of another name stays a column', async () => {
    const sql = `select client, sum(rank) / 10 total from ${PAGES} group by client having total >= 50 and count(*) = 1 and client like '%o%'`;
    expect(await q(sql)).toEqual([['desktop', '50'], ['mobile', '500']]);
  });

  test('JSON_EXTRACT_ARRAY of a JSON field in a correlated LEFT JOIN UNNEST', async () => {
    const sql = `select client, round(count(distinct if(lower(lax_string(attr)) = 'lazy', client, null)) * 100 / count(distinct client), 2) as percent
      from ${PAGES} left join unnest(json_extract_array(cm.other['attr'])) as attr group by client`;
    expect(await q(sql)).toEqual([['desktop', '100'], ['mobile', '0']]);
  });

  test('alias.field where the field is named like the UNNEST alias (blink_features.usage: feature.feature), grouped by the implicit names', async () => {
    const sql = `select id, feature, n from (
      select feature.id, feature.feature, count(*) as n
      from (select [struct('1' as id, 'a' as feature, 'x' as type), struct('1', 'a', 'y'), struct('2', 'b', 'x')] as features) cross join unnest(features) as feature
      group by id, feature)`;
    // grouped by the STRING fields, not the whole element: ('1', 'a') twice
    expect(await q(sql)).toEqual([['1', 'a', '2'], ['2', 'b', '1']]);
  });

  test('GROUP BY the alias of a path named like the UNNEST alias, at the end of the statement (the cruxInp histogram)', async () => {
    const sql = `select lens, bin.start as bin, sum(bin.density) as volume
      from (select [struct(0 as start, 0.25 as density), struct(0, 0.5), struct(10, 0.25)] as bins), unnest(['all']) as lens, unnest(bins) as bin
      group by lens, bin`;
    // by bin.start: 0 → 0.25 + 0.5, 10 → 0.25 (by the whole element it would be three rows)
    expect(await q(sql)).toEqual([['all', '0', '0.75'], ['all', '10', '0.25']]);
  });

  test('an UNNEST alias of a joined subquery is a plain column outside it, beside another UNNEST (the cruxInp histogram)', async () => {
    const sql = `select lens, bin.start as b, sum(bin.density) as volume
      from (select [struct(0 as start, 0.5 as density)] as bins, 'p' as pg) a
      inner join (select page, lens from (select 'p' as page), unnest(['all', 'top1k']) as lens) on (a.pg = page), unnest(bins) as bin
      group by lens, b`;
    expect(await q(sql)).toEqual([['all', '0', '0.5'], ['top1k', '0', '0.5']]);
  });

  test('GROUP BY an alias that a FROM column also has groups by the select item (aliases override FROM names)', async () => {
    const sql = `select if(form_factor = 'desktop', 'desktop', 'mobile') as client, count(*) as n
      from (select 'desktop' as form_factor, 'x' as client union all select 'phone', 'y' union all select 'tablet', 'z')
      group by client`;
    // by the IF: desktop 1, mobile 2 (by the FROM column it would be three groups, or an error)
    expect(await q(sql)).toEqual([['desktop', '1'], ['mobile', '2']]);
  });

  test('alias.field with WITH OFFSET, and the whole element read bare beside it', async () => {
    const sql = `select s.s, o, to_json_string(s) from unnest([struct('p' as s), struct('q')]) as s with offset o`;
    expect(await q(sql)).toEqual([['p', '0', '{"s":"p"}'], ['q', '1', '{"s":"q"}']]);
  });

  test('the column of WITH OFFSET without an alias, read bare as OFFSET; LIMIT ... OFFSET stays LIMIT\'s', async () => {
    const rows = async (sql: string) => (await engine.query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));
    expect(await rows(`select x, offset from unnest(['a', 'b', 'c']) x with offset order by offset desc`)).toEqual([['c', '2'], ['b', '1'], ['a', '0']]);
    expect(await rows(`select x from unnest(['a', 'b', 'c']) x with offset order by offset limit 1 offset 1`)).toEqual([['b']]);
  });

  test('JSON_QUERY of a JSON field keeps JSON; of a STRING it is a STRING', async () => {
    const sql = `select to_json_string(json_query(cm['other'], '$.attr')), json_query('{"a": [1]}', '$.a') from ${PAGES} where client = 'desktop'`;
    expect(await q(sql)).toEqual([['["lazy","eager"]', '[1]']]);
  });
});
