/** Reads infra/*.tf through @cdktf/hcl2json into one merged, typed view of the configuration. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

export type HclValue = string | number | boolean | null | HclValue[] | HclObject;
export interface HclObject {
  [key: string]: HclValue;
}

export interface TerraformBlock {
  /** Resource or data source type, e.g. google_storage_bucket. */
  type: string;
  name: string;
  file: string;
  body: HclObject;
}

export interface TerraformConfig {
  resources: TerraformBlock[];
  dataSources: TerraformBlock[];
  variables: Record<string, HclObject>;
  locals: HclObject;
  outputs: Record<string, HclObject>;
}

export function isObject(value: HclValue | undefined): value is HclObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** hcl2json renders every block as a list of bodies; the first is the one we mean. */
export function block(body: HclObject, key: string): HclObject | undefined {
  const value = body[key];
  if (Array.isArray(value)) {
    const first = value[0];
    return isObject(first) ? first : undefined;
  }
  return isObject(value) ? value : undefined;
}

export function blocks(body: HclObject, key: string): HclObject[] {
  const value = body[key];
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

function typedBlocks(section: HclValue | undefined, file: string): TerraformBlock[] {
  if (!isObject(section)) return [];
  const found: TerraformBlock[] = [];
  for (const [type, byName] of Object.entries(section)) {
    if (!isObject(byName)) continue;
    for (const [name, bodies] of Object.entries(byName)) {
      const body = Array.isArray(bodies) ? bodies[0] : bodies;
      if (isObject(body)) found.push({ type, name, file, body });
    }
  }
  return found;
}

function namedBlocks(section: HclValue | undefined): Record<string, HclObject> {
  const found: Record<string, HclObject> = {};
  if (!isObject(section)) return found;
  for (const [name, bodies] of Object.entries(section)) {
    const body = Array.isArray(bodies) ? bodies[0] : bodies;
    if (isObject(body)) found[name] = body;
  }
  return found;
}

/** Merges the parsed JSON of several files (file name → parsed document). */
export function mergeParsed(parsed: Record<string, HclObject>): TerraformConfig {
  const config: TerraformConfig = { resources: [], dataSources: [], variables: {}, locals: {}, outputs: {} };
  for (const [file, doc] of Object.entries(parsed)) {
    config.resources.push(...typedBlocks(doc.resource, file));
    config.dataSources.push(...typedBlocks(doc.data, file));
    Object.assign(config.variables, namedBlocks(doc.variable));
    Object.assign(config.outputs, namedBlocks(doc.output));
    for (const locals of Array.isArray(doc.locals) ? doc.locals : []) {
      if (isObject(locals)) Object.assign(config.locals, locals);
    }
  }
  return config;
}

export async function parseTerraformFiles(dir: string): Promise<Record<string, HclObject>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
  const parsed: Record<string, HclObject> = {};
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    parsed[file] = (await parse(file, text)) as HclObject;
  }
  return parsed;
}

export async function loadTerraform(dir: string): Promise<TerraformConfig> {
  return mergeParsed(await parseTerraformFiles(dir));
}
