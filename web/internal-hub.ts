// The internal socket between the worker and the web process. Nudges only (DESIGN.md): the
// worker tells the web what its commits changed so executors and watchers hear at once; the web
// wakes the worker when timers changed. Authenticated with the site secret.
import { timingSafeEqual } from 'node:crypto';
import type { Namespace, Server } from 'socket.io';
import type { PostCommit } from '../lib/server/runs';

export const INTERNAL_NAMESPACE = '/internal';

/** A PostCommit as it crosses the socket. */
export interface WirePost {
  executors: boolean;
  worker: boolean;
  runs: number[];
  kills: PostCommit['kills'];
}

export const toWire = (p: PostCommit): WirePost => ({ executors: p.executors, worker: p.worker, runs: [...p.runs], kills: p.kills });
export const fromWire = (w: WirePost): PostCommit => ({ executors: w.executors, queued: 0, worker: w.worker, runs: new Set(w.runs), kills: w.kills, snapshots: new Map(), timeline: [] });

export function attachInternalHub(io: Server, secret: string, onPost: (post: PostCommit) => void): { wakeWorker(): void; nsp: Namespace } {
  const nsp = io.of(INTERNAL_NAMESPACE);
  const expected = Buffer.from(secret);
  nsp.use((socket, next) => {
    const given = Buffer.from(String((socket.handshake.auth as { secret?: unknown })?.secret ?? ''));
    if (given.length === expected.length && timingSafeEqual(given, expected)) next();
    else next(new Error('internal socket: wrong secret'));
  });
  nsp.on('connection', (socket) => {
    socket.on('post', (w: WirePost) => onPost(fromWire(w)));
  });
  return { nsp, wakeWorker: () => nsp.emit('wake') };
}
