// Batches output into fewer, bigger messages: bytes of one stream are gathered until `maxBytes`
// are pending or `maxDelayMs` has passed since the first pending byte, whichever comes first.
// A switch of stream flushes first, so messages keep the exact read order across both streams.
// `flush()` sends at once: the runner calls it when the task exits, so batching never delays the
// exit report.

import type { StreamName } from './output-limit.ts';

export interface BatcherOptions {
  maxBytes?: number;
  maxDelayMs?: number;
}

export const DEFAULT_BATCH_BYTES = 64 * 1024;
export const DEFAULT_BATCH_DELAY_MS = 50;

export class OutputBatcher {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingStream: StreamName | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly maxBytes: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly emit: (stream: StreamName, data: Buffer) => void,
    opts: BatcherOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_BATCH_BYTES;
    this.maxDelayMs = opts.maxDelayMs ?? DEFAULT_BATCH_DELAY_MS;
  }

  push(stream: StreamName, data: Buffer): void {
    if (data.length === 0) return;
    if (this.pendingStream !== null && this.pendingStream !== stream) this.flush();
    this.pendingStream = stream;
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= this.maxBytes) this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pendingStream === null) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    const stream = this.pendingStream;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingStream = null;
    this.emit(stream, data);
  }
}
