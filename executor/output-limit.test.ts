import { describe, expect, it } from 'vitest';
import { HeadTailLimiter, type OutputChunk, type StreamName } from './output-limit.ts';

// Feeds chunks, collects what goes out live and what finish() returns.
function run(limiter: HeadTailLimiter, chunks: [StreamName, Buffer][]) {
  const live: OutputChunk[] = [];
  for (const [stream, data] of chunks) {
    const l = limiter.push(stream, data);
    if (l) live.push({ stream, data: Buffer.from(l) });
  }
  const tail = limiter.finish();
  return { live, tail };
}
const bytes = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (from + i) % 256));
const join = (cs: OutputChunk[]) => Buffer.concat(cs.map((c) => c.data));

describe('HeadTailLimiter', () => {
  it('keeps everything under the limit: head live, the rest after the end', () => {
    const l = new HeadTailLimiter(4, 4);
    const { live, tail } = run(l, [['stdout', Buffer.from('abc')], ['stderr', Buffer.from('defg')]]);
    expect(live).toEqual([{ stream: 'stdout', data: Buffer.from('abc') }, { stream: 'stderr', data: Buffer.from('d') }]);
    expect(tail).toEqual([{ stream: 'stderr', data: Buffer.from('efg') }]);
    expect(l.droppedBytes).toBe(0);
    expect(l.totalBytes).toBe(7);
  });

  it('keeps exactly the first head and last tail bytes over both streams, in read order', () => {
    const l = new HeadTailLimiter(5, 6);
    const { live, tail } = run(l, [
      ['stdout', Buffer.from('0123')],
      ['stderr', Buffer.from('ABCD')],
      ['stdout', Buffer.from('4567')],
      ['stderr', Buffer.from('EFGH')],
    ]);
    expect(join(live).toString()).toBe('0123A');
    expect(live.map((c) => c.stream)).toEqual(['stdout', 'stderr']);
    expect(tail).toEqual([
      { stream: 'stdout', data: Buffer.from('67') },
      { stream: 'stderr', data: Buffer.from('EFGH') },
    ]);
    expect(l.totalBytes).toBe(16);
    expect(l.droppedBytes).toBe(16 - 5 - 6);
  });

  it('handles a single chunk bigger than head and tail together', () => {
    const l = new HeadTailLimiter(3, 3);
    const data = bytes(0, 100);
    const { live, tail } = run(l, [['stdout', data]]);
    expect(join(live)).toEqual(data.subarray(0, 3));
    expect(join(tail)).toEqual(data.subarray(97));
    expect(l.droppedBytes).toBe(94);
  });

  it('coalesces many tiny reads without losing order, stream or bytes', () => {
    const l = new HeadTailLimiter(10, 20_000);
    const chunks: [StreamName, Buffer][] = [];
    let n = 0;
    for (let i = 0; i < 10_000; i++) {
      const s: StreamName = i % 1000 < 500 ? 'stdout' : 'stderr';
      chunks.push([s, bytes(n, 3)]);
      n += 3;
    }
    const { tail } = run(l, chunks);
    const all = Buffer.concat(chunks.map((c) => c[1]));
    expect(join(tail)).toEqual(all.subarray(all.length - 20_000));
    expect(l.droppedBytes).toBe(all.length - 10 - 20_000);
    // Stream boundaries survive: every tail chunk is uniform and alternates with its neighbour's stream
    // only where the input switched.
    const streamsOfBytes = chunks.flatMap(([s, d]) => Array(d.length).fill(s)).slice(-20_000);
    expect(tail.flatMap((c) => Array(c.data.length).fill(c.stream))).toEqual(streamsOfBytes);
  });

  it('with no tail drops everything after the head', () => {
    const l = new HeadTailLimiter(2, 0);
    const { live, tail } = run(l, [['stdout', Buffer.from('hello')]]);
    expect(join(live).toString()).toBe('he');
    expect(tail).toEqual([]);
    expect(l.droppedBytes).toBe(3);
  });

  it('splits a total limit into halves', () => {
    const l = HeadTailLimiter.forLimit(11);
    expect([l.headBytes, l.tailBytes]).toEqual([5, 6]);
  });

  it('does not decode: invalid UTF-8 and split characters pass byte for byte', () => {
    const l = new HeadTailLimiter(2, 10);
    const euro = Buffer.from('€'); // e2 82 ac, cut by the head limit after 2 bytes
    const bad = Buffer.from([0xff, 0xfe, 0x00, 0xc3]);
    const { live, tail } = run(l, [['stdout', euro], ['stdout', bad]]);
    expect(Buffer.concat([join(live), join(tail)])).toEqual(Buffer.concat([euro, bad]));
  });
});
