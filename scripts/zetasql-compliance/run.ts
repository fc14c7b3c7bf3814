/**
 * `npm run conformance:zetasql [-- --only=<file-prefix>] [--json out.json]`: ZetaSQL's compliance
 * tests (zetasql/compliance/testdata/*.test, expected results recorded by GoogleSQL's reference
 * implementation) against the embedded BigQuery, read from the git mirror at run time (never copied
 * into this repository). Prints per-file and total figures (pass, wrong, loud, bq-refuses, error-mismatch,
 * error-ok, skipped by reason) and lists every wrong and error-mismatch case. Needs the mirror, so it
 * is not part of `npm test`; without it, it says so and exits 0.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFile, type CaseResult, type FileResult, type Outcome } from './run-file.js';

const MIRROR = join(process.env.ZETASQL_MIRROR ?? '/work/.mirror/google+zetasql', 'repo');
const TESTDATA = 'zetasql/compliance/testdata/';
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const jsonIndex = process.argv.indexOf('--json');
const jsonOut = jsonIndex >= 0 ? process.argv[jsonIndex + 1] : undefined;
const OUTCOMES: Outcome[] = ['pass', 'wrong', 'loud', 'bq-refuses', 'error-mismatch', 'error-ok', 'nondeterministic'];

function git(...args: string[]): string {
  return execFileSync('git', ['--git-dir', MIRROR, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function counts(cases: CaseResult[]): Record<Outcome, number> {
  const c = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const r of cases) c[r.outcome]++;
  return c;
}

function line(label: string, cases: CaseResult[], skipped: number): string {
  const c = counts(cases);
  return `${label.padEnd(44)} ${String(cases.length).padStart(5)} ${OUTCOMES.map((o) => String(c[o]).padStart(7)).join('')} ${String(skipped).padStart(7)}`;
}

async function main(): Promise<void> {
  if (!existsSync(MIRROR)) {
    console.log(`No ZetaSQL mirror at ${MIRROR} (fetch github:google/zetasql); nothing to run.`);
    return;
  }
  const files = git('ls-tree', '-r', '--name-only', 'HEAD', TESTDATA)
    .split('\n')
    .filter((f) => f.endsWith('.test'))
    .map((f) => f.slice(TESTDATA.length))
    .filter((f) => !only || f.startsWith(only));
  const started = Date.now();
  const results: FileResult[] = [];
  console.log(`${'file'.padEnd(44)} ${'run'.padStart(5)} ${OUTCOMES.map((o) => o.replace('error-', 'e-').slice(0, 6).padStart(7)).join('')} ${'skipped'.padStart(7)}`);
  for (const f of files) {
    const r = await runFile(f, git('show', `HEAD:${TESTDATA}${f}`));
    results.push(r);
    const skipped = [...r.skipped.values()].reduce((a, b) => a + b, 0);
    console.log(line(f.replace(/\.test$/, ''), r.cases, skipped));
  }
  const all = results.flatMap((r) => r.cases);
  const reasons = new Map<string, number>();
  for (const r of results) for (const [k, v] of r.skipped) reasons.set(k, (reasons.get(k) ?? 0) + v);
  const totalSkipped = [...reasons.values()].reduce((a, b) => a + b, 0);
  console.log(line('TOTAL', all, totalSkipped));
  // issue #12's figure: of the cases with a recorded answer that BigQuery would return, how many pass
  const c = counts(all);
  const answerable = all.length - c['error-ok'] - c['error-mismatch'] - c['bq-refuses'];
  console.log(`\nOf ${answerable} cases with a recorded answer BigQuery returns (not errors, not bq-refuses): ${c.pass} pass (${((100 * c.pass) / Math.max(1, answerable)).toFixed(1)}%), ${c.wrong} wrong, ${c.loud} loud, ${c.nondeterministic} nondeterministic`);
  console.log(`\n${files.length} files in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log('\nSkipped by reason:');
  for (const [k, v] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(v).padStart(5)}  ${k}`);
  console.log('\nPrepare_database tables that failed (cases reading them skipped):');
  for (const r of results) for (const p of r.prepareFailures) console.log(`  ${r.file}: ${p}`);
  for (const kind of ['wrong', 'error-mismatch'] as const) {
    const list = all.filter((c) => c.outcome === kind);
    console.log(`\n${kind} (${list.length}):`);
    for (const c of list) console.log(`--- ${c.file} ${c.name}\n${c.sql}\n  expected: ${c.expected.replace(/\s+/g, ' ')}\n  got:      ${c.got}`);
  }
  if (jsonOut) {
    const json = results.map((r) => ({ ...r, skipped: Object.fromEntries(r.skipped) }));
    await writeFile(jsonOut, JSON.stringify(json, null, 1));
  }
}

await main();
