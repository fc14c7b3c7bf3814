/**
 * JSON_VALUE of a JSON-formatted STRING as ZetaSQL extracts it (functions/json_internal.h,
 * JSONPathExtractor): the text is read as a stream and reading stops at the first member or element
 * the path names, so text after it is never looked at; input that is not JSON before that point, a
 * path that names nothing, or an object or array at the path give NULL (never an error). The
 * engine calls this only for text that is not valid JSON; valid text keeps DuckDB's extraction.
 */
import { Reader } from './json-text.js';

type Step = { key: string } | { index: number };

/** `$`, `.name`, `."name"`, `['name']`, `["name"]` and `[n]` steps; undefined for another path. */
export function pathSteps(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  const re = /\.([^.[\]"']+)|\."((?:[^"\\]|\\.)*)"|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*(\d+)\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    if (m[5] !== undefined) steps.push({ index: Number(m[5]) });
    else steps.push({ key: m[1] ?? m[2] ?? m[3] ?? m[4]! });
  }
  return steps;
}

/** The scalar at `steps`, read lazily; null where ZetaSQL gives NULL. */
function extract(r: Reader, steps: Step[], at: number): string | null {
  r.ws();
  const c = r.s[r.i];
  if (at === steps.length) {
    if (c === '{' || c === '[') return null;
    const v = r.value(0);
    if (v.kind !== 'scalar' || v.text === 'null') return null;
    return v.text.startsWith('"') ? (JSON.parse(v.text) as string) : v.text;
  }
  const step = steps[at]!;
  if (c === '{' && 'key' in step) {
    r.i++;
    r.ws();
    if (r.s[r.i] === '}') return null;
    for (;;) {
      r.ws();
      if (r.s[r.i] !== '"') r.fail();
      const key = JSON.parse(r.string()) as string;
      r.ws();
      if (r.s[r.i] !== ':') r.fail();
      r.i++;
      if (key === step.key) return extract(r, steps, at + 1);
      r.value(1);
      r.ws();
      if (r.s[r.i] === ',') r.i++;
      else if (r.s[r.i] === '}') return null;
      else r.fail();
    }
  }
  if (c === '[' && 'index' in step) {
    r.i++;
    r.ws();
    if (r.s[r.i] === ']') return null;
    for (let k = 0; ; k++) {
      if (k === step.index) return extract(r, steps, at + 1);
      r.value(1);
      r.ws();
      if (r.s[r.i] === ',') r.i++;
      else if (r.s[r.i] === ']') return null;
      else r.fail();
    }
  }
  return null;
}

/** JSON_VALUE(text, path) for text that is not valid JSON. */
export function lazyJsonValue(text: string, path: string): string | null {
  const steps = pathSteps(path);
  if (!steps) throw new Error(`JSON_VALUE with the JSONPath ${path} on text that is not valid JSON is not supported by the embedded BigQuery`);
  try {
    return extract(new Reader(text), steps, 0);
  } catch (e) {
    if (e instanceof SyntaxError) return null;
    throw e;
  }
}
