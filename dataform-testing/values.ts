/**
 * One text per value, whatever side it comes from: a hand-written YAML fixture (`2026-11-20T10:00:00Z`,
 * `12.5`, `{battery_v: 12}`) or the @google-cloud/bigquery client (BigQueryTimestamp, number, JSON
 * text). Rows compare equal when these texts are.
 */

// The client renders nanoseconds (`.123456000Z`); BigQuery keeps microseconds, so digits past six are zeros.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,6})\d{0,3})?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, microseconds kept (Date alone would drop them). */
function timestampText(text: string): string {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a timestamp (write 2026-11-20T10:00:00Z)`);
  const [, date, time = '', fraction = '', zone = 'Z'] = match;
  const offset = /^(Z|UTC)$/i.test(zone) ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const instant = new Date(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  if (Number.isNaN(instant.getTime())) throw new Error(`"${text}" is not a valid timestamp`);
  return `${instant.toISOString().slice(0, 19)}.${fraction.padEnd(6, '0')}Z`;
}

/** BigQueryTimestamp, BigQueryDate, BigQueryInt (wrapIntegers) and friends carry their exact text in `value`. */
function unwrap(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value;
  return value;
}

/** JSON with sorted keys, so `{a: 1, b: 2}` and `{b: 2, a: 1}` agree. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The comparable text of a value of a BigQuery column type. `fromWarehouse` says the value came back
 * from BigQuery (a JSON column then arrives as JSON text; in a fixture it is the value itself).
 */
export function canonicalValue(type: string, raw: unknown, fromWarehouse: boolean): string {
  // Only a warehouse value is ever a wrapper: in a fixture, `{value: 1}` is a JSON value.
  const value = fromWarehouse ? unwrap(raw) : raw;
  if (value === null || value === undefined) return 'null';
  switch (type.toUpperCase()) {
    case 'TIMESTAMP':
      return timestampText(value instanceof Date ? value.toISOString() : String(value));
    case 'DATE':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case 'INT64':
    case 'INTEGER':
      return BigInt(String(value)).toString();
    case 'FLOAT64':
    case 'FLOAT':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return String(Number(value));
    case 'BOOL':
    case 'BOOLEAN':
      return String(value === true || value === 'true');
    case 'JSON':
      return stableJson(fromWarehouse && typeof value === 'string' ? JSON.parse(value) : value);
    default:
      return typeof value === 'string' ? value : stableJson(value);
  }
}
