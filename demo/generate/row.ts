/** One source row, keyed by column name; values are what the Postgres column holds. */
export type RowValue = string | number | boolean | Date | null | Record<string, unknown> | unknown[];
export type DemoRow = Record<string, RowValue>;
