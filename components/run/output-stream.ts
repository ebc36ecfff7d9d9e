// Reading a job's output as it streams: bytes in, text out, decoded leniently (invalid UTF-8
// becomes U+FFFD, a character split across chunks is kept whole), bounded to the last `max`
// characters so a chatty job cannot eat the tab. Pure apart from the reader it is handed.

export interface OutputSink {
  /** Called with the whole text so far (after trimming), at most every `flushMs`. */
  onText(text: string, trimmed: boolean): void;
}

export const MAX_OUTPUT_CHARS = 2_000_000;

export class OutputBuffer {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private text = '';
  trimmed = false;
  constructor(private readonly max = MAX_OUTPUT_CHARS) {}

  push(bytes: Uint8Array): void {
    this.append(this.decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    this.append(this.decoder.decode());
  }

  value(): string {
    return this.text;
  }

  private append(s: string): void {
    if (!s) return;
    this.text += s;
    if (this.text.length > this.max) {
      // Cut at a line start where there is one near, so the first line shown is whole.
      let cut = this.text.length - this.max;
      const nl = this.text.indexOf('\n', cut);
      if (nl !== -1 && nl - cut < 4096) cut = nl + 1;
      this.text = this.text.slice(cut);
      this.trimmed = true;
    }
  }
}

/** Reads `body` to its end into `buffer`, calling `flush` at most every `flushMs` and once at the end. */
export async function pump(body: ReadableStream<Uint8Array>, buffer: OutputBuffer, flush: () => void, flushMs = 100, signal?: AbortSignal): Promise<void> {
  const reader = body.getReader();
  let last = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    const now = Date.now();
    if (now - last >= flushMs) {
      last = now;
      flush();
    } else if (!pending) {
      pending = setTimeout(() => {
        pending = undefined;
        last = Date.now();
        flush();
      }, flushMs - (now - last));
    }
  };
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      if (done) break;
      if (value) buffer.push(value);
      schedule();
    }
    buffer.end();
  } finally {
    if (pending) clearTimeout(pending);
    reader.releaseLock();
  }
  flush();
}
