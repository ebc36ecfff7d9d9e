// The web process: one HTTP server for the GUI (Next.js), the /api/v1 API (our router: see
// docs/decisions/api-outside-next.md) and Socket.io (executors, the worker, browsers).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Server } from 'socket.io';
import { createApiHandler } from '../api/router';
import { runRoutes } from '../api/run-routes';
import { createAuthBridge } from '../lib/server/auth/bridge';
import { installAuthBridge } from '../lib/server/auth/bridge-types';
import { readOidcSettings } from '../lib/server/auth/oidc';
import { sessionMaxAgeMs } from '../lib/server/auth/sessions';
import { ensureSecret } from '../lib/server/bootstrap';
import { readConfig, type Config } from '../lib/server/config';
import { openDatabase, type Database } from '../lib/server/db/client';
import { startWebHeartbeat } from '../lib/server/liveness';
import type { Nudger, PostCommit } from '../lib/server/runs';
import { attachExecutorHub } from './executor-hub';
import { attachInternalHub } from './internal-hub';
import { attachLiveHub, type LiveHub } from './live-hub';

export interface WebOptions {
  config?: Config;
  /** false: API and sockets only (integration tests); everything else is a 404. */
  next?: boolean;
  dev?: boolean;
}

export interface Web {
  port: number;
  db: Database;
  close(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..');

export async function startWeb(opts: WebOptions = {}): Promise<Web> {
  const config = opts.config ?? readConfig();
  const db = await openDatabase(config.databaseUrl);
  const secret = await ensureSecret(db);
  const sessionMs = sessionMaxAgeMs();

  // next-auth (app/api/auth/[...nextauth]) runs inside Next, in this process: it encrypts sessions
  // with the site secret, takes origins from each request's Host (sign-in works on any host and
  // port with no settings; NEXTAUTH_URL, when set, pins one) and reaches the database through the
  // auth bridge. All of it before Next prepares. docs/auth.md.
  process.env.NEXTAUTH_SECRET = secret;
  if (!process.env.AUTH_TRUST_HOST) process.env.AUTH_TRUST_HOST = 'true';
  // An empty NEXTAUTH_URL is not "unset" to next-auth: `new URL('')` throws while rendering.
  for (const name of ['NEXTAUTH_URL', 'NEXTAUTH_URL_INTERNAL'] as const) if (process.env[name]?.trim() === '') delete process.env[name];
  installAuthBridge(createAuthBridge(db, { sessionMaxAgeMs: sessionMs, oidc: readOidcSettings() }));

  let pageHandler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void = (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  };
  if (opts.next !== false) {
    const { default: next } = await import('next');
    const app = next({ dev: opts.dev ?? false, dir: root, port: config.port });
    await app.prepare();
    const handle = app.getRequestHandler();
    pageHandler = (req, res) => handle(normalizeForwarded(req), res);
  }

  // The nudger is built before the hubs it drives; they are filled in right below.
  const hubs: { executors?: ReturnType<typeof attachExecutorHub>; internal?: ReturnType<typeof attachInternalHub>; live?: LiveHub } = {};
  const nudger: Nudger = {
    publish(post: PostCommit) {
      if (post.executors) hubs.executors?.nudgeAll();
      for (const k of post.kills) hubs.executors?.kill(k.executorId, k.attemptId, k.reason);
      if (post.worker) hubs.internal?.wakeWorker();
      if (post.runs.size > 0) hubs.live?.publish(post.runs);
    },
  };
  const api = createApiHandler({
    db,
    now: Date.now,
    publicUrl: config.publicUrl,
    secret,
    routes: runRoutes(nudger),
    onAccessChanged: (userIds) => void hubs.live?.accessChanged(userIds),
  });

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/api/v1' || url.startsWith('/api/v1/') || url.startsWith('/api/v1?')) {
      void api(req, res);
      return;
    }
    void pageHandler(req, res);
  });
  // Output chunks are up to 64 KiB; leave room for a batch of them.
  const io = new Server(server, { maxHttpBufferSize: 8 * 1024 * 1024, serveClient: false });
  hubs.executors = attachExecutorHub(io, db, config, nudger);
  hubs.live = attachLiveHub(io, db, { secret, sessionMaxAgeMs: sessionMs });
  // The worker's commits reach executors and watchers through here; never echo back to it.
  hubs.internal = attachInternalHub(io, secret, (post) => nudger.publish({ ...post, worker: false }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const stopHeartbeat = await startWebHeartbeat(db, config.heartbeatMs, config.leaseMs);

  return {
    port,
    db,
    async close() {
      stopHeartbeat();
      hubs.live?.close();
      io.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/**
 * A proxy chain may send `X-Forwarded-Proto: https, http` or several hosts; next-auth compares
 * the protocol with "http" exactly. Keep the first (the client-facing) value of each.
 */
function normalizeForwarded(req: IncomingMessage): IncomingMessage {
  for (const name of ['x-forwarded-proto', 'x-forwarded-host'] as const) {
    const v = req.headers[name];
    const first = (Array.isArray(v) ? v[0] : v)?.split(',')[0].trim();
    if (first) req.headers[name] = first;
    else delete req.headers[name];
  }
  return req;
}
