// Bounds one attempt's output: the first `headBytes` go out live, the last `tailBytes` wait in a
// ring until the attempt ends (only then is it known which bytes are the last), and everything in
// between is counted as dropped. Counted over both streams together, in the order bytes were read,
// so the kept bytes are exactly what a reader of the interleaved output would see at both ends.
// Pure and byte-safe: bytes are sliced, never decoded (a character split at a cut stays split,
// which is the honest thing to store).

export type StreamName = 'stdout' | 'stderr';

export interface OutputChunk {
  stream: StreamName;
  data: Buffer;
}

// Small reads (a task writing a line at a time) are copied into shared blocks of this size, so a
// ring of megabytes never holds millions of tiny Buffer objects.
const BLOCK_BYTES = 16 * 1024;

interface RingEntry {
  stream: StreamName;
  buf: Buffer;
  start: number;
  end: number;
  /** The entry owns `buf` (a block we allocated) and may append into it up to buf.length. */
  appendable: boolean;
}

export class HeadTailLimiter {
  private headLeft: number;
  private ring: RingEntry[] = [];
  private ringFirst = 0;
  private ringBytes = 0;
  private finished = false;
  /** Bytes read so far, kept or not. */
  totalBytes = 0;
  /** Bytes between the head and the tail that were not kept. */
  droppedBytes = 0;

  constructor(
    readonly headBytes: number,
    readonly tailBytes: number,
  ) {
    if (!(headBytes >= 0 && tailBytes >= 0)) throw new RangeError('head and tail sizes must be >= 0');
    this.headLeft = headBytes;
  }

  /** Splits a total limit into head and tail halves (the tail gets the odd byte). */
  static forLimit(limitBytes: number): HeadTailLimiter {
    const head = Math.floor(limitBytes / 2);
    return new HeadTailLimiter(head, limitBytes - head);
  }

  /**
   * Takes bytes just read from `stream`. Returns the part that belongs to the head (send it now),
   * or null when all of it went to the tail ring.
   */
  push(stream: StreamName, data: Buffer): Buffer | null {
    if (this.finished) throw new Error('push after finish');
    if (data.length === 0) return null;
    this.totalBytes += data.length;
    let live: Buffer | null = null;
    let rest = data;
    if (this.headLeft > 0) {
      const take = Math.min(this.headLeft, data.length);
      this.headLeft -= take;
      live = take === data.length ? data : data.subarray(0, take);
      rest = data.subarray(take);
    }
    if (rest.length > 0) this.appendTail(stream, rest);
    return live;
  }

  /** Ends the attempt: returns the kept tail in read order. */
  finish(): OutputChunk[] {
    this.finished = true;
    const out: OutputChunk[] = [];
    for (let i = this.ringFirst; i < this.ring.length; i++) {
      const e = this.ring[i];
      if (e.end > e.start) out.push({ stream: e.stream, data: e.buf.subarray(e.start, e.end) });
    }
    this.ring = [];
    this.ringFirst = 0;
    this.ringBytes = 0;
    return out;
  }

  private appendTail(stream: StreamName, data: Buffer): void {
    if (this.tailBytes === 0) {
      this.droppedBytes += data.length;
      return;
    }
    // Only the last tailBytes of this chunk can ever be kept.
    if (data.length > this.tailBytes) {
      this.droppedBytes += data.length - this.tailBytes;
      data = data.subarray(data.length - this.tailBytes);
    }
    const last = this.ring.length > this.ringFirst ? this.ring[this.ring.length - 1] : undefined;
    if (data.length >= BLOCK_BYTES) {
      // A big read is kept as it is (no copy).
      this.ring.push({ stream, buf: data, start: 0, end: data.length, appendable: false });
    } else if (last && last.appendable && last.stream === stream && last.end + data.length <= last.buf.length) {
      data.copy(last.buf, last.end);
      last.end += data.length;
    } else {
      const buf = Buffer.allocUnsafe(BLOCK_BYTES);
      data.copy(buf, 0);
      this.ring.push({ stream, buf, start: 0, end: data.length, appendable: true });
    }
    this.ringBytes += data.length;
    this.trim();
  }

  // Drops from the front of the ring until it holds at most tailBytes.
  private trim(): void {
    while (this.ringBytes > this.tailBytes) {
      const e = this.ring[this.ringFirst];
      const size = e.end - e.start;
      const excess = this.ringBytes - this.tailBytes;
      if (size <= excess) {
        this.ringFirst++;
        this.ringBytes -= size;
        this.droppedBytes += size;
      } else {
        e.start += excess;
        this.ringBytes -= excess;
        this.droppedBytes += excess;
      }
    }
    // Compact now and then so the array does not grow without bound.
    if (this.ringFirst > 64 && this.ringFirst * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.ringFirst);
      this.ringFirst = 0;
    }
  }
}
