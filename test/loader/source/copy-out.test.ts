/**
 * The COPY out stream framed by protocol messages (copy-out.ts with the CSV framer): against a
 * stand-in connection fed protocol bytes cut at every position, and against a real Postgres (rows
 * compared with pg-copy-streams' bytes of the same COPY, a slow consumer, an error in mid-COPY
 * that leaves the connection usable). Expected bytes are written out by hand or taken from the
 * other reader.
 */
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CopyOutStream, copyOut } from '../../../loader/source/copy-out.js';
import { CsvRowFramer } from '../../../loader/source/csv-row-framer.js';
import type { RowChunk } from '../../../loader/stage/part-writer.js';
import { startTestPostgres, type TestPostgres } from '../../support/postgres.js';

/** One protocol message: type byte, int32 length (itself included), body. */
function message(type: string, body: Buffer | string): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(bytes.length + 4, 1);
  return Buffer.concat([head, bytes]);
}

const RS = '\x1e';
const rows = ['\\N\t1\tplain\t{"a": 1}\n', `${RS}{"id":2,"_reject":"x: bad"}${RS}\t2\tc\t{}\n`, `\\N\t3\t${RS}two\nlines${RS}\t[]\n`, `{"id":4,"_reject":"y: bad"}\t4\t\\N\t{}\n`, '\\N\t5\t\\N\t\\N\n'];
const copyOutResponse = message('H', Buffer.from([0, 0, 3, 0, 0, 0, 0, 0, 0]));
const notice = message('N', 'SNOTICE\0Mhello\0\0');
const afterCopy = Buffer.concat([message('C', 'COPY 5\0'), message('Z', 'I')]);
const wire = Buffer.concat([copyOutResponse, message('d', rows[0]!), message('d', rows[1]!), notice, message('d', rows[2]!), message('d', rows[3]!), message('d', rows[4]!), message('c', ''), afterCopy]);

/** Runs a CopyOutStream over a stand-in connection that delivers `pieces` one read at a time. */
async function frame(pieces: Buffer[]): Promise<{ text: string; rows: number; rejects: [string, string][]; handedBack: Buffer; sql: string }> {
  const stream = new PassThrough();
  const handedBack: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => handedBack.push(chunk));
  let sql = '';
  const connection = { stream, query: (text: string) => void (sql = text) } as unknown as pg.Connection;
  const rejects: [string, string][] = [];
  const copy = new CopyOutStream('copy t to stdout', new CsvRowFramer((reason, json) => rejects.push([reason, json])));
  copy.submit(connection);
  const out: RowChunk[] = [];
  const done = pipeline(
    copy,
    new Writable({
      objectMode: true,
      write(chunk: RowChunk, _e, cb) {
        out.push({ bytes: Buffer.from(chunk.bytes), rows: chunk.rows });
        cb();
      },
    }),
  );
  done.catch(() => undefined);
  for (const piece of pieces) {
    // A copy, as a socket's chunks are its own: the stream moves kept rows down inside them.
    stream.write(Buffer.from(piece));
    await tick();
  }
  await done;
  await tick();
  return { text: Buffer.concat(out.map((c) => c.bytes)).toString('utf8'), rows: out.reduce((n, c) => n + c.rows, 0), rejects, handedBack: Buffer.concat(handedBack), sql };
}

describe('protocol framing', () => {
  const expected = {
    text: `1\tplain\t{"a": 1}\n3\t${RS}two\nlines${RS}\t[]\n5\t\\N\t\\N\n`,
    rows: 3,
    rejects: [
      ['x: bad', '{"id":2}'],
      ['y: bad', '{"id":4}'],
    ],
    handedBack: afterCopy,
    sql: 'copy t to stdout',
  };

  test('rows, rejects and the bytes after CopyDone are the same wherever the stream is cut', async () => {
    expect(await frame([wire])).toEqual(expected);
    for (let cut = 1; cut < wire.length; cut++) {
      expect(await frame([wire.subarray(0, cut), wire.subarray(cut)])).toEqual(expected);
      expect(await frame([wire.subarray(0, cut), wire.subarray(cut, cut + 4), wire.subarray(cut + 4)])).toEqual(expected);
    }
    expect(await frame([...wire].map((byte) => Buffer.from([byte])))).toEqual(expected);
  });

  test('an ErrorResponse goes back to pg from its first byte, rows before it are out', async () => {
    const error = Buffer.concat([message('E', 'SERROR\0C22012\0Mdivision by zero\0\0'), message('Z', 'E')]);
    const failing = Buffer.concat([copyOutResponse, message('d', rows[0]!), error]);
    for (let cut = 1; cut < failing.length; cut++) {
      const stream = new PassThrough();
      const handedBack: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => handedBack.push(chunk));
      const copy = copyOut('copy t to stdout', new CsvRowFramer(() => undefined));
      copy.submit({ stream, query: () => undefined } as unknown as pg.Connection);
      const out: string[] = [];
      copy.on('data', (chunk: RowChunk) => out.push(chunk.bytes.toString('utf8')));
      stream.write(Buffer.from(failing.subarray(0, cut)));
      await tick();
      stream.write(Buffer.from(failing.subarray(cut)));
      await tick();
      await tick();
      expect(Buffer.concat(handedBack)).toEqual(error);
      expect(out.join('')).toBe('1\tplain\t{"a": 1}\n');
      copy.destroy();
    }
  });

  test('a message no COPY sends is an error, not a silent short batch', async () => {
    await expect(frame([Buffer.concat([copyOutResponse, message('d', rows[0]!), message('D', 'x')])])).rejects.toThrow(/unexpected message type D during COPY out/);
  });
});

describe('against Postgres', () => {
  let db: TestPostgres;
  const sql = `copy (select null, g, 'dev-' || g, case when g % 1000 = 0 then E'line\\nbreak' end, jsonb_build_object('v', g) from generate_series(1, 50000) as g) to stdout (format csv, null '\\N', delimiter E'\\x09', quote E'\\x1e')`;

  beforeAll(async () => {
    db = await startTestPostgres();
  });
  afterAll(async () => {
    await db?.stop();
  });

  test('a slow consumer gets every row, byte for byte what pg-copy-streams reads, without its first field', async () => {
    const reference: Buffer[] = [];
    await pipeline(db.client.query(copyTo(sql)), new Writable({
        write(c: Buffer, _e, cb) {
          reference.push(c);
          cb();
        },
      }));
    const referenceText = Buffer.concat(reference).toString('utf8');
    expect(referenceText.startsWith('\\N\t1\tdev-1\t\\N\t{"v": 1}\n')).toBe(true);
    const framer = new CsvRowFramer(() => undefined);
    const copy = db.client.query(copyOut(sql, framer, 4096));
    const out: RowChunk[] = [];
    let writes = 0;
    await pipeline(
      copy,
      new Writable({
        objectMode: true,
        highWaterMark: 1,
        write(chunk: RowChunk, _e, cb) {
          out.push({ bytes: Buffer.from(chunk.bytes), rows: chunk.rows });
          // now and then a pause, so the socket fills and the reader must wait
          if (++writes % 50 === 0) setTimeout(cb, 5);
          else cb();
        },
      }),
    );
    expect(framer.counts).toEqual({ rows: 50000, rejected: 0 });
    expect(copy.rowCount).toBe(50000);
    expect(out.reduce((n, c) => n + c.rows, 0)).toBe(50000);
    expect(Math.max(...out.map((c) => c.bytes.length))).toBeLessThan(4096 + 200);
    // Every row of the reference starts with `\N<tab>`; rows with a line break are quoted, so split on `\n\N\t`.
    expect(Buffer.concat(out.map((c) => c.bytes)).toString('utf8')).toBe(referenceText.slice(3).split('\n\\N\t').join('\n'));
    // The connection is pg's again.
    expect((await db.client.query<{ n: number }>('select 1 as n')).rows).toEqual([{ n: 1 }]);
  });

  test('an error in mid-COPY fails the stream with Postgres message, and the connection stays usable', async () => {
    const failing = `copy (select null, g, 1 / (g - 30000) from generate_series(1, 50000) as g) to stdout (format csv, null '\\N', delimiter E'\\x09', quote E'\\x1e')`;
    const framer = new CsvRowFramer(() => undefined);
    await expect(pipeline(db.client.query(copyOut(failing, framer)), new Writable({ objectMode: true, write: (_c, _e, cb) => cb() }))).rejects.toThrow('division by zero');
    expect(framer.counts.rows).toBeLessThan(30000);
    expect((await db.client.query<{ n: number }>('select 2 as n')).rows).toEqual([{ n: 2 }]);
  });
});
