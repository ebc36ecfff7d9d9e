// Settings from the environment (CONTRACT.md, "Starting"), read once per process.
import { resolveDatabaseUrl } from './db/url';

export interface Config {
  port: number;
  databaseUrl: string;
  publicUrl: string;
  heartbeatMs: number;
  leaseMs: number;
  pollMs: number;
  killGraceMs: number;
  /** Output bytes kept per attempt (head and tail). */
  outputLimitBytes: number;
}

function ms(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${raw} is not a number of milliseconds`);
  return n;
}

export function readConfig(env = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${env.PORT} is not a port number`);
  const heartbeatMs = ms('COURSE_HEARTBEAT_MS', 2000);
  return {
    port,
    databaseUrl: resolveDatabaseUrl(env.DATABASE_URL),
    publicUrl: (env.COURSE_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    heartbeatMs,
    // Three missed heartbeats, so one slow one never declares an executor lost.
    leaseMs: ms('COURSE_LEASE_MS', Math.max(heartbeatMs * 3, 1000)),
    pollMs: ms('COURSE_POLL_MS', 1000),
    killGraceMs: ms('COURSE_KILL_GRACE_MS', 5000),
    outputLimitBytes: ms('COURSE_OUTPUT_LIMIT_BYTES', 10 * 1024 * 1024),
  };
}
