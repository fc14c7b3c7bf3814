/** Parses GoogleSQL type expressions (INT64, ARRAY<STRUCT<a INT64, b STRING>>, NUMERIC(10, 2)) from tokens. */
import { BigQueryApiError, type TableFieldSchema } from '../types.js';
import { canonicalType, duckTypeOfField } from '../type-mapping.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { isRangeField, rangeDuckType, rangeElement } from './range-type.js';
import { unsupported } from '../errors.js';

export interface ParsedType {
  duck: string;
  /** Field shape of the type (name left empty). */
  field: TableFieldSchema;
}

export function translateTypeTokens(tokens: Token[]): ParsedType {
  const p = new TypeParser(tokens);
  const t = p.parse();
  if (p.pos < tokens.length) throw new BigQueryApiError('invalidQuery', `Syntax error in type near "${tokens[p.pos]!.text}"`);
  return t;
}

/** Parses one type starting at tokens[pos]; returns it and the index after it. */
export function parseTypeAt(tokens: Token[], pos: number): [ParsedType, number] {
  const p = new TypeParser(tokens);
  p.pos = pos;
  const t = p.parse();
  return [t, p.pos];
}

class TypeParser {
  pos = 0;
  private pendingClose = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): ParsedType {
    const t = this.tokens[this.pos];
    if (!t || (t.kind !== 'ident' && t.kind !== 'quoted')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected a type');
    this.pos++;
    const name = t.value.toUpperCase();
    if (name === 'ARRAY') {
      this.expectOpen();
      const inner = this.parse();
      this.expectClose();
      if (inner.field.mode === 'REPEATED') throw new BigQueryApiError('invalidQuery', 'Arrays of arrays are not supported');
      return { duck: `${inner.duck}[]`, field: { ...inner.field, mode: 'REPEATED' } };
    }
    if (name === 'RANGE' && isOp(this.tokens[this.pos], '<')) {
      this.expectOpen();
      const inner = this.parse();
      this.expectClose();
      const element = inner.field.mode === 'NULLABLE' && !inner.field.fields ? rangeElement(inner.field.type) : rangeElement(undefined);
      const field: TableFieldSchema = { name: '', type: 'RANGE', mode: 'NULLABLE', rangeElementType: { type: element } };
      return { duck: rangeDuckType(element), field };
    }
    if (name === 'STRUCT' || name === 'RECORD') {
      this.expectOpen();
      const fields: TableFieldSchema[] = [];
      for (;;) {
        const n = this.tokens[this.pos];
        if (!n) throw new BigQueryApiError('invalidQuery', 'Syntax error in STRUCT type');
        let fieldName = '';
        // `name TYPE` or just `TYPE`
        const next = this.tokens[this.pos + 1];
        if ((n.kind === 'ident' || n.kind === 'quoted') && next && (next.kind === 'ident' || next.kind === 'quoted')) {
          fieldName = n.value;
          this.pos++;
        }
        const f = this.parse();
        if (isRangeField(fieldName)) throw unsupported(`A STRUCT field named ${fieldName} (the engine's RANGE values have fields of that name)`);
        fields.push({ ...f.field, name: fieldName || `_field_${fields.length + 1}` });
        this.skipOptions();
        if (isOp(this.tokens[this.pos], ',')) {
          this.pos++;
          continue;
        }
        break;
      }
      this.expectClose();
      const field: TableFieldSchema = { name: '', type: 'RECORD', mode: 'NULLABLE', fields };
      return { duck: duckTypeOfField({ ...field, name: 'x' }), field };
    }
    // parameterized types: STRING(10), NUMERIC(10, 2): BigQuery enforces them, we keep the base type
    if (isOp(this.tokens[this.pos], '(')) {
      while (this.pos < this.tokens.length && !isOp(this.tokens[this.pos], ')')) this.pos++;
      this.pos++;
    }
    let type;
    try {
      type = canonicalType(name);
    } catch {
      throw new BigQueryApiError('invalidQuery', `Type not found: ${t.value}`);
    }
    if (type === 'GEOGRAPHY') throw new BigQueryApiError('invalidQuery', 'Type GEOGRAPHY is not supported by the embedded BigQuery');
    const field: TableFieldSchema = { name: '', type, mode: 'NULLABLE' };
    if (isKeyword(this.tokens[this.pos], 'NOT') && isKeyword(this.tokens[this.pos + 1], 'NULL')) {
      this.pos += 2;
      field.mode = 'REQUIRED';
    }
    return { duck: duckTypeOfField({ ...field, name: 'x', mode: 'NULLABLE' }), field };
  }

  private skipOptions(): void {
    if (isKeyword(this.tokens[this.pos], 'OPTIONS') && isOp(this.tokens[this.pos + 1], '(')) {
      let depth = 0;
      for (this.pos++; this.pos < this.tokens.length; this.pos++) {
        if (isOp(this.tokens[this.pos], '(')) depth++;
        if (isOp(this.tokens[this.pos], ')')) depth--;
        if (depth === 0) break;
      }
      this.pos++;
    }
  }

  private expectOpen(): void {
    if (!isOp(this.tokens[this.pos], '<')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected "<" in type');
    this.pos++;
  }

  private expectClose(): void {
    if (this.pendingClose > 0) {
      this.pendingClose--;
      if (this.pendingClose === 0) this.pos++;
      return;
    }
    const t = this.tokens[this.pos];
    if (isOp(t, '>')) {
      this.pos++;
      return;
    }
    if (isOp(t, '>>')) {
      // `ARRAY<STRUCT<...>>`: the lexer joined two closing brackets
      this.pendingClose = 1;
      return;
    }
    throw new BigQueryApiError('invalidQuery', `Syntax error: expected ">" in type near "${t?.text ?? ''}"`);
  }
}
