// The web process's liveness, as the worker needs it: executors heartbeat through the web, so
// while the web is down (or has only just come back) a silent executor proves nothing, and its
// attempts must not be declared lost for it. The web writes these settings; the worker reads them.
import type { Database, Tx } from './db/client';

export const WEB_HEARTBEAT = 'web.heartbeat';
export const WEB_UP_SINCE = 'web.upSince';

async function put(db: Database, key: string, value: string): Promise<void> {
  await db.prisma.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

/**
 * Marks the web up now and keeps its heartbeat fresh; returns a stop function. Every executing
 * attempt gets a whole lease from now: while the web was down its executor could not renew it.
 */
export async function startWebHeartbeat(db: Database, everyMs: number, leaseMs: number, now: () => number = Date.now): Promise<() => void> {
  await db.prisma.attempt.updateMany({ where: { state: 'executing' }, data: { leaseExpiresAt: new Date(now() + leaseMs) } });
  await put(db, WEB_UP_SINCE, new Date(now()).toISOString());
  await put(db, WEB_HEARTBEAT, new Date(now()).toISOString());
  const timer = setInterval(() => {
    put(db, WEB_HEARTBEAT, new Date(now()).toISOString()).catch((e) => console.error('web heartbeat:', e));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * True when executors have had a fair chance to heartbeat: the web is up (fresh heartbeat) and
 * has been up for a whole lease, so executors that reconnected after a web restart renewed.
 */
export async function executorsCouldHeartbeat(tx: Tx, now: number, leaseMs: number): Promise<boolean> {
  const rows = await tx.setting.findMany({ where: { key: { in: [WEB_HEARTBEAT, WEB_UP_SINCE] } } });
  const at = (key: string) => {
    const v = rows.find((r) => r.key === key)?.value;
    return v ? Date.parse(v) : NaN;
  };
  const beat = at(WEB_HEARTBEAT);
  const upSince = at(WEB_UP_SINCE);
  if (Number.isNaN(beat) || Number.isNaN(upSince)) return false;
  return now - beat < leaseMs && now - upSince >= leaseMs;
}
