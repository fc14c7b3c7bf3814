/**
 * Before a statement is translated: for each path that may read fields through arrays
 * (sql/array-paths.ts), learn the DuckDB type of its first part by binding (never running) the
 * query around it. A query that binds as written reads through no array; one DuckDB refuses with
 * "not a struct" is bound again with the path as a probe, whose error names the type.
 */
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { arrayPathSites, NOT_A_STRUCT, probedType, type ArrayPathSite } from '../sql/array-paths.js';
import { castFormatSites } from '../sql/cast-format.js';
import type { QuerySession } from './session.js';

/** Rounds of probing per statement; each settles at least one path. */
const MAX_ROUNDS = 8;

/** The queries around token `at`, innermost first: each `(SELECT|WITH ...)`, then the statement's own query. */
function enclosingQueries(tokens: Token[], at: number): [number, number][] {
  const out: [number, number][] = [];
  const stack: number[] = [];
  const pairs: [number, number][] = [];
  tokens.forEach((x, k) => {
    if (isOp(x, '(')) stack.push(k);
    else if (isOp(x, ')') && stack.length > 0) pairs.push([stack.pop()!, k]);
  });
  pairs
    .filter(([open, close]) => open < at && at < close && isKeyword(tokens[open + 1], 'SELECT', 'WITH'))
    .sort((a, b) => b[0] - a[0])
    .forEach(([open, close]) => out.push([open + 1, close]));
  // the statement's query: all of it, or from its first SELECT/WITH outside brackets (CREATE ... AS, INSERT ... SELECT)
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(')) depth++;
    else if (isOp(x, ')')) depth--;
    else if (depth === 0 && isKeyword(x, 'SELECT', 'WITH') && k <= at) {
      out.push([k, tokens.length]);
      break;
    }
  }
  return out;
}

/** DuckDB's binder error for the tokens [lo, hi) as a query, or undefined when it binds. Translation errors count as errors. */
export async function bindError(s: QuerySession, tokens: Token[]): Promise<string | undefined> {
  let sql: string;
  try {
    sql = s.translator(tokens).translateAll();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  try {
    const prepared = await s.conn.prepare(sql);
    prepared.destroySync();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    s.binder.reset();
  }
}

/** Binds `slice` with `probes` written as probes; records the type the error names for the probe it names. True when one was learned. */
async function probe(s: QuerySession, probes: ArrayPathSite[], slice: Token[]): Promise<boolean> {
  for (const x of probes) s.arrayPaths.probing.add(x.key);
  const probed = await bindError(s, slice).finally(() => s.arrayPaths.probing.clear());
  const found = probed === undefined ? undefined : probedType(probed);
  const target = found && probes.find((x) => x.at === found.at);
  if (!found || !target) return false;
  s.arrayPaths.types.set(target.key, found.type);
  return true;
}

export async function prepareArrayPaths(s: QuerySession, tokens: Token[]): Promise<void> {
  const known = s.arrayPaths.types;
  const sites = arrayPathSites(tokens).filter((x) => !known.has(x.key));
  const within = (x: ArrayPathSite, [lo, hi]: [number, number]): boolean => x.from >= lo && x.to <= hi;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const open = sites.filter((x) => !known.has(x.key));
    const site = open[0];
    if (!site) break;
    let settled = false;
    for (const range of enclosingQueries(tokens, site.from)) {
      const slice = tokens.slice(range[0], range[1]);
      const plain = await bindError(s, slice);
      if (plain === undefined) {
        // binds as written: no path in it reads through an array
        for (const x of open) if (within(x, range)) known.set(x.key, null);
        settled = true;
        break;
      }
      // another error: perhaps a name of an enclosing query; try the query around this one
      if (!NOT_A_STRUCT.test(plain)) continue;
      settled = await probe(s, open.filter((x) => within(x, range)), slice);
      break;
    }
    // nothing learned: the path is read as written (DuckDB refuses it loudly if it reads through an array)
    if (!settled) known.set(site.key, null);
  }
  await prepareCastFormats(s, tokens);
}

/** The type of the value of each CAST(x AS STRING FORMAT '...'), by a probe in the query around it (else the CAST stays loud). */
async function prepareCastFormats(s: QuerySession, tokens: Token[]): Promise<void> {
  const known = s.arrayPaths.types;
  const sites = castFormatSites(tokens).filter((x) => !known.has(x.key));
  const within = (x: ArrayPathSite, [lo, hi]: [number, number]): boolean => x.from >= lo && x.to <= hi;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const open = sites.filter((x) => !known.has(x.key));
    const site = open[0];
    if (!site) return;
    let settled = false;
    for (const range of enclosingQueries(tokens, site.from)) {
      if (await probe(s, open.filter((x) => within(x, range)), tokens.slice(range[0], range[1]))) {
        settled = true;
        break;
      }
    }
    if (!settled) known.set(site.key, null);
  }
}
