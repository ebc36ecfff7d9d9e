// The worker process: `tsx worker/main.ts`. Polls at COURSE_POLL_MS (the truth) and wakes early
// for known deadlines and for nudges from the web process (latency only). Never sleeps longer
// than the poll interval, so a far-off fire time (a Feb 29 schedule) never overflows a timer.
import { io, type Socket } from 'socket.io-client';
import { ensureSecret } from '../lib/server/bootstrap';
import { stopWhenSupervisorGone } from '../lib/contracts/parent-watch';
import { readConfig } from '../lib/server/config';
import { openDatabase } from '../lib/server/db/client';
import type { Nudger } from '../lib/server/runs';
import { INTERNAL_NAMESPACE, toWire } from '../web/internal-hub';
import { startOutbox } from './outbox';
import { supervisePass } from './supervise';

const config = readConfig();
const db = await openDatabase(config.databaseUrl);
const secret = await ensureSecret(db);
const webUrl = process.env.COURSE_WEB_URL ?? `http://127.0.0.1:${config.port}`;

const socket: Socket = io(`${webUrl}${INTERNAL_NAMESPACE}`, { auth: { secret }, transports: ['websocket'], reconnectionDelayMax: 2000 });
const nudger: Nudger = {
  publish(post) {
    if (socket.connected && (post.executors || post.kills.length > 0 || post.runs.size > 0)) socket.emit('post', toWire(post));
  },
};

let stopping = false;
let timer: NodeJS.Timeout | null = null;
let running: Promise<void> | null = null;
let again = false;

function schedule(delayMs: number): void {
  if (stopping) return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(tick, Math.max(0, Math.min(delayMs, config.pollMs)));
}

async function pass(): Promise<void> {
  try {
    const r = await supervisePass(db, config, nudger, Date.now);
    await db.prisma.setting.upsert({
      where: { key: 'worker.heartbeat' },
      create: { key: 'worker.heartbeat', value: new Date().toISOString() },
      update: { value: new Date().toISOString() },
    });
    schedule(r.nextAt === null ? config.pollMs : r.nextAt - Date.now());
  } catch (e) {
    console.error('worker: pass failed (will retry)', e);
    schedule(config.pollMs);
  }
}

function tick(): void {
  timer = null;
  if (running) {
    again = true;
    return;
  }
  running = pass().finally(() => {
    running = null;
    if (again && !stopping) {
      again = false;
      tick();
    }
  });
}

socket.on('wake', () => schedule(0));
tick();
const outbox = startOutbox({ db, config, onWake: (wake) => socket.on('wake', wake) }); // notification deliveries, beside the passes
console.log(`course worker started (poll ${config.pollMs} ms, lease ${config.leaseMs} ms)`);

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (timer) clearTimeout(timer);
  await running;
  await outbox.stop();
  socket.close();
  await db.close();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown());
stopWhenSupervisorGone(() => void shutdown());
