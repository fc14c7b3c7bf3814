/**
 * JSON text as BigQuery reads and writes it, where DuckDB differs: an object with a repeated key
 * keeps the first value (DuckDB keeps the last), and TO_JSON_STRING's pretty_print layout. Scalars
 * are kept as written (numbers beyond 2^53 are not rounded); only structure is rebuilt.
 */
export type Node = { kind: 'scalar'; text: string } | { kind: 'array'; items: Node[] } | { kind: 'object'; members: [string, string, Node][] };

export class Reader {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  fail(): never {
    throw new SyntaxError(`invalid JSON at offset ${this.i}`);
  }

  string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    if (this.s[this.i] !== '"') this.fail();
    this.i++;
    return this.s.slice(start, this.i);
  }

  value(depth: number): Node {
    if (depth > 1000) this.fail();
    this.ws();
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      const members: [string, string, Node][] = [];
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return { kind: 'object', members };
      }
      for (;;) {
        this.ws();
        if (this.s[this.i] !== '"') this.fail();
        const raw = this.string();
        this.ws();
        if (this.s[this.i] !== ':') this.fail();
        this.i++;
        members.push([JSON.parse(raw) as string, raw, this.value(depth + 1)]);
        this.ws();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] === '}') {
          this.i++;
          return { kind: 'object', members };
        } else this.fail();
      }
    }
    if (c === '[') {
      this.i++;
      const items: Node[] = [];
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        if (this.s[this.i] === ',') this.i++;
        else if (this.s[this.i] === ']') {
          this.i++;
          return { kind: 'array', items };
        } else this.fail();
      }
    }
    if (c === '"') return { kind: 'scalar', text: this.string() };
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail();
    this.i += m[0].length;
    return { kind: 'scalar', text: m[0] };
  }
}

export function parse(text: string): Node {
  const r = new Reader(text);
  const v = r.value(0);
  r.ws();
  if (r.i !== text.length) r.fail();
  return v;
}

/** Repeated keys dropped after their first occurrence, at every level. */
function firstWins(n: Node): Node {
  if (n.kind === 'array') return { kind: 'array', items: n.items.map(firstWins) };
  if (n.kind === 'scalar') return n;
  const seen = new Set<string>();
  const members: [string, string, Node][] = [];
  for (const [k, raw, v] of n.members) {
    if (seen.has(k)) continue;
    seen.add(k);
    members.push([k, raw, firstWins(v)]);
  }
  return { kind: 'object', members };
}

function hasRepeatedKey(n: Node): boolean {
  if (n.kind === 'scalar') return false;
  if (n.kind === 'array') return n.items.some(hasRepeatedKey);
  return new Set(n.members.map((m) => m[0])).size !== n.members.length || n.members.some((m) => hasRepeatedKey(m[2]));
}

export function compact(n: Node): string {
  if (n.kind === 'scalar') return n.text;
  if (n.kind === 'array') return `[${n.items.map(compact).join(',')}]`;
  return `{${n.members.map(([, raw, v]) => `${raw}:${compact(v)}`).join(',')}}`;
}

function pretty(n: Node, indent: string): string {
  const inner = `${indent}  `;
  if (n.kind === 'scalar') return n.text;
  if (n.kind === 'array') return n.items.length === 0 ? '[]' : `[\n${n.items.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`;
  return n.members.length === 0 ? '{}' : `{\n${n.members.map(([, raw, v]) => `${inner}${raw}: ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * The JSON text with every repeated object key after the first removed, as BigQuery parses it;
 * the text itself when no key repeats or it is not JSON (DuckDB's own parser then reports it).
 */
export function firstKeysWin(text: string): string {
  if (!text.includes('"')) return text;
  let tree: Node;
  try {
    tree = parse(text);
  } catch {
    return text;
  }
  return hasRepeatedKey(tree) ? compact(firstWins(tree)) : text;
}

/** TO_JSON_STRING(value, true): two-space indentation, `"key": value`, one element per line. */
export function prettyJson(text: string): string {
  return pretty(parse(text), '');
}
