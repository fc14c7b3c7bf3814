/**
 * `table [AS alias] TABLESAMPLE SYSTEM (n PERCENT)` (query-syntax#tablesample_operator,
 * docs/table-sampling). BigQuery samples a table by its storage blocks and reads every row of a chosen
 * block; a table under about 1 GB is usually one block, which it then reads whole, and with a
 * percentage above 0 on a non-empty table it always returns rows. The embedded BigQuery's tables are
 * read as one block: any percentage above 0 reads the whole table, BigQuery's answer for such a
 * table. Only tables can be sampled; a subquery, UNNEST or CTE fails, as on BigQuery.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';

/**
 * Checks the TABLESAMPLE clause at token i; `afterTable` is the index just past the last table path
 * of this FROM clause (undefined when none). Returns the DuckDB text (nothing: the whole table) and
 * the index after the clause.
 */
export function tableSample(tokens: Token[], i: number, afterTable: number | undefined): [string, number] {
  // what stands between the table path and TABLESAMPLE may only be its alias
  let k = afterTable ?? -1;
  if (k >= 0 && isKeyword(tokens[k], 'AS')) k++;
  if (k >= 0 && k < i && (tokens[k]!.kind === 'ident' || tokens[k]!.kind === 'quoted')) k++;
  if (k !== i) {
    throw new BigQueryApiError('invalidQuery', 'TABLESAMPLE can only sample a table: a subquery, UNNEST, CTE or table function cannot be sampled. Sample the table it reads instead.');
  }
  if (!isKeyword(tokens[i + 1], 'SYSTEM') || !isOp(tokens[i + 2], '(')) {
    throw new BigQueryApiError('invalidQuery', 'Syntax error: TABLESAMPLE must be followed by SYSTEM (percent PERCENT)');
  }
  const value = tokens[i + 3];
  const negative = isOp(value, '-');
  const num = negative ? tokens[i + 4] : value;
  const percentAt = negative ? i + 5 : i + 4;
  if (!isKeyword(tokens[percentAt], 'PERCENT') || !isOp(tokens[percentAt + 1], ')')) {
    if (num && (num.kind === 'param' || num.kind === 'positional')) throw unsupported('TABLESAMPLE with a query parameter as the percentage');
    throw new BigQueryApiError('invalidQuery', 'Syntax error: TABLESAMPLE SYSTEM takes (percent PERCENT), with the percentage a number literal');
  }
  if (num?.kind === 'param' || num?.kind === 'positional') throw unsupported('TABLESAMPLE with a query parameter as the percentage');
  const pct = num?.kind === 'number' ? Number(num.value) * (negative ? -1 : 1) : NaN;
  if (!Number.isFinite(pct) || pct < 0 || pct > 100) {
    throw new BigQueryApiError('invalidQuery', `TABLESAMPLE percentage must be between 0 and 100, got ${negative ? '-' : ''}${num?.text ?? ''}`);
  }
  // BigQuery does not say which rows 0 PERCENT returns
  if (pct === 0) throw unsupported('TABLESAMPLE SYSTEM (0 PERCENT)');
  return ['', percentAt + 2];
}
