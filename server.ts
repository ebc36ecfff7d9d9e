// The web process (DESIGN.md, "Processes"): `tsx server.ts`. npm start runs it beside the worker
// and the local executor; SIGINT/SIGTERM close it cleanly.
import { stopWhenSupervisorGone } from './lib/contracts/parent-watch';
import { startWeb } from './web/start-web';

const web = await startWeb({ next: process.env.COURSE_WEB_PAGES !== 'off', dev: process.env.NODE_ENV === 'development' });
console.log(`course web listening on port ${web.port}`);

let closing = false;
function shutdown(): void {
  if (closing) return;
  closing = true;
  web.close().then(
    () => process.exit(0),
    (e) => {
      console.error('course web: error while closing', e);
      process.exit(1);
    },
  );
  // Open keep-alive connections must not hold the process past a reasonable grace.
  setTimeout(() => process.exit(0), 5000).unref();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, shutdown);
stopWhenSupervisorGone(shutdown);
