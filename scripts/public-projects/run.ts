/**
 * `npm run projects:public`: runs public Dataform projects, unmodified, with the real Dataform CLI
 * against a fresh embedded BigQuery each, and prints a table: actions, run OK, failed, and the first
 * error of each failure (the first unsupported construct, or whatever else stopped it).
 *
 * For each project: copy it out of its git mirror into a temp dir, point workflow_settings at the
 * embedded BigQuery (defaultProject landform-local, a key-less credentials file, as the repo's own
 * Dataform tests do), `dataform compile --json`, create every declared source table with the columns
 * the SQL reading it asks for (a dry run of each reader, adding the column of each "Unrecognized
 * name" until it binds; types guessed from the name) and three plausible rows, then `dataform run`.
 * Needs the mirrors (fetched repositories), so it is not part of `npm test`; without them it says so.
 * `--keep` leaves the temp dirs (and the CLI output in run.log) for a look.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestBigQuery, type TestBigQuery } from '../../test/support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../../test/support/embedded-gcs.js';
import { PROJECTS, type PublicProject } from './projects.js';
import { createIncrementalTables } from './incremental.js';
import { seedSources, type CompiledAction, type CompiledGraph } from './sources.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'node_modules/@dataform/cli/bundle.js');
const MIRRORS = process.env.PUBLIC_PROJECTS_MIRRORS ?? '/work/.mirror';
const keep = process.argv.includes('--keep');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

interface Outcome {
  project: string;
  actions: number;
  ok: number;
  failed: number;
  skipped: number;
  firstErrors: string[];
  note?: string;
}

function cli(args: string[], cwd: string, home: string, env: Record<string, string>): Promise<{ code: number | null; output: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH, HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output, stdout }));
  });
}

/** The project's files at the mirror's HEAD (git archive: no work tree needed). */
function extract(p: PublicProject, to: string): void {
  const gitDir = join(MIRRORS, p.mirror, 'repo');
  const tree = p.dir ? `HEAD:${p.dir}` : 'HEAD';
  execFileSync('sh', ['-c', `git --git-dir="$0" archive "$1" | tar -x -C "$2"`, gitDir, tree, to]);
}

async function prepare(p: PublicProject, root: string): Promise<string> {
  const projectDir = join(root, 'project');
  await mkdir(projectDir, { recursive: true });
  const deps: Record<string, string> = { '@dataform/core': '3.0.62' };
  if (p.host) {
    const pkgDir = join(projectDir, 'node_modules', p.host.packageName);
    await mkdir(pkgDir, { recursive: true });
    extract(p, pkgDir);
    for (const [path, text] of Object.entries(p.host.files)) {
      await mkdir(join(projectDir, path, '..'), { recursive: true });
      await writeFile(join(projectDir, path), text);
    }
    deps[p.host.packageName] = '*';
  } else {
    extract(p, projectDir);
  }
  for (const [name, source] of Object.entries(p.stubPackages ?? {})) {
    const dir = join(projectDir, 'node_modules', name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0-stand-in', main: 'index.js' }));
    await writeFile(join(dir, 'index.js'), source);
    deps[name] = '*';
  }
  // the CLI compiles offline only with @dataform/core in node_modules (a real copy, not a symlink)
  await writeFile(join(projectDir, 'package.json'), JSON.stringify({ name: 'public-project', private: true, dependencies: deps }));
  await rm(join(projectDir, 'package-lock.json'), { force: true });
  await mkdir(join(projectDir, 'node_modules/@dataform'), { recursive: true });
  await cp(join(REPO, 'node_modules/@dataform/core'), join(projectDir, 'node_modules/@dataform/core'), { recursive: true });
  const settings = join(projectDir, 'workflow_settings.yaml');
  if (p.settings) {
    // as its README says: rename the template to workflow_settings.yaml and fill in its placeholders
    let text = await readFile(join(projectDir, p.settings.template), 'utf8');
    for (const [placeholder, value] of Object.entries(p.settings.values)) text = text.split(placeholder).join(value);
    const vars = Object.entries(p.settings.vars ?? {}).map(([k, v]) => `  ${k}: "${v}"\n`).join('');
    await writeFile(settings, `${text.replace(/\n*$/, '\n')}${vars}`);
  }
  if (existsSync(settings)) {
    const text = (await readFile(settings, 'utf8'))
      .replace(/^defaultProject:.*$/m, 'defaultProject: landform-local')
      .replace(/^defaultLocation:.*$/m, 'defaultLocation: US')
      .replace(/^dataformCoreVersion:.*$/m, '');
    await writeFile(settings, /^defaultProject:/m.test(text) ? text : `defaultProject: landform-local\n${text}`);
  }
  return projectDir;
}

const ACTION_LINE = /^([A-Z][A-Za-z ]*?):\s+(\S+)(?: \[(\w+)\])?\s*$/;

/** Counts the CLI's per-action lines ("Table created:  ds.t [view]", "Assertion failed: ...", "Skipping ...") and keeps each failure's error line. */
export function parseRun(output: string): { ok: number; failed: number; skipped: number; firstErrors: string[]; names: string[]; okNames: string[] } {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  const firstErrors: string[] = [];
  const names: string[] = [];
  const okNames: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = ACTION_LINE.exec(lines[i]!);
    if (!m) continue;
    if (!m[1]!.toLowerCase().startsWith('skipping')) names.push(m[2]!);
    const status = m[1]!.toLowerCase();
    if (status.startsWith('skipping')) skipped++;
    else if (/failed/.test(status)) {
      failed++;
      let msg = '';
      // actions run in parallel: another action's success line can stand between a failure's SQL and its error
      for (let j = i + 1; j < lines.length && !/failed/i.test(ACTION_LINE.exec(lines[j]!)?.[1] ?? ''); j++) {
        const e = /^\s*(?:bigquery error|error):\s*(.*)$/i.exec(lines[j]!);
        if (e) {
          msg = e[1]!.trim();
          break;
        }
      }
      firstErrors.push(`${m[2]}: ${msg.slice(0, 200)}`);
    } else {
      ok++;
      okNames.push(m[2]!);
    }
  }
  return { ok, failed, skipped, firstErrors, names, okNames };
}

/** The project's JavaScript libraries into the embedded Cloud Storage, from their npm packages (installed once into a cache folder). */
async function putLibraries(p: PublicProject, gcs: TestGcs): Promise<void> {
  for (const lib of p.libraries ?? []) {
    const m = /^(?:gs:\/\/|https:\/\/storage\.googleapis\.com\/)([^/]+)\/(.+)$/.exec(lib.uri)!;
    const cache = join(tmpdir(), 'landform-public-projects-npm');
    const pkg = lib.npm.replace(/@[^@]*$/, '');
    if (!existsSync(join(cache, 'node_modules', pkg, lib.file))) {
      execFileSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', cache, lib.npm], { stdio: 'ignore' });
    }
    const bucket = gcs.storage.bucket(m[1]!);
    if (!(await bucket.exists())[0]) await bucket.create();
    await bucket.upload(join(cache, 'node_modules', pkg, lib.file), { destination: m[2]! });
  }
}

async function runProject(p: PublicProject): Promise<Outcome> {
  const root = await mkdtemp(join(tmpdir(), 'public-project-'));
  let bq: TestBigQuery | undefined;
  let gcs: TestGcs | undefined;
  try {
    const projectDir = await prepare(p, root);
    const credentials = join(root, '.df-credentials.json');
    await writeFile(credentials, JSON.stringify({ projectId: 'landform-local', location: 'US' }));
    gcs = await startTestGcs();
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url } });
    await putLibraries(p, gcs);
    const bqEnv = bq.env;
    const compiled = await cli(['compile', projectDir, '--json'], projectDir, root, bq.env);
    const jsonStart = compiled.stdout.indexOf('{');
    let graph: CompiledGraph;
    try {
      graph = JSON.parse(compiled.stdout.slice(jsonStart)) as CompiledGraph;
    } catch {
      return { project: p.name, actions: 0, ok: 0, failed: 0, skipped: 0, firstErrors: [], note: `compile failed: ${compiled.output.slice(0, 300)}` };
    }
    const actions = (graph.tables?.length ?? 0) + (graph.operations?.length ?? 0) + (graph.assertions?.length ?? 0) + (graph.notebooks?.length ?? 0) + (graph.dataPreparations?.length ?? 0);
    const compileErrors = graph.graphErrors?.compilationErrors ?? [];
    // stand-ins first: the source seeding dry-runs the readers that call them
    const standInNotes: string[] = [];
    for (const [fn, sql] of Object.entries(p.standInFunctions ?? {})) {
      const parts = fn.split('.');
      const dataset = bq.bigquery.dataset(parts[parts.length - 2]!, parts.length > 2 ? { projectId: parts[0]! } : {});
      if (!(await dataset.exists())[0]) await dataset.create();
      await bq.bigquery.query(sql);
      standInNotes.push(`\`${fn}\` is a stand-in`);
    }
    const seedNotes = [...(await seedSources(bq.bigquery, graph, p.seedSql ?? [], p.columnTypes)), ...standInNotes];
    const run = await cli(['run', projectDir, '--credentials', credentials, '--timeout', '20m'], projectDir, root, bq.env);
    if (keep) await writeFile(join(root, 'run.log'), run.output);
    const parsed = parseRun(run.output);
    // failures BigQuery would give too are marked with the reason, not hidden
    parsed.firstErrors = parsed.firstErrors.map((e) => {
      const known = Object.entries(p.knownFailures ?? {}).find(([action]) => e.startsWith(`${action}:`) || e.includes(`.${action}:`));
      return known ? `(BigQuery too: ${known[1]}) ${e}` : e;
    });
    // past the volume checks: the actions that waited on them, run without them
    const pastNotes: string[] = [];
    const everyAction = [...(graph.tables ?? []), ...(graph.operations ?? []), ...(graph.assertions ?? [])].filter((a) => !a.disabled);
    const name = (a: CompiledAction): string => `${a.target.schema}.${a.target.name}`;
    // the CLI matches --actions against database.schema.name
    const fullName = (a: CompiledAction): string => `${a.target.database ?? 'landform-local'}.${name(a)}`;
    const okSoFar = new Set(parsed.okNames);
    const pass = async (label: string, log: string, rest: CompiledAction[]): Promise<void> => {
      const again = await cli(['run', projectDir, '--credentials', credentials, '--timeout', '20m', '--actions', ...rest.map(fullName)], projectDir, root, bqEnv);
      if (keep) await writeFile(join(root, log), again.output);
      const past = parseRun(again.output);
      for (const n of past.okNames) okSoFar.add(n);
      pastNotes.push(`${label} (\`--actions\` of the ${rest.length} actions not run OK): ${past.ok} OK, ${past.failed} failed, ${past.skipped} skipped; first: ${past.firstErrors.slice(0, 3).join(' / ')}`);
    };
    if (p.volumeChecks?.length) {
      const done = new Set(parsed.names);
      const rest = everyAction.filter((a) => !done.has(name(a)) && !p.volumeChecks!.includes(a.target.name));
      if (rest.length > 0) await pass('then past the volume checks', 'run-past-checks.log', rest);
    }
    if (p.existingIncrementalTables) {
      const made = await createIncrementalTables(bq.bigquery, graph.tables ?? []);
      const rest = everyAction.filter((a) => !okSoFar.has(name(a)) && !(p.volumeChecks ?? []).includes(a.target.name));
      const label = `then with the incremental tables existing (${made.created.length} created empty from their own query${made.failed.length ? `; not created: ${made.failed.slice(0, 3).join(' / ')}` : ''})`;
      if (rest.length > 0) await pass(label, 'run-existing-incremental.log', rest);
    }
    const notes = [...(compileErrors.length ? [`${compileErrors.length} compilation error(s), first: ${(compileErrors[0]?.message ?? '').split('\n')[0]!.slice(0, 160)}`] : []), ...seedNotes, ...pastNotes];
    return { project: p.name, actions, ...parsed, ...(notes.length ? { note: notes.join('; ') } : {}) };
  } finally {
    await bq?.stop();
    await gcs?.stop();
    if (keep) console.error(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const selected = PROJECTS.filter((p) => !only || p.name.includes(only));
  const outcomes: Outcome[] = [];
  for (const p of selected) {
    if (!existsSync(join(MIRRORS, p.mirror, 'repo'))) {
      outcomes.push({ project: p.name, actions: 0, ok: 0, failed: 0, skipped: 0, firstErrors: [], note: `no mirror at ${join(MIRRORS, p.mirror)} (fetch github:${p.mirror.replace('+', '/')})` });
      continue;
    }
    console.error(`running ${p.name} ...`);
    outcomes.push(await runProject(p));
  }
  console.log('| project | actions | run OK | failed | not run (upstream failed) | first errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const o of outcomes) {
    const errs = [...(o.note ? [o.note] : []), ...o.firstErrors.slice(0, 4)].join('<br>').replace(/\|/g, '\\|');
    console.log(`| ${o.project} | ${o.actions} | ${o.ok} | ${o.failed} | ${Math.max(o.skipped, o.actions - o.ok - o.failed)} | ${errs} |`);
  }
}

await main();
