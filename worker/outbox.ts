// The worker's outbox delivery loop (DESIGN.md, "Processes": the worker delivers notifications
// from an outbox). It runs beside the supervision passes and never inside their transactions:
// claim due deliveries (a short write transaction), send them concurrently — at most
// COURSE_OUTBOX_CONCURRENCY at once, each bounded by its timeout — and record each outcome (another
// short transaction). A slow or silent receiver holds one slot for its timeout, never the worker's
// other duties, and never a run. Polls at COURSE_POLL_MS (the truth), wakes early for the next
// due delivery and for nudges.
import type { Config } from '../lib/server/config';
import type { Database } from '../lib/server/db/client';
import { claimDue, nextDueAt, recordOutcome, sendDelivery, type ClaimedDelivery, type NotifySettings } from '../lib/server/notify';
import { notifySettings } from '../lib/server/notify/settings';

export interface Outbox {
  /** Look for due deliveries now (a nudge). */
  wake(): void;
  /** Stop claiming; let deliveries in flight finish for up to `graceMs`, then interrupt and hand back the rest. */
  stop(graceMs?: number): Promise<void>;
  /** Deliveries in flight (tests, health). */
  inFlight(): number;
}

export interface OutboxOptions {
  db: Database;
  config: Pick<Config, 'pollMs'>;
  settings?: NotifySettings;
  now?: () => number;
  /** Where problems are reported (default console). */
  log?: (message: string, error?: unknown) => void;
  /** Nudges from the web process: `socket.on('wake', …)`. */
  onWake?: (listener: () => void) => void;
}

export function startOutbox(opts: OutboxOptions): Outbox {
  const { db } = opts;
  const settings = opts.settings ?? notifySettings();
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((m: string, e?: unknown) => (e === undefined ? console.log(m) : console.error(m, e)));
  const inFlight = new Map<number, Promise<void>>();
  const stopController = new AbortController();
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let claiming: Promise<void> | null = null;
  let again = false;

  function schedule(delayMs: number): void {
    if (stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, Math.max(0, Math.min(delayMs, opts.config.pollMs)));
  }

  function tick(): void {
    timer = null;
    if (stopping) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = claimAndStart().finally(() => {
      claiming = null;
      if (again && !stopping) {
        again = false;
        tick();
      }
    });
  }

  async function claimAndStart(): Promise<void> {
    try {
      const free = settings.concurrency - inFlight.size;
      const claimed = free > 0 ? await claimDue(db, now(), free, settings) : [];
      for (const d of claimed) start(d);
      if (stopping) return;
      if (claimed.length > 0 && claimed.length === free) return; // a finished delivery looks again
      if (inFlight.size >= settings.concurrency) return;
      const next = await nextDueAt(db.prisma);
      schedule(next === null ? opts.config.pollMs : next - now());
    } catch (e) {
      log('outbox: claiming deliveries failed (will retry)', e);
      schedule(opts.config.pollMs);
    }
  }

  function start(d: ClaimedDelivery): void {
    const p = (async () => {
      const outcome = await sendDelivery(d, settings, stopController.signal);
      const interrupted = !outcome.ok && stopController.signal.aborted;
      try {
        const r = await recordOutcome(db, d, outcome, now(), settings, interrupted);
        if (r.recorded === 'dead') log(`outbox: delivery ${d.id} (${d.event} to ${d.channel}) is dead: ${outcome.ok ? '' : outcome.error}`);
      } catch (e) {
        // The claim lapses and the row comes back: at least once, never lost.
        log(`outbox: recording the outcome of delivery ${d.id} failed; it will be retried when its lease lapses`, e);
      }
    })().finally(() => {
      inFlight.delete(d.id);
      if (!stopping) schedule(0);
    });
    inFlight.set(d.id, p);
  }

  opts.onWake?.(() => schedule(0));
  schedule(0);

  return {
    wake: () => schedule(0),
    inFlight: () => inFlight.size,
    async stop(graceMs = 2000) {
      if (stopping) return;
      stopping = true;
      if (timer) clearTimeout(timer);
      await claiming;
      if (inFlight.size > 0) {
        let graceTimer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.allSettled([...inFlight.values()]), new Promise((r) => (graceTimer = setTimeout(r, graceMs)))]);
        clearTimeout(graceTimer);
      }
      if (inFlight.size > 0) {
        stopController.abort();
        await Promise.allSettled([...inFlight.values()]);
      }
    },
  };
}
