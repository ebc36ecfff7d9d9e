import { describe, expect, it } from 'vitest';
import type { OutputMessage, Report, ReportAck } from '../lib/contracts/executor-protocol.ts';
import { Outbox } from './outbox.ts';

// A transport that records what was sent and lets the test answer (or fail) each report.
function fakeTransport() {
  const sent: string[] = [];
  const pending: { msg: Report; resolve: (a: ReportAck) => void; reject: (e: Error) => void }[] = [];
  return {
    sent,
    pending,
    transport: {
      output: (m: OutputMessage) => void sent.push(`out ${m.attemptId}:${m.seq}`),
      report: (m: Report) =>
        new Promise<ReportAck>((resolve, reject) => {
          sent.push(`report ${m.attemptId}`);
          pending.push({ msg: m, resolve, reject });
        }),
    },
  };
}
const out = (attemptId: number, seq: number): OutputMessage => ({ attemptId, seq, stream: 'stdout', data: new Uint8Array([seq]) });
const rep = (attemptId: number): Report => ({ attemptId, exitCode: 0, signal: null, spawnedAt: 1, exitedAt: 2, droppedBytes: 0, claimNext: 1 });
const tick = () => new Promise((r) => setImmediate(r));

describe('Outbox', () => {
  it('holds everything until up, then sends in order', async () => {
    const f = fakeTransport();
    const box = new Outbox(f.transport);
    box.output(out(1, 0));
    const acked = box.report(rep(1));
    box.output(out(2, 0));
    expect(f.sent).toEqual([]);
    expect(box.pendingReports()).toEqual([1]);
    box.up();
    expect(f.sent).toEqual(['out 1:0', 'report 1', 'out 2:0']);
    f.pending[0].resolve({ ok: true, tasks: [] });
    await expect(acked).resolves.toEqual({ ok: true, tasks: [] });
    expect(box.isIdle()).toBe(true);
  });

  it('sends an unacknowledged report again after a reconnect, before newer messages', async () => {
    const f = fakeTransport();
    const box = new Outbox(f.transport);
    box.up();
    const acked = box.report(rep(1));
    box.down();
    f.pending[0].reject(new Error('socket has been disconnected'));
    await tick();
    box.output(out(2, 0));
    expect(box.pendingReports()).toEqual([1]);
    box.up();
    expect(f.sent).toEqual(['report 1', 'report 1', 'out 2:0']);
    f.pending[1].resolve({ ok: false, error: 'stale', tasks: [] });
    await expect(acked).resolves.toMatchObject({ ok: false, error: 'stale' });
    expect(box.pendingReports()).toEqual([]);
  });

  it('sends a report again at once when its ack timed out on a live connection', async () => {
    const f = fakeTransport();
    const box = new Outbox(f.transport);
    box.up();
    const acked = box.report(rep(3));
    f.pending[0].reject(new Error('operation has timed out'));
    await tick();
    expect(f.sent).toEqual(['report 3', 'report 3']);
    f.pending[1].resolve({ ok: true, tasks: [] });
    await expect(acked).resolves.toMatchObject({ ok: true });
  });

  it('idle() waits for the last ack', async () => {
    const f = fakeTransport();
    const box = new Outbox(f.transport);
    box.up();
    void box.report(rep(1));
    let idle = false;
    void box.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    f.pending[0].resolve({ ok: true, tasks: [] });
    await tick();
    expect(idle).toBe(true);
  });
});
