import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDockerfile, checkDockerignore, parseDockerfile } from './dockerfile-policy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfile = await readFile(path.join(root, 'Dockerfile'), 'utf8');
const dockerignore = await readFile(path.join(root, '.dockerignore'), 'utf8');

const rulesOf = (text: string) => checkDockerfile(parseDockerfile(text)).map((v) => v.rule);

describe('Dockerfile', () => {
  test('passes the image checks', () => {
    expect(checkDockerfile(parseDockerfile(dockerfile))).toEqual([]);
    expect(checkDockerignore(dockerignore)).toEqual([]);
  });

  test('is read as stages with joined continuation lines', () => {
    const stages = parseDockerfile(dockerfile);
    expect(stages.map((s) => [s.image, s.name])).toEqual([
      ['node:20.20.2-bookworm-slim', 'build'],
      ['node:20.20.2-bookworm-slim', 'runtime'],
    ]);
    const install = stages[0]?.instructions.find((i) => i.keyword === 'RUN');
    expect(install?.args).toBe('npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force');
  });

  test('fails when the final stage runs as root', () => {
    expect(rulesOf(dockerfile.replace('USER node', 'USER root'))).toEqual(['non-root']);
    expect(rulesOf(dockerfile.replace('USER node\n', ''))).toEqual(['non-root']);
  });

  test('fails when dev or optional dependencies are installed', () => {
    expect(rulesOf(dockerfile.replace('npm ci --omit=dev --omit=optional', 'npm ci --omit=dev'))).toEqual(['production-deps']);
    expect(rulesOf(dockerfile.replace('npm ci --omit=dev --omit=optional', 'npm install'))).toEqual(['production-deps', 'production-deps', 'production-deps']);
  });

  test('fails when a secret is baked into ENV or ARG', () => {
    const withSecret = dockerfile.replace('USER node', 'ENV NODE_ENV=production DATABASE_URL=postgres://u:p@db/x\nUSER node');
    expect(withSecret).not.toBe(dockerfile);
    expect(rulesOf(withSecret)).toEqual(['no-secrets']);
    expect(rulesOf(dockerfile.replace('WORKDIR /app\nENV NODE_ENV=production\nCOPY package', 'WORKDIR /app\nARG NPM_TOKEN\nENV NODE_ENV=production\nCOPY package'))).toEqual(['no-secrets']);
  });

  test('fails on an unpinned base, a single stage or extra files in the final stage', () => {
    expect(rulesOf(dockerfile.replaceAll('node:20.20.2-bookworm-slim', 'node:latest'))).toEqual(['pinned-base', 'pinned-base']);
    expect(rulesOf(dockerfile.replace('COPY --from=build /app/contracts ./contracts', 'COPY --from=build /app/contracts ./contracts\nCOPY test/ ./test/'))).toEqual(['runtime-files']);
    const singleStage = 'FROM node:20.20.2-bookworm-slim\nRUN npm ci --omit=dev --omit=optional\nUSER node\nENTRYPOINT ["node", "bin/landform.js", "load"]\n';
    expect(rulesOf(singleStage)).toEqual(['multi-stage', 'runtime-files']);
  });

  test('.dockerignore must stay an allow-list', () => {
    expect(checkDockerignore('node_modules\n').map((v) => v.message)).toEqual(['.dockerignore must start with "*" (allow-list)']);
    expect(checkDockerignore(`${dockerignore}\n!test/\n!.df-credentials.json\n`).map((v) => v.message)).toEqual([
      '.dockerignore re-includes test/',
      '.dockerignore re-includes .df-credentials.json',
    ]);
  });
});
