/**
 * GCP Dataform compiles this repository from its root after installing package.json. These tests
 * check the pieces that make that work: @dataform/core pinned exactly, no dataformCoreVersion, and
 * a compile that needs nothing but @dataform/core and files inside the repository (so the rest of
 * package.json is never on the compile path).
 */
import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'node_modules/@dataform/cli/bundle.js');
const run = promisify(execFile);

interface Compiled {
  tables?: { target: { schema: string; name: string } }[];
  assertions?: { target: { schema: string; name: string } }[];
  declarations?: { target: { schema: string; name: string } }[];
  graphErrors?: { compilationErrors?: unknown[] };
}

async function compile(projectDir: string): Promise<Compiled> {
  const { stdout } = await run(process.execPath, [cli, 'compile', projectDir, '--json'], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as Compiled;
}

const targets = (c: Compiled): string[] =>
  [...(c.tables ?? []), ...(c.assertions ?? []), ...(c.declarations ?? [])].map((a) => `${a.target.schema}.${a.target.name}`).sort();

describe('GCP Dataform compatibility', () => {
  test('package.json pins @dataform/core exactly and workflow_settings.yaml names no core version', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(pkg.dependencies?.['@dataform/core']).toMatch(/^\d+\.\d+\.\d+$/);
    const settings = parseYaml(await readFile(path.join(root, 'workflow_settings.yaml'), 'utf8')) as Record<string, unknown>;
    expect(settings).not.toHaveProperty('dataformCoreVersion');
  });

  test('the project compiles with only @dataform/core installed, to the same graph', async () => {
    // The repository as GCP sees it (full package.json), compiled just before the copy is taken.
    const full = await compile(root);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'landform-dataform-'));
    try {
      for (const entry of ['definitions', 'includes', 'contracts', 'workflow_settings.yaml']) {
        await cp(path.join(root, entry), path.join(dir, entry), { recursive: true });
      }
      const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      const core = pkg.dependencies['@dataform/core'];
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { '@dataform/core': core } }));
      await mkdir(path.join(dir, 'node_modules/@dataform'), { recursive: true });
      await cp(path.join(root, 'node_modules/@dataform/core'), path.join(dir, 'node_modules/@dataform/core'), { recursive: true });

      const minimal = await compile(dir);
      expect(minimal.graphErrors?.compilationErrors ?? []).toEqual([]);
      expect(targets(minimal).length).toBeGreaterThan(0);
      expect(targets(minimal)).toEqual(targets(full));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
