// The browsers' live socket: Socket.io namespace `/live` (protocol: lib/contracts/live.ts).
// Nudges only (DESIGN.md): a page refetches from the API when told a run changed, and on every
// reconnect, so a lost nudge costs latency, never correctness.
//
// - Handshake: the next-auth session cookie (same origin only), or `auth: { token }` / an
//   `Authorization: Bearer` header with an API token. Refused otherwise, with the reason.
// - `subscribe {run}` / `{workflow}` / `{dashboard: true}` passes the API's own permission check
//   (viewer) before the socket joins anything. The rooms joined carry the group the check passed
//   for (`run:7@3`, `workflow:etl@3`, `dashboard@3`; `@all` for site admins), and emits go to the
//   run's *current* group's rooms: a workflow moved to a group the user is not in stops reaching
//   them at once. A change to a user's access (membership, disabled, password reset) runs their
//   sockets' subscriptions through the check again (accessChanged): refused ones are left and
//   the socket is told (`unsubscribed`, then `resync`); a disabled user's sockets are dropped.
// - publish(runIds), fed by the nudger with every committed PostCommit (the web's own and the
//   worker's, through the internal hub), emits `run` to the run's and its workflow's rooms and
//   `dashboard` to its group's dashboard room. Throttled per run: the first change is sent at
//   once, later ones within `throttleMs` (100 ms) fold into one trailing emit that reads the state
//   after them, so a 500-job run sends at most ~10 nudges a second, each with the latest state.
import type { Namespace, Server, Socket } from 'socket.io';
import { LIVE_NAMESPACE, LiveSubscribe, type DashboardNudge, type LiveAck, type RunNudge } from '../lib/contracts/live';
import { authenticate, requireRunRole, requireWorkflowRole, resolveToken, sameOrigin, visibleGroups, type Principal } from '../lib/server/auth';
import type { Database } from '../lib/server/db/client';
import { isApiError } from '../lib/server/errors';

export interface LiveHubOptions {
  /** The site secret (decodes the next-auth session cookie). */
  secret: string;
  now?: () => number;
  /** At most one `run` emit per run per this many ms (default 100). */
  throttleMs?: number;
  sessionMaxAgeMs?: number;
  /** Subscriptions one socket may hold (default 500). */
  maxSubscriptions?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface LiveHub {
  nsp: Namespace;
  /** Runs whose state (or whose job runs' states) changed, or that were created. */
  publish(runIds: Iterable<number>): void;
  /** These users' access changed: their sockets' subscriptions go through the check again (refused ones are left, `unsubscribed` and `resync` are sent). */
  accessChanged(userIds: Iterable<number>): Promise<void>;
  close(): void;
}

interface LiveData {
  principal: Principal;
  /** Re-checks the credential the socket connected with (a disabled user, a revoked token, an ended session). */
  refresh: () => Promise<Principal>;
  /** Public room name (`run:7`, `workflow:etl`, `dashboard`) → what was asked and the internal rooms joined for it. */
  subs: Map<string, { sub: LiveSubscribe; rooms: string[] }>;
}

type LiveSocket = Socket & { data: LiveData };

const groupRoom = (base: string, groupId: number | 'all') => `${base}@${groupId}`;

function errorAck(e: unknown): LiveAck {
  if (isApiError(e)) return { ok: false, error: { code: e.code, message: e.message } };
  return { ok: false, error: { code: 'internal', message: 'the subscription failed on the server; the page keeps polling' } };
}

export function attachLiveHub(io: Server, db: Database, opts: LiveHubOptions): LiveHub {
  const nsp = io.of(LIVE_NAMESPACE);
  const now = opts.now ?? Date.now;
  const throttleMs = opts.throttleMs ?? 100;
  const maxSubs = opts.maxSubscriptions ?? 500;
  const log = opts.log ?? ((m: string, e?: unknown) => console.error(m, e ?? ''));
  const authOpts = { secret: opts.secret, sessionMaxAgeMs: opts.sessionMaxAgeMs };

  nsp.use(async (socket, next) => {
    try {
      const req = socket.request;
      const given = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      let refresh: () => Promise<Principal>;
      if (typeof given === 'string' && given !== '') {
        refresh = () => resolveToken(db, given, now(), 'token');
      } else {
        const first = await authenticate(db, req, now(), authOpts);
        if (!first) return next(new Error('sign in first: open /login (the session cookie), or pass auth: { token } with an API token'));
        // A page of another origin (even another port of this host) must not watch with the user's cookie.
        if (first.via === 'session' && !sameOrigin(req)) return next(new Error('a live socket opened with the session cookie must come from this site’s own pages'));
        refresh = async () => (await authenticate(db, req, now(), authOpts))!;
      }
      const principal = await refresh();
      Object.assign(socket.data, { principal, refresh, subs: new Map() } satisfies LiveData);
      next();
    } catch (e) {
      if (!isApiError(e)) log('live socket: authentication failed', e);
      next(new Error(isApiError(e) ? e.message : 'authentication failed on the server'));
    }
  });

  /** The internal rooms a subscription joins, after the permission check (throws the API's error when refused). */
  async function roomsFor(principal: Principal, sub: LiveSubscribe): Promise<{ room: string; rooms: string[] }> {
    if ('run' in sub) {
      const wf = await requireRunRole(db, principal, sub.run, 'viewer', 'see its runs');
      const room = `run:${sub.run}`;
      return { room, rooms: [groupRoom(room, principal.isSiteAdmin ? 'all' : wf.groupId)] };
    }
    if ('workflow' in sub) {
      const wf = await requireWorkflowRole(db, principal, sub.workflow, 'viewer', 'see its runs');
      const room = `workflow:${sub.workflow}`;
      return { room, rooms: [groupRoom(room, principal.isSiteAdmin ? 'all' : wf.groupId)] };
    }
    const visible = await visibleGroups(db, principal);
    return { room: 'dashboard', rooms: visible === 'all' ? [groupRoom('dashboard', 'all')] : [...visible.keys()].map((g) => groupRoom('dashboard', g)) };
  }

  const publicRoom = (sub: LiveSubscribe) => ('run' in sub ? `run:${sub.run}` : 'workflow' in sub ? `workflow:${sub.workflow}` : 'dashboard');

  function setRooms(socket: LiveSocket, room: string, sub: LiveSubscribe, rooms: string[]): void {
    const previous = socket.data.subs.get(room);
    for (const r of previous?.rooms ?? []) if (!rooms.includes(r)) void socket.leave(r);
    socket.data.subs.set(room, { sub, rooms });
    void socket.join(rooms);
  }

  function drop(socket: LiveSocket, room: string): void {
    for (const r of socket.data.subs.get(room)?.rooms ?? []) void socket.leave(r);
    socket.data.subs.delete(room);
  }

  /** Runs every subscription of the socket through the check again: refused ones are left (and told), the rest follow the user's groups. */
  async function revalidate(socket: LiveSocket): Promise<void> {
    let principal: Principal;
    try {
      principal = await socket.data.refresh();
    } catch (e) {
      socket.emit('resync', {});
      socket.disconnect(true);
      if (!isApiError(e)) log('live socket: re-checking the credential failed', e);
      return;
    }
    socket.data.principal = principal;
    for (const [room, { sub }] of [...socket.data.subs]) {
      try {
        setRooms(socket, room, sub, (await roomsFor(principal, sub)).rooms);
      } catch (e) {
        drop(socket, room);
        const ack = errorAck(e);
        socket.emit('unsubscribed', { room, ...(ack.ok ? {} : { error: ack.error }) });
      }
    }
    socket.emit('resync', {});
  }

  nsp.on('connection', (raw) => {
    const socket = raw as LiveSocket;

    socket.on('subscribe', async (payload: unknown, ack?: (a: LiveAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = LiveSubscribe.safeParse(payload);
      if (!parsed.success) {
        reply({ ok: false, error: { code: 'invalid_subscription', message: 'subscribe with { run: ID }, { workflow: NAME } or { dashboard: true }' } });
        return;
      }
      try {
        const principal = await socket.data.refresh();
        socket.data.principal = principal;
        const { room, rooms } = await roomsFor(principal, parsed.data);
        if (!socket.data.subs.has(room) && socket.data.subs.size >= maxSubs) {
          reply({ ok: false, error: { code: 'too_many_subscriptions', message: `a socket may hold at most ${maxSubs} subscriptions; unsubscribe some first` } });
          return;
        }
        setRooms(socket, room, parsed.data, rooms);
        reply({ ok: true, room });
      } catch (e) {
        if (!isApiError(e)) log('live socket: subscribe failed', e);
        reply(errorAck(e));
        // The credential no longer holds (user disabled, token revoked, session over): nothing more to see.
        if (isApiError(e) && e.status === 401) socket.disconnect(true);
      }
    });

    socket.on('unsubscribe', (payload: unknown, ack?: (a: LiveAck) => void) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      const parsed = LiveSubscribe.safeParse(payload);
      if (!parsed.success) {
        reply({ ok: false, error: { code: 'invalid_subscription', message: 'unsubscribe with { run: ID }, { workflow: NAME } or { dashboard: true }' } });
        return;
      }
      const room = publicRoom(parsed.data);
      drop(socket, room);
      reply({ ok: true, room });
    });
  });

  // ---- emitting, throttled per run ----
  const lastEmit = new Map<number, number>();
  const trailing = new Map<number, NodeJS.Timeout>();
  const due = new Set<number>();
  let flushScheduled = false;
  let closed = false;

  const markDue = (id: number) => {
    due.add(id);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => void flush());
  };

  async function flush(): Promise<void> {
    flushScheduled = false;
    if (closed || due.size === 0) return;
    const ids = [...due];
    due.clear();
    const t = now();
    for (const id of ids) lastEmit.set(id, t);
    if (lastEmit.size > 5000) for (const [id, at] of lastEmit) if (t - at > throttleMs * 10) lastEmit.delete(id);
    try {
      const runs = await db.prisma.run.findMany({
        where: { id: { in: ids } },
        select: { id: true, state: true, lockVersion: true, parentJobRunId: true, rootRunId: true, workflow: { select: { name: true, groupId: true } } },
      });
      const parentJobs = runs.flatMap((r) => (r.parentJobRunId === null ? [] : [r.parentJobRunId]));
      const parents = parentJobs.length
        ? new Map((await db.prisma.jobRun.findMany({ where: { id: { in: parentJobs } }, select: { id: true, runId: true } })).map((j) => [j.id, j.runId]))
        : new Map<number, number>();
      const at = new Date(t).toISOString();
      const byGroup = new Map<number, DashboardNudge['runs']>();
      for (const r of runs) {
        const nudge: RunNudge = {
          id: r.id,
          workflow: r.workflow.name,
          state: r.state,
          version: r.lockVersion,
          at,
          parentRunId: r.parentJobRunId === null ? null : (parents.get(r.parentJobRunId) ?? null),
          rootRunId: r.rootRunId,
        };
        const g = r.workflow.groupId;
        nsp
          .to([groupRoom(`run:${r.id}`, g), groupRoom(`run:${r.id}`, 'all'), groupRoom(`workflow:${r.workflow.name}`, g), groupRoom(`workflow:${r.workflow.name}`, 'all')])
          .emit('run', nudge);
        const list = byGroup.get(g) ?? [];
        list.push({ id: r.id, workflow: r.workflow.name, state: r.state, version: r.lockVersion });
        byGroup.set(g, list);
      }
      for (const [g, list] of byGroup) nsp.to(groupRoom('dashboard', g)).emit('dashboard', { runs: list, at } satisfies DashboardNudge);
      if (byGroup.size > 0) nsp.to(groupRoom('dashboard', 'all')).emit('dashboard', { runs: [...byGroup.values()].flat(), at } satisfies DashboardNudge);
    } catch (e) {
      // A nudge lost: pages still poll and resync (latency, not correctness).
      log('live hub: reading changed runs failed', e);
    }
  }

  return {
    nsp,
    publish(runIds) {
      if (closed) return;
      for (const id of runIds) {
        if (due.has(id) || trailing.has(id)) continue; // an emit is coming, and it reads the state then
        const wait = (lastEmit.get(id) ?? -Infinity) + throttleMs - now();
        if (wait <= 0) {
          markDue(id);
        } else {
          trailing.set(
            id,
            setTimeout(() => {
              trailing.delete(id);
              markDue(id);
            }, wait),
          );
        }
      }
    },
    async accessChanged(userIds) {
      const users = new Set(userIds);
      const sockets = [...nsp.sockets.values()].filter((s) => users.has((s as LiveSocket).data.principal?.userId));
      await Promise.all(sockets.map((s) => revalidate(s as LiveSocket)));
    },
    close() {
      closed = true;
      for (const t of trailing.values()) clearTimeout(t);
      trailing.clear();
      due.clear();
    },
  };
}
