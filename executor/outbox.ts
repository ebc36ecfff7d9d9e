// Everything the executor sends about its attempts (output, then the report), in order, across
// reconnects. While the socket is down (or the hello not yet acknowledged) messages wait here and go
// out in their original order once it is up again. A report stays here until the server
// acknowledges it: one sent just before a disconnect is sent again after the reconnect, and one
// whose ack timed out on a live socket is sent again at once. A duplicate is harmless: the server
// refuses a report for an attempt that has already ended (`ok: false`), and the agent drops it.
//
// Output is fire-and-forget (the protocol has no ack for it): what was written into a socket that
// died before delivering it is lost, and the seq numbers let the server see the gap. Output
// produced while the socket is down is kept and sent after the reconnect.

import type { OutputMessage, Report, ReportAck } from '../lib/contracts/executor-protocol.ts';

export interface OutboxTransport {
  output(msg: OutputMessage): void;
  /** Sends a report and resolves with its ack; rejects when none came (timeout, disconnect). */
  report(msg: Report): Promise<ReportAck>;
}

interface OutputItem {
  kind: 'output';
  msg: OutputMessage;
}

interface ReportItem {
  kind: 'report';
  msg: Report;
  state: 'queued' | 'sent' | 'done';
  order: number;
  resolve: (ack: ReportAck) => void;
}

type Item = OutputItem | ReportItem;

export class Outbox {
  private queue: Item[] = [];
  private unacked: ReportItem[] = [];
  private isUp = false;
  private session = 0;
  private order = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly transport: OutboxTransport) {}

  output(msg: OutputMessage): void {
    if (this.isUp && this.queue.length === 0) this.transport.output(msg);
    else this.queue.push({ kind: 'output', msg });
  }

  /** Resolves with the server's ack, however many reconnects that takes. */
  report(msg: Report): Promise<ReportAck> {
    return new Promise((resolve) => {
      const item: ReportItem = { kind: 'report', msg, state: 'queued', order: this.order++, resolve };
      if (this.isUp && this.queue.length === 0) this.send(item);
      else this.queue.push(item);
    });
  }

  /** The connection is ready (hello acknowledged): send what waited, unacked reports first. */
  up(): void {
    this.isUp = true;
    this.session++;
    // They were sent before anything still queued, so they go first again.
    const again = this.unacked.sort((a, b) => a.order - b.order);
    this.unacked = [];
    for (const r of again) r.state = 'queued';
    this.queue = [...again, ...this.queue];
    this.flush();
  }

  down(): void {
    this.isUp = false;
    this.session++;
  }

  /** Attempts whose report the server has not acknowledged yet. */
  pendingReports(): number[] {
    const ids: number[] = [];
    for (const r of this.unacked) ids.push(r.msg.attemptId);
    for (const i of this.queue) if (i.kind === 'report') ids.push(i.msg.attemptId);
    return ids;
  }

  isIdle(): boolean {
    return this.queue.length === 0 && this.unacked.length === 0;
  }

  /** Resolves once nothing waits to be sent or acknowledged. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private flush(): void {
    while (this.isUp && this.queue.length > 0) {
      const item = this.queue.shift()!;
      if (item.kind === 'output') this.transport.output(item.msg);
      else this.send(item);
    }
    this.checkIdle();
  }

  private send(item: ReportItem): void {
    const session = this.session;
    item.state = 'sent';
    this.unacked.push(item);
    this.transport.report(item.msg).then(
      (ack) => {
        if (item.state === 'done') return;
        item.state = 'done';
        this.unacked = this.unacked.filter((r) => r !== item);
        this.queue = this.queue.filter((r) => r !== item);
        item.resolve(ack);
        this.checkIdle();
      },
      () => {
        // Lost with the connection: up() sends it again. Still up: the ack timed out, send again.
        if (item.state !== 'sent' || session !== this.session || !this.isUp) return;
        this.unacked = this.unacked.filter((r) => r !== item);
        this.send(item);
      },
    );
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
