import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, `undefined` members dropped, strings NFC-normalized and -0 as 0.
 * Arrays keep their order: column order, key order and cluster order are meaningful.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value, '$'));
}

/** sha256 hex of canonicalJson(value). Hash parsed contracts, so defaults are already applied. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function normalize(value: unknown, where: string): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value.normalize('NFC');
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalHash: ${where} is not a finite number`);
      return Object.is(value, -0) ? 0 : value;
    case 'object': {
      if (Array.isArray(value)) return value.map((item, i) => (item === undefined ? null : normalize(item, `${where}[${i}]`)));
      if (value instanceof Date) return value.toISOString();
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        const member = (value as Record<string, unknown>)[key];
        if (member !== undefined) out[key.normalize('NFC')] = normalize(member, `${where}.${key}`);
      }
      return out;
    }
    default:
      throw new TypeError(`canonicalHash: ${where} has unsupported type ${typeof value}`);
  }
}
