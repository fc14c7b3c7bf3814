/**
 * Evaluates the project's includes/*.js in Node the way the Dataform sandbox does: `require` of a
 * `.yaml` file returns `{asJson}`, `.js` files are CommonJS modules, and `dataform.projectConfig.vars`
 * holds workflow_settings.yaml's vars.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import { parse } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type IncludeFunction = (...args: unknown[]) => unknown;
export type IncludeModule = Record<string, unknown> & { [name: string]: unknown };

interface Module {
  exports: IncludeModule;
}

export function projectVars(projectDir = REPO_ROOT): Record<string, string> {
  const settings = parse(readFileSync(path.join(projectDir, 'workflow_settings.yaml'), 'utf8')) as { vars?: Record<string, string> };
  return settings.vars ?? {};
}

export function loadIncludes(projectDir = REPO_ROOT, vars: Record<string, string> = projectVars(projectDir)) {
  const cache = new Map<string, Module>();
  const dataform = { projectConfig: { vars } };

  const load = (file: string): IncludeModule => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    if (/\.ya?ml$/.test(file)) return { asJson: parse(readFileSync(file, 'utf8')) as unknown };
    const module: Module = { exports: {} };
    cache.set(file, module);
    const body = compileFunction(readFileSync(file, 'utf8'), ['require', 'module', 'exports', 'dataform'], { filename: file });
    const requireFrom = (spec: string) => load(path.resolve(path.dirname(file), spec));
    body(requireFrom, module, module.exports, dataform);
    return module.exports;
  };

  const include = (name: string) => load(path.join(projectDir, 'includes', `${name}.js`));
  return { include, fn: (name: string, member: string) => include(name)[member] as IncludeFunction };
}
