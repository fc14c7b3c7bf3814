/**
 * The metric checks of a jsonb metrics column (column-sql.ts's metricChecks), decided in the CSV
 * framer from the value's text instead of per row in Postgres, where their jsonpath test was about
 * a third of the extraction query's CPU. A row passes when its metrics are an object in which each
 * known key is absent, JSON null or of the type its metric expects; any other row is held and read
 * again by Postgres with every check (held-rows.ts), so its reasons and row JSON are Postgres's own.
 *
 * Two steps: a scan of jsonb's text output (`{"a": 1, "b": null}`: keys and strings in double
 * quotes with backslash escapes, `: ` and `, ` between) that passes an object whose every value
 * is null or of the one type all known metrics expect (nearly every row), and otherwise JSON.parse
 * with each known key's type compared as jsonb_typeof would (an unknown key of another type passes).
 */

export type JsonType = 'number' | 'string' | 'boolean';

export interface MetricShape {
  /** The known metrics in contract order, each with the JSON type it expects. */
  known: { key: string; expected: JsonType }[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const SPACE = 0x20;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const BRACKET = 0x5b;

/** The index after the closing quote of the string whose text starts at `from`, or -1. */
function afterString(buf: Buffer, from: number, end: number): number {
  for (let i = from; ; ) {
    const q = buf.indexOf(QUOTE, i);
    if (q < 0 || q >= end) return -1;
    let k = q - 1;
    while (k >= from && buf[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** The one JSON type every known metric expects, if they agree. */
export function commonType(shape: MetricShape): JsonType | undefined {
  const types = new Set(shape.known.map((k) => k.expected));
  return types.size === 1 ? [...types][0] : undefined;
}

/**
 * True when `buf[start, end)` is an object whose values are all null or of type `only` (so every
 * metric check passes); false when it cannot tell (the caller then parses it).
 */
export function flatObjectOf(buf: Buffer, start: number, end: number, only: JsonType | undefined): boolean {
  if (only === undefined || buf[start] !== OPEN) return false;
  let i = start + 1;
  if (buf[i] === CLOSE) return i + 1 === end;
  for (;;) {
    if (buf[i] !== QUOTE) return false;
    i = afterString(buf, i + 1, end);
    if (i < 0 || buf[i] !== COLON) return false;
    i++;
    if (buf[i] === SPACE) i++;
    const first = buf[i];
    if (first === QUOTE) {
      if (only !== 'string') return false;
      i = afterString(buf, i + 1, end);
      if (i < 0) return false;
    } else {
      if (first === OPEN || first === BRACKET || first === undefined) return false;
      // A number or a literal: valid JSON (jsonb's output) says which by its first byte.
      const type = first === 0x6e ? 'null' : first === 0x74 || first === 0x66 ? 'boolean' : 'number';
      if (type !== 'null' && type !== only) return false;
      while (i < end && buf[i] !== COMMA && buf[i] !== CLOSE) i++;
    }
    if (buf[i] === COMMA) {
      i++;
      if (buf[i] === SPACE) i++;
      continue;
    }
    return buf[i] === CLOSE && i + 1 === end;
  }
}

/** jsonb_typeof of a parsed JSON value. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Whether the metrics text passes every metric check, exactly as Postgres decides them. */
export function metricsPass(text: string, shape: MetricShape): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (jsonTypeOf(value) !== 'object') return false;
  const object = value as Record<string, unknown>;
  return shape.known.every(({ key, expected }) => {
    if (!Object.hasOwn(object, key)) return true;
    const type = jsonTypeOf(object[key]);
    return type === 'null' || type === expected;
  });
}
