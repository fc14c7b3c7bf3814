/**
 * Parsing of the DDL clauses BigQuery keeps as table metadata: column definitions,
 * PARTITION BY, CLUSTER BY and OPTIONS(...).
 */
import { BigQueryApiError, type TableFieldSchema, type TimePartitioning } from '../types.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { parseTypeAt } from './type-names.js';
import { columnDefinition } from '../column-ddl.js';

export type OptionValue = string | number | boolean | null | [string, string][];

/** Top-level index of the first token matching pred in [s, e). */
export function findTop(tokens: Token[], s: number, e: number, pred: (t: Token, i: number) => boolean): number {
  let depth = 0;
  for (let i = s; i < e; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']')) depth--;
    else if (depth === 0 && pred(t, i)) return i;
  }
  return -1;
}

export function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], '(', '[')) depth++;
    else if (isOp(tokens[i], ')', ']')) {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new BigQueryApiError('invalidQuery', 'Syntax error: unclosed "("');
}

/** A token the parser adds (a keyword or an operator) at the position of `at`. */
function synthetic(at: Token, kind: 'ident' | 'op', value: string): Token {
  return { kind, value, text: value, start: at.start, end: at.start, spaceBefore: true };
}

/** The enforcement clause at j (`NOT ENFORCED`, `ENFORCED`, or nothing) and the index after it. */
function enforcement(tokens: Token[], j: number): [Token[], number] {
  if (isKeyword(tokens[j], 'NOT') && isKeyword(tokens[j + 1], 'ENFORCED')) return [tokens.slice(j, j + 2), j + 2];
  if (isKeyword(tokens[j], 'ENFORCED')) return [tokens.slice(j, j + 1), j + 1];
  return [[], j];
}

/**
 * `name TYPE [NOT NULL] [PRIMARY KEY NOT ENFORCED] [REFERENCES t(c) NOT ENFORCED] [OPTIONS(description=...)]`,
 * and table constraints (`PRIMARY KEY (...) NOT ENFORCED`, `[CONSTRAINT name] FOREIGN KEY (...) REFERENCES
 * t(...) NOT ENFORCED`), between the parentheses at open. `constraints` holds the keys as the actions of
 * an ALTER TABLE (`ADD PRIMARY KEY (...) NOT ENFORCED, ADD ...`) for table-constraints.ts to check and apply.
 */
export function parseColumnDefs(tokens: Token[], open: number): { fields: TableFieldSchema[]; duck: string[]; end: number; constraints: Token[] } {
  const close = closingParen(tokens, open);
  const fields: TableFieldSchema[] = [];
  const duck: string[] = [];
  const constraints: Token[] = [];
  const add = (at: Token, action: Token[]): void => {
    if (constraints.length > 0) constraints.push(synthetic(at, 'op', ','));
    constraints.push(synthetic(at, 'ident', 'ADD'), ...action);
  };
  let i = open + 1;
  while (i < close) {
    const nameTok = tokens[i]!;
    if (isKeyword(nameTok, 'PRIMARY', 'FOREIGN', 'CONSTRAINT')) {
      const next = findTop(tokens, i, close, (t) => isOp(t, ','));
      add(nameTok, tokens.slice(i, next < 0 ? close : next));
      i = next < 0 ? close : next + 1;
      continue;
    }
    if (nameTok.kind !== 'ident' && nameTok.kind !== 'quoted') throw new BigQueryApiError('invalidQuery', `Syntax error: expected a column name near "${nameTok.text}"`);
    const [type, after] = parseTypeAt(tokens, i + 1);
    const field: TableFieldSchema = { ...type.field, name: nameTok.value };
    let j = after;
    while (j < close && !isOp(tokens[j], ',')) {
      if (isKeyword(tokens[j], 'OPTIONS') && isOp(tokens[j + 1], '(')) {
        const opts = parseOptions(tokens, j + 1);
        if (typeof opts.values.description === 'string') field.description = opts.values.description;
        j = opts.end;
        continue;
      }
      if (isKeyword(tokens[j], 'NOT') && isKeyword(tokens[j + 1], 'NULL')) {
        field.mode = 'REQUIRED';
        j += 2;
        continue;
      }
      const column = [synthetic(tokens[j]!, 'op', '('), nameTok, synthetic(tokens[j]!, 'op', ')')];
      if (isKeyword(tokens[j], 'PRIMARY') && isKeyword(tokens[j + 1], 'KEY')) {
        const [clause, after] = enforcement(tokens, j + 2);
        add(tokens[j]!, [...tokens.slice(j, j + 2), ...column, ...clause]);
        j = after;
        continue;
      }
      if (isKeyword(tokens[j], 'REFERENCES')) {
        let k = j + 1;
        while (k < close && !isOp(tokens[k], '(')) k++;
        const end = k < close ? closingParen(tokens, k) + 1 : k;
        const [clause, after] = enforcement(tokens, end);
        add(tokens[j]!, [synthetic(tokens[j]!, 'ident', 'FOREIGN'), synthetic(tokens[j]!, 'ident', 'KEY'), ...column, ...tokens.slice(j, end), ...clause]);
        j = after;
        continue;
      }
      if (isKeyword(tokens[j], 'DEFAULT', 'COLLATE')) throw new BigQueryApiError('invalidQuery', `Column ${tokens[j]!.value.toUpperCase()} is not supported by the embedded BigQuery`);
      j++;
    }
    fields.push(field);
    duck.push(columnDefinition(field, type.duck));
    i = j + 1;
  }
  return { fields, duck, end: close + 1, constraints };
}

/** OPTIONS(k = v, ...) with literal values; returns the index after ')'. */
export function parseOptions(tokens: Token[], open: number): { values: Record<string, OptionValue>; end: number } {
  const close = closingParen(tokens, open);
  const values: Record<string, OptionValue> = {};
  let i = open + 1;
  while (i < close) {
    const key = tokens[i]!;
    if (!isOp(tokens[i + 1], '=')) throw new BigQueryApiError('invalidQuery', `Syntax error in OPTIONS near "${key.text}"`);
    const end = findTop(tokens, i + 2, close, (t) => isOp(t, ','));
    const valueToks = tokens.slice(i + 2, end < 0 ? close : end);
    values[key.value.toLowerCase()] = optionValue(valueToks, key.value);
    i = end < 0 ? close : end + 1;
  }
  return { values, end: close + 1 };
}

function optionValue(toks: Token[], key: string): OptionValue {
  const t = toks[0];
  if (!t) throw new BigQueryApiError('invalidQuery', `OPTIONS ${key} has no value`);
  if (toks.length === 1) {
    if (t.kind === 'string') return t.value;
    if (t.kind === 'number') return Number(t.value);
    if (isKeyword(t, 'TRUE')) return true;
    if (isKeyword(t, 'FALSE')) return false;
    if (isKeyword(t, 'NULL')) return null;
  }
  if (toks.length === 2 && isKeyword(t, 'TIMESTAMP', 'DATETIME', 'DATE') && toks[1]!.kind === 'string') return toks[1]!.value;
  if (toks.length === 2 && isOp(t, '-') && toks[1]!.kind === 'number') return -Number(toks[1]!.value);
  if (isKeyword(t, 'INTERVAL')) return intervalOption(toks, key);
  if (isOp(t, '[')) {
    // labels = [("k", "v"), STRUCT("k2", "v2")]
    const pairs: [string, string][] = [];
    const strings = toks.filter((x) => x.kind === 'string').map((x) => x.value);
    for (let k = 0; k + 1 < strings.length; k += 2) pairs.push([strings[k]!, strings[k + 1]!]);
    return pairs;
  }
  throw new BigQueryApiError('invalidQuery', `OPTIONS ${key}: only literal values are supported by the embedded BigQuery`);
}

const SECONDS: Record<string, number> = { SECOND: 1, MINUTE: 60, HOUR: 3600 };

/**
 * `INTERVAL n DAY|HOUR|MINUTE|SECOND` or `INTERVAL 'h:m:s' HOUR TO SECOND` (max_staleness) in
 * BigQuery's canonical interval text `Y-M D H:M:S`.
 */
function intervalOption(toks: Token[], key: string): string {
  const bad = (): BigQueryApiError => new BigQueryApiError('invalidQuery', `OPTIONS ${key}: unsupported INTERVAL literal ${toks.map((x) => x.text).join(' ')}`);
  const v = toks[1];
  const unit = toks[2]?.value.toUpperCase();
  if (!v || (v.kind !== 'number' && v.kind !== 'string') || !unit) throw bad();
  const hms = (total: number): string => `${Math.floor(total / 3600)}:${Math.floor((total % 3600) / 60)}:${total % 60}`;
  if (toks.length === 3 && /^\d+$/.test(v.value)) {
    const n = Number(v.value);
    if (unit === 'DAY') return `0-0 ${n} 0:0:0`;
    const per = SECONDS[unit];
    if (per !== undefined) return `0-0 0 ${hms(n * per)}`;
  }
  if (toks.length === 5 && unit === 'HOUR' && isKeyword(toks[3], 'TO') && isKeyword(toks[4], 'SECOND')) {
    const m = /^(\d+):(\d+):(\d+)$/.exec(v.value);
    if (m) return `0-0 0 ${hms(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]))}`;
  }
  throw bad();
}

/** PARTITION BY expression → timePartitioning (range partitioning is accepted and not kept). */
export function parsePartitionBy(toks: Token[]): TimePartitioning | undefined {
  const text = toks.map((t) => (t.kind === 'quoted' ? t.value : t.value.toUpperCase())).join(' ');
  const col = (t: Token | undefined): string => {
    if (!t || (t.kind !== 'ident' && t.kind !== 'quoted')) throw new BigQueryApiError('invalidQuery', `Unsupported PARTITION BY expression: ${text}`);
    return t.value;
  };
  if (toks.length === 1) {
    const name = col(toks[0]);
    if (name.toUpperCase() === '_PARTITIONDATE') return { type: 'DAY' };
    return { type: 'DAY', field: name };
  }
  const fn = toks[0]!.value.toUpperCase();
  if (fn === 'DATE' && isOp(toks[1], '(')) {
    const name = col(toks[2]);
    if (name.toUpperCase() === '_PARTITIONTIME') return { type: 'DAY' };
    return { type: 'DAY', field: name };
  }
  if (['TIMESTAMP_TRUNC', 'DATE_TRUNC', 'DATETIME_TRUNC'].includes(fn)) {
    const name = col(toks[2]);
    const unit = toks[4]?.value.toUpperCase();
    if (unit !== 'DAY' && unit !== 'HOUR' && unit !== 'MONTH' && unit !== 'YEAR') throw new BigQueryApiError('invalidQuery', `Unsupported partitioning unit in: ${text}`);
    return name.toUpperCase() === '_PARTITIONTIME' ? { type: unit } : { type: unit, field: name };
  }
  if (fn === 'RANGE_BUCKET') return undefined;
  throw new BigQueryApiError('invalidQuery', `PARTITION BY expression must be DATE(<timestamp_column>), DATE(<datetime_column>), DATETIME_TRUNC(<datetime_column>, DAY/HOUR/MONTH/YEAR), a DATE-type column, TIMESTAMP_TRUNC(<timestamp_column>, DAY/HOUR/MONTH/YEAR), DATE_TRUNC(<date_column>, MONTH/YEAR), or RANGE_BUCKET(<int64_column>, GENERATE_ARRAY(<int64_value>, <int64_value>[, <int64_value>])); got ${text}`);
}
