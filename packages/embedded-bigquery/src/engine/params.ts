/**
 * Query parameters in BigQuery's REST shape → DuckDB prepared-statement parameters. Values are
 * bound as text (or lists of text) and cast in SQL to the declared type, never spliced.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { BigQueryApiError, type QueryParameter } from './types.js';
import { canonicalType, duckTypeOfField, quoteIdent, quoteString } from './type-mapping.js';
import type { Token } from './sql/tokenizer.js';
import { rangeChecked, rangedType } from './limits.js';
import { ELEMENT_DUCK, rangeDuckType, rangeElement } from './sql/range-type.js';
import { checkZonedParameter } from './sql/functions/time-zones.js';

type ParamType = QueryParameter['parameterType'];
type ParamValue = QueryParameter['parameterValue'];

function duckType(t: ParamType): string {
  if (t.type.toUpperCase() === 'ARRAY') {
    if (!t.arrayType) throw new BigQueryApiError('invalid', 'Array query parameter is missing arrayType');
    return `${duckType(t.arrayType)}[]`;
  }
  if (t.type.toUpperCase() === 'STRUCT') {
    const fields = (t.structTypes ?? []).map((f) => `${quoteIdent(f.name ?? '')} ${duckType(f.type)}`);
    return `STRUCT(${fields.join(', ')})`;
  }
  return duckTypeOfField({ name: 'p', type: canonicalType(t.type) });
}

function scalarText(t: ParamType, v: ParamValue | undefined): string | null {
  const value = v?.value;
  if (value === undefined || value === null) return null;
  if (canonicalType(t.type) === 'BYTES') return value;
  return value;
}

/** DuckDB value (text or list of text) and the SQL that casts it to the parameter's type. */
function bindValue(t: ParamType, v: ParamValue | undefined, placeholder: string): { value: DuckDBValue; sql: string } {
  const type = t.type.toUpperCase();
  if (type === 'ARRAY') {
    const inner = t.arrayType!;
    if (['ARRAY', 'STRUCT', 'RANGE'].includes(inner.type.toUpperCase())) {
      throw new BigQueryApiError('invalidQuery', `ARRAY<${inner.type}> query parameters are not supported by the embedded BigQuery`);
    }
    const items = (v?.arrayValues ?? []).map((x) => scalarText(inner, x));
    if (canonicalType(inner.type) === 'BYTES') {
      return { value: listValue(items), sql: `list_transform(CAST(${placeholder} AS VARCHAR[]), x -> from_base64(x))` };
    }
    return { value: listValue(items), sql: `CAST(CAST(${placeholder} AS VARCHAR[]) AS ${duckType(t)})` };
  }
  const text = scalarText(t, v);
  if (canonicalType(type) === 'BYTES') return { value: text, sql: `from_base64(CAST(${placeholder} AS VARCHAR))` };
  const cast = `CAST(CAST(${placeholder} AS VARCHAR) AS ${duckType(t)})`;
  const ranged = rangedType(canonicalType(type));
  return { value: text, sql: ranged ? rangeChecked(ranged, cast) : cast };
}

export class ParamBinder {
  private positional = 0;
  values: DuckDBValue[] = [];

  constructor(
    private readonly mode: 'NAMED' | 'POSITIONAL' | undefined,
    private readonly params: QueryParameter[],
  ) {}

  /** Start a new DuckDB statement (its own $1..$n). */
  reset(): void {
    this.values = [];
  }

  /** One parameter value → SQL, pushing the DuckDB values it needs (a STRUCT binds each field). */
  private bindParameter(t: ParamType, v: ParamValue | undefined): string {
    if (t.type.toUpperCase() === 'STRUCT') {
      const fields = t.structTypes ?? [];
      if (fields.length === 0) throw new BigQueryApiError('invalid', 'STRUCT query parameter has no fields');
      if (v === undefined || v === null || (v.structValues === undefined && v.value === null)) {
        return `CAST(NULL AS ${duckType(t)})`;
      }
      const parts = fields.map((f, i) => {
        const name = f.name ?? `_field_${i + 1}`;
        return `${quoteString(name)}: ${this.bindParameter(f.type, v.structValues?.[name])}`;
      });
      return `{${parts.join(', ')}}`;
    }
    if (t.type.toUpperCase() === 'RANGE') return this.bindRange(t, v);
    if (t.type.toUpperCase() === 'ARRAY' && t.arrayType?.type.toUpperCase() === 'RANGE') {
      const inner = t.arrayType;
      const type = `${rangeDuckType(rangeElement(inner.rangeElementType?.type))}[]`;
      if (!v?.arrayValues) return `CAST(NULL AS ${type})`;
      return `CAST([${v.arrayValues.map((x) => this.bindRange(inner, x)).join(', ')}] AS ${type})`;
    }
    const placeholder = `$${this.values.length + 1}`;
    const { value, sql } = bindValue(t, v, placeholder);
    this.values.push(value);
    return `(${sql})`;
  }

  /** A RANGE<T> parameter (rangeValue.start/end): each bound bound as a T parameter, an absent or UNBOUNDED one infinite (sql/range-type.ts). */
  private bindRange(t: ParamType, v: ParamValue | undefined): string {
    const element = rangeElement(t.rangeElementType?.type);
    // the Node client sends an ARRAY<RANGE> parameter's elements as structValues {start, end}; what BigQuery reads from that is unknown
    if (v?.structValues) throw new BigQueryApiError('invalidQuery', 'A RANGE query parameter value given as structValues is not supported by the embedded BigQuery (send rangeValue)');
    if (!v?.rangeValue) return `CAST(NULL AS ${rangeDuckType(element)})`;
    const bound = (b: { value?: string | null } | undefined, infinity: string): string => {
      const text = b?.value;
      if (text === undefined || text === null || /^(UNBOUNDED|NULL)$/i.test(text)) return `CAST('${infinity}' AS ${ELEMENT_DUCK[element].ddl})`;
      return this.bindParameter({ type: element }, { value: text });
    };
    return `bq_range_of(${bound(v.rangeValue.start, '-infinity')}, ${bound(v.rangeValue.end, 'infinity')}, '')`;
  }

  /** A named scalar parameter's type and value text, without binding it; undefined for a positional or unknown one. */
  namedValue(token: Token): { type: string; value: string | null } | undefined {
    if (token.kind === 'positional') return undefined;
    const p = this.params.find((x) => x.name?.toLowerCase() === token.value.toLowerCase());
    if (!p || p.parameterType.type === 'ARRAY' || p.parameterType.type === 'STRUCT') return undefined;
    return { type: p.parameterType.type, value: p.parameterValue?.value ?? null };
  }

  /** `timeZone`: the statement's @@time_zone when it is not UTC (a parameter's text read there is checked: time-zones.ts). */
  bind(token: Token, timeZone?: string): string {
    let p: QueryParameter | undefined;
    if (token.kind === 'positional') {
      if (this.mode === 'NAMED') throw new BigQueryApiError('invalidQuery', 'Positional parameters are not allowed in a query with parameterMode NAMED');
      p = this.params[this.positional++];
      if (!p) throw new BigQueryApiError('invalidQuery', `No value provided for positional parameter ${this.positional}`);
    } else {
      if (this.mode === 'POSITIONAL') throw new BigQueryApiError('invalidQuery', 'Named parameters are not allowed in a query with parameterMode POSITIONAL');
      const name = token.value.toLowerCase();
      p = this.params.find((x) => x.name?.toLowerCase() === name);
      if (!p) throw new BigQueryApiError('invalidQuery', `Query parameter '${token.value}' not found at [${token.start}]`);
    }
    if (timeZone !== undefined) checkZonedParameter(p, timeZone);
    return this.bindParameter(p.parameterType, p.parameterValue);
  }
}
