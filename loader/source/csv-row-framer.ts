/**
 * The rows of a CSV COPY (stage-format.ts's CSV_DIALECT) whose first field says what the row is:
 * `\N` for a valid row, else the row JSON of a row to quarantine, whose last key holds its reasons.
 * Rows come framed by the protocol (copy-out.ts), so a valid row costs three byte comparisons: it
 * goes downstream without its leading `\N` and delimiter. Postgres quotes a field only when it
 * holds the delimiter, the quote byte, a line break or the null marker's text, doubling the quote
 * byte inside; the row JSON is read that way.
 */
import { REJECT_COLUMN } from './column-sql.js';
import type { CopyRowFramer } from './copy-out.js';
import type { SplitterCounts } from './copy-row-splitter.js';
import { CSV_DIALECT } from './stage-format.js';

const BACKSLASH = 0x5c;
const N = 0x4e;
const DELIMITER = CSV_DIALECT.delimiter.charCodeAt(0);
const QUOTE = CSV_DIALECT.quote.charCodeAt(0);
const DOUBLED_QUOTE = CSV_DIALECT.quote.repeat(2);
const REJECT_KEY = `,"${REJECT_COLUMN}":`;

export class CsvRowFramer implements CopyRowFramer {
  readonly counts: SplitterCounts = { rows: 0, rejected: 0 };

  constructor(
    private readonly onReject: (reason: string, rowJson: string) => void,
    private readonly onProgress?: (counts: SplitterCounts) => void,
  ) {}

  keepFrom(buf: Buffer, start: number, end: number): number {
    let from = -1;
    if (end - start > 3 && buf[start] === BACKSLASH && buf[start + 1] === N && buf[start + 2] === DELIMITER) {
      this.counts.rows++;
      from = start + 3;
    } else {
      this.reject(buf, start, end);
    }
    if (this.onProgress && ((this.counts.rows + this.counts.rejected) & 0xffff) === 0) this.onProgress(this.counts);
    return from;
  }

  /** The first field is the row JSON (quoted when it holds the delimiter or a line break). */
  private reject(buf: Buffer, start: number, end: number): void {
    let text: string;
    if (buf[start] === QUOTE) {
      let i = start + 1;
      for (; i < end; i++) {
        if (buf[i] === QUOTE) {
          if (buf[i + 1] === QUOTE) i++;
          else break;
        }
      }
      if (i >= end) throw new Error('CSV COPY row whose quoted first field does not end');
      text = buf.toString('utf8', start + 1, i).replaceAll(DOUBLED_QUOTE, CSV_DIALECT.quote);
    } else {
      const at = buf.indexOf(DELIMITER, start);
      text = buf.toString('utf8', start, at < 0 || at > end ? end : at);
    }
    const at = text.lastIndexOf(REJECT_KEY);
    if (at < 0 || !text.endsWith('}')) throw new Error(`CSV COPY row without its quarantine field (no ${REJECT_COLUMN} key)`);
    const reason = JSON.parse(text.slice(at + REJECT_KEY.length, -1)) as unknown;
    this.counts.rejected++;
    this.onReject(typeof reason === 'string' ? reason : String(reason), `${text.slice(0, at)}}`);
  }
}
