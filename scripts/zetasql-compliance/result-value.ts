/**
 * The expected-value text of a ZetaSQL compliance test (`ARRAY<STRUCT<a INT64, DOUBLE>>[{1, 2.5}]`)
 * read into a type and JS values: INT64 as bigint, DOUBLE as number (nan, inf), NUMERIC and
 * BIGNUMERIC as canonical decimal strings, BYTES as hex, civil times and TIMESTAMP as canonical
 * text, JSON as canonical JSON text, STRUCT as an array of its fields, ARRAY with its ordering.
 */

export type SqlType =
  | { kind: 'scalar'; name: string }
  | { kind: 'array'; element: SqlType }
  | { kind: 'struct'; fields: { name: string; type: SqlType }[] }
  | { kind: 'range'; element: SqlType };

export type Value = null | bigint | number | string | boolean | Value[] | ArrayValue | RangeValue;
export interface ArrayValue {
  kind: 'array';
  ordered: boolean;
  items: Value[];
}
export interface RangeValue {
  kind: 'range';
  start: Value;
  end: Value;
}

export class ValueSyntaxError extends Error {}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }
  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }
  eat(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }
  expect(token: string): void {
    if (!this.eat(token)) throw new ValueSyntaxError(`expected ${token} at ${this.pos}: ${this.text.slice(this.pos, this.pos + 40)}`);
  }
  word(): string {
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.text.slice(this.pos));
    if (!m) throw new ValueSyntaxError(`expected a name at ${this.pos}: ${this.text.slice(this.pos, this.pos + 40)}`);
    this.pos += m[0].length;
    return m[0];
  }
}

function readType(r: Reader): SqlType {
  const name = r.word().toUpperCase();
  if (name === 'ARRAY') {
    r.expect('<');
    // `ARRAY<>`: the element type is printed with each value (`{ARRAY<INT64>[1, 2]}`).
    if (r.peek() === '>') {
      r.pos++;
      return { kind: 'array', element: { kind: 'scalar', name: '' } };
    }
    const element = readType(r);
    r.expect('>');
    return { kind: 'array', element };
  }
  if (name === 'RANGE') {
    r.expect('<');
    const element = readType(r);
    r.expect('>');
    return { kind: 'range', element };
  }
  if (name === 'STRUCT') {
    r.expect('<');
    const fields: { name: string; type: SqlType }[] = [];
    if (r.eat('>')) return { kind: 'struct', fields };
    do {
      const save = r.pos;
      const first = r.word();
      const next = r.peek();
      if (next === ',' || next === '>' || next === '<') {
        r.pos = save;
        fields.push({ name: '', type: readType(r) });
      } else {
        fields.push({ name: first, type: readType(r) });
      }
    } while (r.eat(','));
    r.expect('>');
    return { kind: 'struct', fields };
  }
  if (r.peek() === '<') {
    // PROTO<...>, ENUM<...>, MAP<...>: kept as an opaque scalar name.
    let depth = 0;
    const begin = r.pos;
    do {
      const c = r.text[r.pos++];
      if (c === '<') depth++;
      if (c === '>') depth--;
    } while (depth > 0 && r.pos < r.text.length);
    return { kind: 'scalar', name: name + r.text.slice(begin, r.pos).replace(/\s+/g, '') };
  }
  return { kind: 'scalar', name };
}

export function typeText(t: SqlType): string {
  if (t.kind === 'scalar') return t.name;
  if (t.kind === 'array') return `ARRAY<${typeText(t.element)}>`;
  if (t.kind === 'range') return `RANGE<${typeText(t.element)}>`;
  return `STRUCT<${t.fields.map((f) => (f.name ? `${f.name} ` : '') + typeText(f.type)).join(', ')}>`;
}

/** Every scalar type name in `t`. */
export function scalarNames(t: SqlType): string[] {
  if (t.kind === 'scalar') return [t.name];
  if (t.kind === 'array' || t.kind === 'range') return scalarNames(t.element);
  return t.fields.flatMap((f) => scalarNames(f.type));
}

/** A ZetaSQL-printed string or bytes literal: "..." or '...' with C escapes. */
function readQuoted(r: Reader, bytes: boolean): string {
  r.skipSpace();
  const quote = r.text[r.pos++];
  if (quote !== '"' && quote !== "'") throw new ValueSyntaxError(`expected a quoted literal at ${r.pos}`);
  const out: number[] = [];
  const pushText = (s: string): void => {
    out.push(...Buffer.from(s, 'utf8'));
  };
  for (;;) {
    const c = r.text[r.pos++];
    if (c === undefined) throw new ValueSyntaxError('unterminated literal');
    if (c === quote) break;
    if (c !== '\\') {
      const cp = r.text.codePointAt(r.pos - 1) ?? 0;
      if (cp > 0xffff) r.pos++;
      pushText(String.fromCodePoint(cp));
      continue;
    }
    const e = r.text[r.pos++] ?? '';
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '`': 96, '?': 63 };
    if (simple[e] !== undefined) out.push(simple[e]);
    else if (e === 'x' || e === 'X') {
      out.push(parseInt(r.text.slice(r.pos, r.pos + 2), 16));
      r.pos += 2;
    } else if (/[0-7]/.test(e)) {
      out.push(parseInt(r.text.slice(r.pos - 1, r.pos + 2), 8));
      r.pos += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      pushText(String.fromCodePoint(parseInt(r.text.slice(r.pos, r.pos + n), 16)));
      r.pos += n;
    } else throw new ValueSyntaxError(`unknown escape \\${e}`);
  }
  const buf = Buffer.from(out);
  return bytes ? buf.toString('hex') : buf.toString('utf8');
}

/** Text up to the next `,` `}` `]` `)` at this level. */
function readBare(r: Reader): string {
  r.skipSpace();
  const begin = r.pos;
  while (r.pos < r.text.length && !/[,}\])]/.test(r.text[r.pos] ?? '')) r.pos++;
  return r.text.slice(begin, r.pos).trim();
}

function readJson(r: Reader): string {
  r.skipSpace();
  const begin = r.pos;
  const first = r.text[r.pos];
  if (first === '{' || first === '[' || first === '"') {
    let depth = 0;
    let inString = false;
    do {
      const c = r.text[r.pos++];
      if (inString) {
        if (c === '\\') r.pos++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
    } while ((depth > 0 || inString) && r.pos < r.text.length);
  } else readBare(r);
  return canonicalJson(r.text.slice(begin, r.pos).trim());
}

/** JSON text with sorted keys and numbers as JS prints them. */
export function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sort(o[k])]));
    }
    return v;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ValueSyntaxError(`not JSON: ${text.slice(0, 40)}`);
  }
  return JSON.stringify(sort(parsed));
}

export function canonicalDecimal(text: string): string {
  let t = text.trim();
  const negative = t.startsWith('-');
  if (negative || t.startsWith('+')) t = t.slice(1);
  if (/e/i.test(t)) throw new ValueSyntaxError(`decimal with exponent: ${text}`);
  let [int = '', frac = ''] = t.split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

export function parseDouble(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  const n = Number(t);
  if (Number.isNaN(n)) throw new ValueSyntaxError(`not a double: ${text}`);
  return n;
}

/** Canonical civil-time text: `T` as a space, fraction without trailing zeros. */
export function canonicalCivil(text: string): string {
  return text
    .trim()
    .replace('T', ' ')
    .replace(/\.(\d*?)0+$/, (_m, d: string) => (d ? `.${d}` : ''));
}

/** TIMESTAMP text `2014-01-01 00:00:00.5+00` as microseconds since the epoch. */
export function timestampMicros(text: string): bigint {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?\s*(?:([+-])(\d\d)(?::?(\d\d))?|Z|UTC)?$/.exec(text.trim());
  if (!m) throw new ValueSyntaxError(`not a timestamp: ${text}`);
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0'] = m;
  if (frac.length > 6 && /[1-9]/.test(frac.slice(6))) throw new ValueSyntaxError(`timestamp finer than microseconds: ${text}`);
  // Date.UTC reads the years 0-99 as 1900-1999: the year is set apart
  const day = new Date(Date.UTC(2000, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  day.setUTCFullYear(Number(y));
  const seconds = BigInt(day.getTime()) / 1000n;
  const offset = BigInt((Number(oh) * 60 + Number(om)) * 60) * (sign === '-' ? -1n : 1n);
  return (seconds - offset) * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
}

function readValue(r: Reader, t: SqlType): Value {
  if (r.peek() === 'N' && /^NULL\b/.test(r.text.slice(r.pos))) {
    r.pos += 4;
    return null;
  }
  if (t.kind === 'struct') {
    r.expect('{');
    const out: Value[] = [];
    for (const [i, f] of t.fields.entries()) {
      if (i > 0) r.expect(',');
      out.push(readValue(r, f.type));
    }
    r.expect('}');
    return out;
  }
  if (t.kind === 'array') {
    if (/[A-Z]/.test(r.peek())) {
      const printed = readType(r);
      if (printed.kind !== 'array') throw new ValueSyntaxError(`expected an array type, got ${typeText(printed)}`);
      if (t.element.kind === 'scalar' && t.element.name === '') t.element = printed.element;
      if (r.eat('(NULL)')) return null;
    }
    return readArray(r, t.element);
  }
  if (t.kind === 'range') {
    r.expect('[');
    const start = readValue(r, t.element);
    r.expect(',');
    const end = readValue(r, t.element);
    r.expect(')');
    return { kind: 'range', start, end };
  }
  switch (t.name) {
    case 'STRING':
      return readQuoted(r, false);
    case 'BYTES':
      r.skipSpace();
      if (r.text[r.pos] === 'b' || r.text[r.pos] === 'B') r.pos++;
      return readQuoted(r, true);
    case 'JSON':
      return readJson(r);
    case 'INT64':
      return BigInt(readBare(r));
    case 'DOUBLE':
      return parseDouble(readBare(r));
    case 'BOOL': {
      const w = readBare(r).toLowerCase();
      if (w !== 'true' && w !== 'false') throw new ValueSyntaxError(`not a bool: ${w}`);
      return w === 'true';
    }
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return canonicalDecimal(readBare(r));
    case 'TIMESTAMP':
      return timestampMicros(readBare(r));
    case 'DATE':
    case 'DATETIME':
    case 'TIME':
      return canonicalCivil(readBare(r));
    case 'INTERVAL':
      return readBare(r);
    default:
      throw new ValueSyntaxError(`type ${t.name} is not read`);
  }
}

function readArray(r: Reader, element: SqlType): ArrayValue {
  r.expect('[');
  let ordered = true;
  if (r.eat('unknown order:')) ordered = false;
  else r.eat('known order:');
  const items: Value[] = [];
  if (!r.eat(']')) {
    do items.push(readValue(r, element));
    while (r.eat(','));
    r.expect(']');
  }
  return { kind: 'array', ordered, items };
}

export interface ExpectedTable {
  /** The columns: the row struct's fields, or one unnamed column for a top-level ARRAY<scalar>. */
  columns: { name: string; type: SqlType }[];
  rows: Value[][];
  ordered: boolean;
}

/** Reads `ARRAY<STRUCT<...>>[...]` (or `ARRAY<T>[...]`, a SELECT AS VALUE) as a table. */
export function parseExpectedTable(text: string): ExpectedTable {
  const r = new Reader(text);
  const t = readType(r);
  if (t.kind !== 'array') throw new ValueSyntaxError(`top-level type ${typeText(t)} is not an ARRAY`);
  const rowType = t.element;
  const array = readArray(r, rowType);
  r.skipSpace();
  if (r.pos < text.length) throw new ValueSyntaxError(`trailing text: ${text.slice(r.pos, r.pos + 40)}`);
  if (rowType.kind === 'struct') return { columns: rowType.fields, rows: array.items as Value[][], ordered: array.ordered };
  return { columns: [{ name: '', type: rowType }], rows: array.items.map((v) => [v]), ordered: array.ordered };
}
