import { conditionNotMet, GcsApiError, invalid } from '../errors.js';
import type { ObjectRecord } from './types.js';

/** `ifGenerationMatch` and friends; generation 0 means "no live object". */
export interface Preconditions {
  ifGenerationMatch?: string;
  ifGenerationNotMatch?: string;
  ifMetagenerationMatch?: string;
  ifMetagenerationNotMatch?: string;
}

const NAMES = ['ifGenerationMatch', 'ifGenerationNotMatch', 'ifMetagenerationMatch', 'ifMetagenerationNotMatch'] as const;

/** The preconditions in a query string, or the source ones when `source` is set (`ifSourceGenerationMatch`). */
export function parsePreconditions(query: URLSearchParams, source = false): Preconditions {
  const out: Preconditions = {};
  for (const name of NAMES) {
    const param = source ? name.replace(/^if/, 'ifSource') : name;
    const value = query.get(param);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) throw invalid(`Invalid value for ${param}: ${JSON.stringify(value)}`);
    out[name] = BigInt(value).toString();
  }
  return out;
}

/**
 * Throws 412 conditionNotMet when `current` (undefined: no live object) fails one precondition.
 * Reads (`forRead`) answer a failed NotMatch with 304 Not Modified, as GCS does.
 */
export function checkPreconditions(current: ObjectRecord | undefined, p: Preconditions, forRead = false): void {
  const generation = current?.generation ?? '0';
  if (p.ifGenerationMatch !== undefined && p.ifGenerationMatch !== generation) throw conditionNotMet('If-Match');
  if (p.ifMetagenerationMatch !== undefined && (!current || p.ifMetagenerationMatch !== current.metageneration)) {
    throw conditionNotMet('If-Metageneration-Match');
  }
  const notModified = forRead ? new GcsApiError(304, 'notModified', 'Not Modified') : undefined;
  if (p.ifGenerationNotMatch !== undefined && p.ifGenerationNotMatch === generation) throw notModified ?? conditionNotMet('If-None-Match');
  if (p.ifMetagenerationNotMatch !== undefined && current && p.ifMetagenerationNotMatch === current.metageneration) {
    throw notModified ?? conditionNotMet('If-Metageneration-Not-Match');
  }
}
