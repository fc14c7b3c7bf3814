/** A DuckDB statement that needs minutes (10^10 pairs, filtered so no shortcut applies). */
export const LONG_QUERY_DUCKDB = 'select count(*) from range(100000) a(x), range(100000) b(y) where (x * y) % 7 = 3';
