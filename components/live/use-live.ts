'use client';
// useLive: keep a page in step with the server. Subscribes over Socket.io (namespace `/live`) to a
// run's or a workflow's room and calls `onNudge` whenever the server says something changed — and
// on every (re)connect, since events may have been missed meanwhile. The API stays the only truth:
// `onNudge` reloads from it. Without a socket (hub not there, subscription refused, connection
// lost) it polls every 2 s; with one, it still polls slowly as a safety net for a lost nudge.
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';

/** As lib/contracts/live.ts: a run's room, a workflow's room, or the dashboard (every run the user may see). */
export type LiveSubscription = { run: number } | { workflow: string } | { dashboard: true };

/** What the server emits to a room: a run changed (its state, when it sends one). */
export interface RunNudge {
  id: number;
  state?: string;
  workflow?: string;
  [key: string]: unknown;
}

export type LiveMode = 'connecting' | 'socket' | 'polling';

export interface LiveOptions {
  /** Poll interval without a socket (ms, default 2000). */
  pollMs?: number;
  /** Safety-net poll interval while the socket is up (ms, default 15000). */
  slowPollMs?: number;
  /** Socket.io namespace (default `/live`). */
  namespace?: string;
  /** Least time between two calls of `onNudge` for a burst of nudges (ms, default 0). */
  minGapMs?: number;
  /** false: do nothing at all (e.g. while the page has nothing to watch yet). */
  enabled?: boolean;
}

export interface LiveStatus {
  mode: LiveMode;
  /** Why the socket is not in use, when it is not. */
  detail?: string;
}

const ACK_TIMEOUT_MS = 5000;

function key(sub: LiveSubscription | LiveSubscription[] | null): string {
  if (!sub) return '';
  return JSON.stringify(Array.isArray(sub) ? sub : [sub]);
}

function refused(ack: unknown): string | null {
  if (ack === undefined || ack === null || ack === true) return null;
  if (ack === false) return 'subscription refused';
  if (typeof ack === 'object') {
    const a = ack as { ok?: unknown; error?: unknown };
    if (a.ok === false || a.error) {
      const err = a.error as { message?: unknown } | string | undefined;
      if (typeof err === 'string') return err;
      if (err && typeof err.message === 'string') return err.message;
      return 'subscription refused';
    }
  }
  return null;
}

function matches(subs: LiveSubscription[], ev: RunNudge): boolean {
  for (const s of subs) {
    if ('run' in s) {
      if (ev.id === s.run) return true;
      // A child run's change also matters to a parent's page when the server says so.
      if (ev.parentRunId === s.run || ev.rootRunId === s.run) return true;
    } else if ('workflow' in s) {
      if (ev.workflow === undefined || ev.workflow === s.workflow) return true;
    } else if ('dashboard' in s) {
      return true;
    }
  }
  return false;
}

/**
 * Call `onNudge` at once on mount, when the subscribed run(s), workflow(s) or dashboard change,
 * on every (re)connect and on a polling timer. `onNudge` may return a promise: nudges arriving while it runs are folded into one
 * more call after it, never run concurrently. `subscription` null: poll only (no socket).
 */
export function useLive(
  subscription: LiveSubscription | LiveSubscription[] | null,
  onNudge: (event?: RunNudge) => void | Promise<void>,
  opts: LiveOptions = {},
): LiveStatus {
  const { pollMs = 2000, slowPollMs = 15000, namespace = '/live', enabled = true, minGapMs = 0 } = opts;
  const [status, setStatus] = useState<LiveStatus>({ mode: subscription ? 'connecting' : 'polling' });
  const handler = useRef(onNudge);
  handler.current = onNudge;
  const subKey = key(subscription);

  useEffect(() => {
    if (!enabled) return;
    const subs: LiveSubscription[] = subKey ? (JSON.parse(subKey) as LiveSubscription[]) : [];
    let stopped = false;
    let running = false;
    let pending = false; // a nudge came while onNudge ran: call once more after it
    let pendingEvent: RunNudge | undefined;
    let live = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const fire = async (event?: RunNudge) => {
      if (stopped) return;
      if (running) {
        pending = true;
        pendingEvent = event ?? pendingEvent;
        return;
      }
      running = true;
      let ev = event;
      for (;;) {
        try {
          await handler.current(ev);
        } catch {
          // the page shows its own errors; a failed reload is retried by the next nudge or poll
        }
        if (stopped || !pending) break;
        if (minGapMs > 0) await new Promise((r) => setTimeout(r, minGapMs));
        if (stopped) break;
        pending = false;
        ev = pendingEvent;
        pendingEvent = undefined;
      }
      running = false;
    };

    const schedule = () => {
      if (timer) clearTimeout(timer);
      if (stopped) return;
      timer = setTimeout(() => {
        // A hidden tab skips the fast polls; it reloads when shown again (visibilitychange).
        if (typeof document === 'undefined' || document.visibilityState !== 'hidden' || live) void fire();
        schedule();
      }, live ? slowPollMs : pollMs);
    };

    const onVisible = () => {
      if (document.visibilityState === 'visible') void fire();
    };
    document.addEventListener('visibilitychange', onVisible);

    let socket: Socket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const setMode = (mode: LiveMode, detail?: string) => {
      if (stopped) return;
      const wasLive = live;
      live = mode === 'socket';
      setStatus({ mode, detail });
      if (wasLive !== live) schedule();
    };

    // Load at once: the socket's connect (which resyncs again) may take a while or never come.
    void fire();
    schedule();

    if (subs.length > 0) {
      socket = io(namespace, {
        path: '/socket.io',
        transports: ['websocket', 'polling'],
        withCredentials: true,
        multiplex: false,
        reconnectionDelay: 500,
        reconnectionDelayMax: 5000,
      });
      socket.on('connect', () => {
        const s = socket!;
        let pending = subs.length;
        let failure: string | null = null;
        for (const sub of subs) {
          s.timeout(ACK_TIMEOUT_MS).emit('subscribe', sub, (err: Error | null, ack: unknown) => {
            if (err) failure ??= 'no answer to subscribe';
            else failure ??= refused(ack);
            pending -= 1;
            if (pending === 0) {
              if (failure) setMode('polling', failure);
              else setMode('socket');
            }
          });
        }
        // Resync on every (re)connect: events may have been missed while disconnected.
        void fire();
      });
      socket.on('run', (ev: RunNudge) => {
        if (ev && typeof ev === 'object' && matches(subs, ev)) void fire(ev);
      });
      socket.on('dashboard', (ev: { runs?: RunNudge[] }) => {
        if (subs.some((s) => 'dashboard' in s)) void fire(ev?.runs?.[0]);
      });
      // The server asks for a full refetch (the user's access changed, say).
      socket.on('resync', () => void fire());
      // A subscription the user may no longer hold was dropped: carry on by polling.
      socket.on('unsubscribed', (ev: { error?: { message?: string } | string }) => {
        const why = typeof ev?.error === 'string' ? ev.error : ev?.error?.message;
        setMode('polling', why ?? 'unsubscribed by the server');
        void fire();
      });
      socket.on('connect_error', (e: Error) => {
        setMode('polling', e.message);
        // Refused by the server (no such namespace yet, or a middleware said no): socket.io does
        // not retry those by itself. Try again now and then; polling carries on meanwhile.
        if (socket && !socket.active) {
          if (retry) clearTimeout(retry);
          retry = setTimeout(() => {
            if (!stopped) socket?.connect();
          }, 30_000);
        }
      });
      socket.on('disconnect', (reason: string) => setMode('polling', `disconnected: ${reason}`));
    }

    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (retry) clearTimeout(retry);
      document.removeEventListener('visibilitychange', onVisible);
      socket?.removeAllListeners();
      socket?.disconnect();
    };
  }, [subKey, enabled, pollMs, slowPollMs, namespace, minGapMs]);

  return status;
}
