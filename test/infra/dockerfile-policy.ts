/** A small Dockerfile reader (stages and instructions) and the checks the loader image must pass. */

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface DockerViolation {
  rule: string;
  message: string;
}

/** Joins `\` continuations, drops comments and blank lines, and splits the file into stages. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = lines[i] ?? '';
    if (/^\s*#/.test(logical) || logical.trim() === '') continue;
    while (logical.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) continue;
      logical = `${logical.trimEnd().slice(0, -1).trimEnd()} ${next.trim()}`;
    }
    const match = /^\s*(\w+)\s+(.*)$/.exec(logical);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ image: from?.[1] ?? args, name: from?.[2], instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile line ${start}: ${keyword} before any FROM`);
      stage.instructions.push({ keyword, args, line: start });
    }
  }
  return stages;
}

const SECRET_LIKE_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIALS|DATABASE_URL|API_KEY)/i;
const ROOT_USERS = new Set(['root', '0', '0:0', 'root:root']);
export const ENTRYPOINT = '["node", "bin/landform.js", "load"]';
/** What the final stage may copy: the loader's run-time files and nothing else. */
const RUNTIME_PATHS = new Set(['bin', 'cli', 'common', 'loader', 'api', 'extracts', 'contracts', 'node_modules', 'package.json', 'package-lock.json', 'tsconfig.json']);

function isPinned(image: string, stageNames: Set<string>): boolean {
  if (stageNames.has(image)) return true;
  if (image.includes('@sha256:')) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== 'latest' && /\d/.test(tag);
}

export function checkDockerfile(stages: Stage[]): DockerViolation[] {
  const violations: DockerViolation[] = [];
  const fail = (rule: string, message: string) => violations.push({ rule, message });
  if (stages.length < 2) fail('multi-stage', 'the image must be built in at least two stages');

  const names = new Set<string>();
  for (const stage of stages) {
    if (!isPinned(stage.image, names)) fail('pinned-base', `base image ${stage.image} is not pinned to a version tag or digest`);
    if (stage.name) names.add(stage.name);
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
        const declared = ins.args.split(/\s+/).map((pair) => pair.split('=')[0] ?? '');
        for (const name of declared) {
          if (SECRET_LIKE_NAME.test(name)) fail('no-secrets', `line ${ins.line}: ${ins.keyword} ${name} puts a secret in the image; it comes from Secret Manager at run time`);
        }
      }
      if (ins.keyword === 'RUN' && /\bnpm\s+(ci|install|i)\b/.test(ins.args)) {
        if (!/\bnpm\s+ci\b/.test(ins.args)) fail('production-deps', `line ${ins.line}: use npm ci (the lockfile), not npm install`);
        for (const flag of ['--omit=dev', '--omit=optional']) {
          if (!ins.args.includes(flag)) fail('production-deps', `line ${ins.line}: npm ci without ${flag}`);
        }
      }
    }
  }

  const final = stages.at(-1);
  if (!final) return violations;
  const users = final.instructions.filter((i) => i.keyword === 'USER');
  const user = users.at(-1)?.args;
  if (user === undefined || ROOT_USERS.has(user)) fail('non-root', `the final stage runs as ${user ?? 'root (no USER)'}`);
  const entrypoint = final.instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1)?.args;
  if (entrypoint !== ENTRYPOINT) fail('entrypoint', `ENTRYPOINT must be ${ENTRYPOINT}, got ${entrypoint ?? 'none'}`);
  for (const ins of final.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
    const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith('--'));
    for (const source of parts.slice(0, -1)) {
      const top = source.replace(/^\/app\//, '').replace(/\/$/, '').split('/')[0] ?? '';
      if (!RUNTIME_PATHS.has(top)) fail('runtime-files', `line ${ins.line}: the final stage copies ${source}, which the loader does not need`);
    }
  }
  if (final.instructions.some((i) => i.keyword === 'RUN' && /\bnpm\b/.test(i.args))) {
    fail('runtime-files', 'the final stage runs npm; install in the build stage and copy node_modules');
  }
  return violations;
}

/** The build context must be an allow-list: ignore everything, then re-include run-time paths. */
export function checkDockerignore(text: string): DockerViolation[] {
  const patterns = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const violations: DockerViolation[] = [];
  if (patterns[0] !== '*') violations.push({ rule: 'dockerignore', message: '.dockerignore must start with "*" (allow-list)' });
  for (const p of patterns.filter((x) => x.startsWith('!'))) {
    const top = p.slice(1).replace(/\/$/, '').split('/')[0] ?? '';
    if (!RUNTIME_PATHS.has(top)) violations.push({ rule: 'dockerignore', message: `.dockerignore re-includes ${p.slice(1)}` });
  }
  return violations;
}
