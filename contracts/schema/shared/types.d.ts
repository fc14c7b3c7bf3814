/** Types of types.js (plain CommonJS, shared with the Dataform compile sandbox). */
export const BIGQUERY_TYPES: readonly string[];
export const CLUSTERABLE_TYPES: readonly string[];
export const NUMERIC_TYPES: readonly string[];
export function normalizeType(name: unknown): string | undefined;
export function durationSeconds(text: unknown): number | undefined;
export function normalizeDuration(text: unknown): string | undefined;
