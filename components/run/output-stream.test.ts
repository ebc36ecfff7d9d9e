import { describe, expect, it } from 'vitest';
import { OutputBuffer, pump } from './output-stream';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
}

describe('output streaming', () => {
  it('keeps a character split across chunks whole and replaces invalid bytes', async () => {
    const euro = new TextEncoder().encode('price: 5€\n'); // € is 3 bytes
    const chunks = [euro.slice(0, 9), euro.slice(9), new Uint8Array([0xff, 0xfe, 0x41, 0x0a])];
    const buf = new OutputBuffer();
    let flushes = 0;
    await pump(streamOf(chunks), buf, () => flushes++, 0);
    expect(buf.value()).toBe('price: 5€\n\uFFFD\uFFFDA\n');
    expect(flushes).toBeGreaterThan(0);
  });

  it('keeps only the tail of a huge output, from a line start', () => {
    const buf = new OutputBuffer(50);
    for (let i = 0; i < 20; i++) buf.push(new TextEncoder().encode(`line ${i}\n`));
    expect(buf.trimmed).toBe(true);
    expect(buf.value().length).toBeLessThanOrEqual(50);
    expect(buf.value().startsWith('line ')).toBe(true);
    expect(buf.value().endsWith('line 19\n')).toBe(true);
  });
});
