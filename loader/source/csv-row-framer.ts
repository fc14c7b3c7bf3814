/**
 * The rows of a CSV COPY (stage-format.ts's CSV_DIALECT) whose first field says what the row is:
 * `\N` for a valid row, else the row JSON of a row to quarantine, whose last key holds its reasons.
 * Rows come framed by the protocol (copy-out.ts), so a valid row costs three byte comparisons: it
 * goes downstream without its leading `\N` and delimiter. Postgres quotes a field only when it
 * holds the delimiter, the quote byte, a line break or the null marker's text, doubling the quote
 * byte inside; the row JSON is read that way.
 *
 * With a metrics check (metric-shape.ts), a valid row's metrics field is checked too: a row that
 * fails it is held back (its key kept, its bytes dropped) for Postgres to read again with every
 * check (held-rows.ts), which quarantines it with its reasons.
 */
import { REJECT_COLUMN } from './column-sql.js';
import type { CopyRowFramer } from './copy-out.js';
import type { SplitterCounts } from './copy-row-splitter.js';
import { commonType, flatObjectOf, metricsPass, type JsonType, type MetricShape } from './metric-shape.js';
import { CSV_DIALECT } from './stage-format.js';

const BACKSLASH = 0x5c;
const N = 0x4e;
const DELIMITER = CSV_DIALECT.delimiter.charCodeAt(0);
const QUOTE = CSV_DIALECT.quote.charCodeAt(0);
const DOUBLED_QUOTE = CSV_DIALECT.quote.repeat(2);
const REJECT_KEY = `,"${REJECT_COLUMN}":`;

/** What the framer checks in a valid row: the metrics field, and the key fields it keeps of a row that fails. */
export interface FramedMetricsCheck {
  /** Field index of the metrics (0 is the reject field). */
  field: number;
  /** Field indexes of the primary key columns, in key order. */
  keyFields: number[];
  shape: MetricShape;
}

/** A row JSON with its reasons as its last key (`{..., "_reject": "..."}`): the reasons, and the JSON without them. */
export function splitRejectJson(text: string): { reason: string; rowJson: string } {
  const at = text.lastIndexOf(REJECT_KEY);
  if (at < 0 || !text.endsWith('}')) throw new Error(`CSV COPY row without its quarantine field (no ${REJECT_COLUMN} key)`);
  const reason = JSON.parse(text.slice(at + REJECT_KEY.length, -1)) as unknown;
  return { reason: typeof reason === 'string' ? reason : String(reason), rowJson: `${text.slice(0, at)}}` };
}

export class CsvRowFramer implements CopyRowFramer {
  readonly counts: SplitterCounts = { rows: 0, rejected: 0 };
  /** Key field texts of the rows held back by the metrics check, for held-rows.ts. */
  readonly held: string[][] = [];
  private readonly only: JsonType | undefined;
  /** End of the field fieldStart() found last. */
  private fieldEnd = 0;

  constructor(
    private readonly onReject: (reason: string, rowJson: string) => void,
    private readonly onProgress?: (counts: SplitterCounts) => void,
    private readonly metrics?: FramedMetricsCheck,
  ) {
    this.only = metrics ? commonType(metrics.shape) : undefined;
  }

  keepFrom(buf: Buffer, start: number, end: number): number {
    let from = -1;
    if (end - start > 3 && buf[start] === BACKSLASH && buf[start + 1] === N && buf[start + 2] === DELIMITER) {
      if (this.metrics && !this.metricsPass(buf, start, end, this.metrics)) {
        this.held.push(this.metrics.keyFields.map((f) => this.fieldText(buf, start, end, f)));
      } else {
        this.counts.rows++;
        from = start + 3;
      }
    } else {
      this.reject(buf, start, end);
    }
    if (this.onProgress && ((this.counts.rows + this.counts.rejected + this.held.length) & 0xffff) === 0) this.onProgress(this.counts);
    return from;
  }

  private metricsPass(buf: Buffer, start: number, end: number, check: FramedMetricsCheck): boolean {
    const at = this.fieldStart(buf, start, end, check.field);
    const fieldEnd = this.fieldEnd;
    // jsonb's text is never quoted (it escapes tabs, line breaks and the quote byte); read it all the same.
    if (buf[at] === QUOTE) return metricsPass(this.fieldText(buf, start, end, check.field), check.shape);
    if (fieldEnd - at === 2 && buf[at] === BACKSLASH && buf[at + 1] === N) return true; // NULL: no metric check holds
    return flatObjectOf(buf, at, fieldEnd, this.only) || metricsPass(buf.toString('utf8', at, fieldEnd), check.shape);
  }

  /** Start of field `n` of the row at `start` (fieldEnd set to its end); throws past the row's last field. */
  private fieldStart(buf: Buffer, start: number, end: number, n: number): number {
    let at = start;
    for (let field = 0; ; field++) {
      let fieldEnd: number;
      if (buf[at] === QUOTE) {
        let i = at + 1;
        for (; i < end; i++) {
          if (buf[i] === QUOTE) {
            if (buf[i + 1] === QUOTE) i++;
            else break;
          }
        }
        if (i >= end) throw new Error('CSV COPY row whose quoted field does not end');
        fieldEnd = i + 1;
      } else {
        const tab = buf.indexOf(DELIMITER, at);
        fieldEnd = tab < 0 || tab > end ? end : tab;
      }
      if (field === n) {
        this.fieldEnd = fieldEnd;
        return at;
      }
      if (fieldEnd >= end) throw new Error(`CSV COPY row with fewer than ${n + 1} fields`);
      at = fieldEnd + 1;
    }
  }

  /** The text of field `n` (unquoted). */
  private fieldText(buf: Buffer, start: number, end: number, n: number): string {
    const at = this.fieldStart(buf, start, end, n);
    if (buf[at] !== QUOTE) return buf.toString('utf8', at, this.fieldEnd);
    return buf.toString('utf8', at + 1, this.fieldEnd - 1).replaceAll(DOUBLED_QUOTE, CSV_DIALECT.quote);
  }

  /** The first field is the row JSON (quoted when it holds the delimiter or a line break). */
  private reject(buf: Buffer, start: number, end: number): void {
    const { reason, rowJson } = splitRejectJson(this.fieldText(buf, start, end, 0));
    this.counts.rejected++;
    this.onReject(reason, rowJson);
  }
}
