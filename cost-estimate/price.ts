/**
 * BigQuery on-demand compute pricing, as published: $6.25 per TiB processed (US multi-region list
 * price; other regions differ, pass --price-per-tib). Each query is billed whole MB, at least 10 MB
 * per table it references; the first 1 TiB a month is free per billing account (not subtracted
 * here: the figure is what the schedule uses, not what an invoice shows after free tiers).
 */
export const DEFAULT_PRICE_PER_TIB = 6.25;
export const TIB = 2 ** 40;
const MB = 2 ** 20;

/**
 * What one job is billed for the bytes a dry run reports. A dry run does not break the bytes down by
 * table, so this is the minimum for one table: a job reading several small tables is billed up to
 * 10 MB more per extra table than this says.
 */
export function billedForJob(processed: number): number {
  if (processed <= 0) return 0;
  return Math.max(10 * MB, Math.ceil(processed / MB) * MB);
}

export function priceOf(bytes: number, pricePerTib: number): number {
  return (bytes / TIB) * pricePerTib;
}
