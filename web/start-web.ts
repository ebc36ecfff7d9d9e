// The web process: one HTTP server for the GUI (Next.js), the /api/v1 API (our router: see
// docs/decisions/api-outside-next.md) and Socket.io (executors, the worker, browsers).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Server } from 'socket.io';
import { createApiHandler } from '../api/router';
import { runRoutes } from '../api/run-routes';
import { ensureSecret } from '../lib/server/bootstrap';
import { readConfig, type Config } from '../lib/server/config';
import { openDatabase, type Database } from '../lib/server/db/client';
import type { Nudger, PostCommit } from '../lib/server/runs';
import { attachExecutorHub } from './executor-hub';
import { attachInternalHub } from './internal-hub';

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

  let pageHandler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void = (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  };
  if (opts.next !== false) {
    const { default: next } = await import('next');
    const app = next({ dev: opts.dev ?? false, dir: root, port: config.port });
    await app.prepare();
    const handle = app.getRequestHandler();
    pageHandler = (req, res) => handle(req, res);
  }

  // The nudger is built before the hubs it drives; they are filled in right below.
  const hubs: { executors?: ReturnType<typeof attachExecutorHub>; internal?: ReturnType<typeof attachInternalHub>; io?: Server } = {};
  const nudger: Nudger = {
    publish(post: PostCommit) {
      if (post.executors) hubs.executors?.nudgeAll();
      for (const k of post.kills) hubs.executors?.kill(k.executorId, k.attemptId, k.reason);
      if (post.worker) hubs.internal?.wakeWorker();
      for (const runId of post.runs) hubs.io?.to(`run:${runId}`).emit('run', { id: runId });
    },
  };
  const api = createApiHandler({ db, now: Date.now, publicUrl: config.publicUrl, routes: runRoutes(nudger) });

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
  hubs.io = io;
  hubs.executors = attachExecutorHub(io, db, config, nudger);
  // The worker's commits reach executors and watchers through here; never echo back to it.
  hubs.internal = attachInternalHub(io, secret, (post) => nudger.publish({ ...post, worker: false }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  return {
    port,
    db,
    async close() {
      io.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
