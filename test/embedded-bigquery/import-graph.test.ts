/**
 * The package's module graph stays acyclic and its files small: every relative import
 * (type-only ones too) of every source file under packages/embedded-bigquery/src is read,
 * and a cycle anywhere fails with the modules that form it.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve('packages/embedded-bigquery/src');
const MAX_LINES = 500;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative module specifiers of `import ... from`, `export ... from`, `import '...'` and `import('...')`. */
export function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1]!.startsWith('.')) out.push(m[1]!);
  return out;
}

function resolveImport(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)} imports ${spec}, which does not resolve to a source file`);
}

/** Every cycle's strongly connected component (Tarjan), as lists of nodes; self-imports count. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

describe('embedded BigQuery module graph', () => {
  test('the cycle finder reports a cycle it is given and passes a chain', () => {
    const withCycle = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(cycles(withCycle)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
    expect(cycles(new Map([['a', ['a']]]))).toEqual([['a']]);
  });

  test('the import reader sees value, type, re-export, bare and dynamic imports', () => {
    const src = `import { a } from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nimport './d.js';\nconst e = await import('./e.js');\nimport x from 'node:fs';`;
    expect(importSpecifiers(src).sort()).toEqual(['../b.js', './a.js', './c.js', './d.js', './e.js']);
  });

  test('no import cycle in packages/embedded-bigquery/src', () => {
    const files = sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(20);
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const rel = path.relative(ROOT, f);
      graph.set(rel, importSpecifiers(readFileSync(f, 'utf8')).map((s) => path.relative(ROOT, resolveImport(f, s))));
    }
    expect(cycles(graph)).toEqual([]);
  });

  test(`no source file in the package is over ${MAX_LINES} lines`, () => {
    const long = sourceFiles(ROOT)
      .map((f) => ({ file: path.relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
