/** The binary COPY splitter, fed hand-built COPY bytes cut at every possible position. */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from '@jest/globals';
import { CopyRowSplitter } from '../../../loader/source/copy-row-splitter.js';

const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4), Buffer.alloc(4)]);
const trailer = Buffer.from([0xff, 0xff]);
/** One COPY row: the row's JSON with the `_reject` key last, as the extraction query builds it. */
function tuple(reason: string | null, json: string): Buffer {
  const text = `${json.slice(0, -1)},"_reject":${JSON.stringify(reason)}}`;
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeInt32BE(bytes.length);
  return Buffer.concat([Buffer.from([0, 1]), length, bytes]);
}

async function split(chunks: Buffer[]): Promise<{ out: string; rejects: [string, string][]; counts: { rows: number; rejected: number } }> {
  const rejects: [string, string][] = [];
  const splitter = new CopyRowSplitter((reason, json) => rejects.push([reason, json]));
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    splitter,
    new Writable({
      write(chunk: Buffer, _e, cb) {
        parts.push(chunk);
        cb();
      },
    }),
  );
  return { out: Buffer.concat(parts).toString('utf8'), rejects, counts: splitter.counts };
}

describe('CopyRowSplitter', () => {
  const stream = Buffer.concat([
    header,
    tuple(null, '{"a":"x\\\\y ✓ ,\\"_reject\\":null"}'),
    tuple('a: REQUIRED column is null; b: "quoted"', '{"a":null,"b":"x"}'),
    tuple(null, '{"b":2}'),
    trailer,
  ]);

  test('valid rows become NDJSON, rejected rows go to the callback', async () => {
    const result = await split([stream]);
    expect(result.out).toBe('{"a":"x\\\\y ✓ ,\\"_reject\\":null"}\n{"b":2}\n');
    expect(result.rejects).toEqual([['a: REQUIRED column is null; b: "quoted"', '{"a":null,"b":"x"}']]);
    expect(result.counts).toEqual({ rows: 2, rejected: 1 });
  });

  test('any chunking of the stream gives the same result', async () => {
    const whole = await split([stream]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(await split([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(whole);
    }
    expect(await split([...stream].map((byte) => Buffer.from([byte])))).toEqual(whole);
  });

  test('a truncated stream is an error, not a silent short batch', async () => {
    await expect(split([stream.subarray(0, stream.length - 2)])).rejects.toThrow(/without its trailer/);
    await expect(split([stream.subarray(0, stream.length - 6)])).rejects.toThrow(/ended inside a row/);
    await expect(split([Buffer.from('not copy data at all')])).rejects.toThrow(/bad signature/);
  });
});
