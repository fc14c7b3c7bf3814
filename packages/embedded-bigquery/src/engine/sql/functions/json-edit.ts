/**
 * The JSON mutators and JSON_KEYS (json_functions) on JSON text: JSON_SET, JSON_REMOVE,
 * JSON_STRIP_NULLS, JSON_ARRAY_APPEND, JSON_ARRAY_INSERT, JSON_KEYS. Paths are JSONPath of member
 * names and array indexes (`$.a.b[2]`, `$."x y"`). Where the reference leaves the outcome unclear
 * to us (a path through a scalar, lax modes, keys that need quoting) the call fails loudly.
 */
import { unsupported } from '../../errors.js';
import { BigQueryApiError } from '../../types.js';
import { compact, parse, type Node } from './json-text.js';

type Step = { key: string } | { index: number };

function parsePath(path: string, fn: string): Step[] {
  if (!path.startsWith('$')) throw new BigQueryApiError('invalidQuery', `${fn}: JSONPath must start with '$': ${path}`);
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    const m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest) ?? /^\."((?:[^"\\]|\\.)*)"/.exec(rest);
    if (m) {
      steps.push({ key: m[0].startsWith('."') ? (JSON.parse(`"${m[1]!}"`) as string) : m[1]! });
      i += m[0].length;
      continue;
    }
    const idx = /^\[(\d+)\]/.exec(rest);
    if (idx) {
      steps.push({ index: Number(idx[1]) });
      i += idx[0].length;
      continue;
    }
    throw unsupported(`${fn} with the JSONPath ${path}`);
  }
  return steps;
}

const NULL: Node = { kind: 'scalar', text: 'null' };
const rawKey = (k: string): string => JSON.stringify(k);

/** The node at steps, or undefined when the path does not exist. */
function at(n: Node, steps: Step[]): Node | undefined {
  let cur: Node | undefined = n;
  for (const s of steps) {
    if (!cur) return undefined;
    if ('key' in s) cur = cur.kind === 'object' ? cur.members.find((m) => m[0] === s.key)?.[2] : undefined;
    else cur = cur.kind === 'array' ? cur.items[s.index] : undefined;
  }
  return cur;
}

/** Replace (or create) the value at steps; `make` gives the new value from the old one. */
function setAt(n: Node, steps: Step[], make: (old: Node | undefined) => Node, create: boolean, fn: string): Node {
  if (steps.length === 0) return make(n);
  const [s, ...rest] = steps as [Step, ...Step[]];
  if ('key' in s) {
    if (n.kind !== 'object') {
      // only a member this call itself created (NULL by identity) may become an object; a JSON null already there is left loud
      if (n === NULL && create) return { kind: 'object', members: [[s.key, rawKey(s.key), setAt(NULL, rest, make, create, fn)]] };
      throw unsupported(`${fn} of a path through a non-object value`);
    }
    const k = n.members.findIndex((m) => m[0] === s.key);
    if (k < 0) {
      if (!create) return n;
      return { kind: 'object', members: [...n.members, [s.key, rawKey(s.key), rest.length === 0 ? make(undefined) : setAt(NULL, rest, make, create, fn)]] };
    }
    const members = [...n.members];
    members[k] = [members[k]![0], members[k]![1], setAt(members[k]![2], rest, make, create, fn)];
    return { kind: 'object', members };
  }
  if (n.kind !== 'array') {
    if (n === NULL && create) return setAt({ kind: 'array', items: [] }, steps, make, create, fn);
    throw unsupported(`${fn} of a path through a non-array value`);
  }
  const items = [...n.items];
  if (s.index >= items.length) {
    if (!create) return n;
    // an index past the end pads the array with JSON nulls
    while (items.length < s.index) items.push(NULL);
    items.push(rest.length === 0 ? make(undefined) : setAt(NULL, rest, make, create, fn));
    return { kind: 'array', items };
  }
  items[s.index] = setAt(items[s.index]!, rest, make, create, fn);
  return { kind: 'array', items };
}

function removeAt(n: Node, steps: Step[]): Node {
  const [s, ...rest] = steps as [Step, ...Step[]];
  if ('key' in s) {
    if (n.kind !== 'object') return n;
    if (rest.length === 0) return { kind: 'object', members: n.members.filter((m) => m[0] !== s.key) };
    return { kind: 'object', members: n.members.map((m) => (m[0] === s.key ? [m[0], m[1], removeAt(m[2], rest)] : m)) };
  }
  if (n.kind !== 'array' || s.index >= n.items.length) return n;
  if (rest.length === 0) return { kind: 'array', items: n.items.filter((_, k) => k !== s.index) };
  return { kind: 'array', items: n.items.map((v, k) => (k === s.index ? removeAt(v, rest) : v)) };
}

type RemoveEmpty = 'none' | 'object' | 'objectAndArray';

/**
 * JSON_STRIP_NULLS of one subtree as ZetaSQL's StripNullsImpl: children first, then each object loses its
 * null members (and, with remove_empty, its empty objects; with include_arrays too, its empty arrays), each
 * array the same only with include_arrays; a subtree left as {} (or [] with both options) becomes null.
 */
function stripNulls(root: Node, includeArrays: boolean, empty: RemoveEmpty): Node {
  const gone = (v: Node): boolean => {
    if (v.kind === 'scalar') return v.text === 'null';
    const size = v.kind === 'object' ? v.members.length : v.items.length;
    if (size > 0) return false;
    return v.kind === 'object' ? empty !== 'none' : empty === 'objectAndArray';
  };
  const clean = (n: Node): Node => {
    if (n.kind === 'object') return { kind: 'object', members: n.members.map((m): [string, string, Node] => [m[0], m[1], clean(m[2])]).filter((m) => !gone(m[2])) };
    if (n.kind === 'array') {
      const items = n.items.map(clean);
      return { kind: 'array', items: includeArrays ? items.filter((v) => !gone(v)) : items };
    }
    return n;
  };
  const out = clean(root);
  if (empty !== 'none' && out.kind === 'object' && out.members.length === 0) return NULL;
  if (empty === 'objectAndArray' && out.kind === 'array' && out.items.length === 0) return NULL;
  return out;
}

/** JSON_KEYS as ZetaSQL's JsonKeysTreeWalker: each object level costs one of `depth`; 'lax' also reads objects in arrays, 'lax recursive' in nested arrays. */
function keys(n: Node, prefix: string, depth: number, mode: string, out: Set<string>): void {
  if (n.kind === 'object') {
    for (const [k, , v] of n.members) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw unsupported('JSON_KEYS of a key that needs quoting');
      const path = prefix ? `${prefix}.${k}` : k;
      out.add(path);
      if (depth - 1 > 0) keys(v, path, depth - 1, mode, out);
    }
  }
  if (n.kind === 'array' && mode !== 'strict') {
    for (const v of n.items) if (v.kind === 'object' || (v.kind === 'array' && mode === 'lax recursive')) keys(v, prefix, depth, mode, out);
  }
}

/**
 * One mutator call: op, the JSON text, then its arguments as text (paths; values as JSON text;
 * for JSON_KEYS the maximum depth). Returns JSON text.
 */
export function jsonEdit(op: string, text: string, args: string[]): string {
  let tree = parse(text);
  const pairs = (fn: string, each: (path: Step[], value: Node) => void): void => {
    if (args.length % 2 !== 0) throw new BigQueryApiError('invalidQuery', `${fn} needs pairs of a JSONPath and a value`);
    for (let k = 0; k < args.length; k += 2) each(parsePath(args[k]!, fn), parse(args[k + 1]!));
  };
  switch (op) {
    case 'set':
      pairs('JSON_SET', (path, value) => (tree = setAt(tree, path, () => value, true, 'JSON_SET')));
      return compact(tree);
    case 'remove':
      for (const p of args) {
        if (p === '\u0000') continue;
        const path = parsePath(p, 'JSON_REMOVE');
        if (path.length === 0) throw new BigQueryApiError('invalidQuery', 'JSON_REMOVE: the JSONPath $ cannot be removed');
        tree = removeAt(tree, path);
      }
      return compact(tree);
    case 'append':
    case 'insert': {
      const fn = op === 'append' ? 'JSON_ARRAY_APPEND' : 'JSON_ARRAY_INSERT';
      // each value comes as E<json> (a SQL ARRAY: its elements one by one) or O<json> (one value)
      if (args.length % 2 !== 0) throw new BigQueryApiError('invalidQuery', `${fn} needs pairs of a JSONPath and a value`);
      for (let k = 0; k < args.length; k += 2) {
        const path = parsePath(args[k]!, fn);
        const value = parse(args[k + 1]!.slice(1));
        const values = args[k + 1]!.startsWith('E') && value.kind === 'array' ? value.items : [value];
        if (op === 'append') {
          const target = at(tree, path);
          if (target === undefined) continue;
          if (target.kind !== 'array') throw unsupported(`${fn} to a value that is not an array`);
          tree = setAt(tree, path, () => ({ kind: 'array', items: [...target.items, ...values] }), false, fn);
          continue;
        }
        const last = path[path.length - 1];
        if (!last || !('index' in last)) throw new BigQueryApiError('invalidQuery', `${fn}: the JSONPath must end with an array index`);
        const parent = at(tree, path.slice(0, -1));
        if (parent === undefined) continue;
        if (parent.kind !== 'array') throw unsupported(`${fn} into a value that is not an array`);
        const items = [...parent.items];
        while (items.length < last.index) items.push(NULL);
        items.splice(last.index, 0, ...values);
        tree = setAt(tree, path.slice(0, -1), () => ({ kind: 'array', items }), false, fn);
      }
      return compact(tree);
    }
    case 'strip_nulls': {
      // args: the JSONPath, include_arrays, remove_empty ('true' / 'false'); a path that does not exist changes nothing
      const path = parsePath(args[0] ?? '$', 'JSON_STRIP_NULLS');
      const includeArrays = args[1] !== 'false';
      const empty: RemoveEmpty = args[2] !== 'true' ? 'none' : includeArrays ? 'objectAndArray' : 'object';
      const target = at(tree, path);
      if (target === undefined) return compact(tree);
      return compact(setAt(tree, path, () => stripNulls(target, includeArrays, empty), false, 'JSON_STRIP_NULLS'));
    }
    case 'keys': {
      // args: max_depth ('' for none), mode (lower case)
      const depth = args[0] ? Number(args[0]) : Infinity;
      if (depth <= 0) throw new BigQueryApiError('invalidQuery', 'max_depth must be positive.');
      const mode = args[1] ?? 'strict';
      if (!['strict', 'lax', 'lax recursive'].includes(mode)) throw new BigQueryApiError('invalidQuery', 'Invalid JSON mode specified');
      const out = new Set<string>();
      keys(tree, '', depth, mode, out);
      return JSON.stringify([...out].sort());
    }
    default:
      throw new Error(`unknown JSON edit ${op}`);
  }
}
