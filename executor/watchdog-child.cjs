'use strict';
// The watchdog: one small process per executor that kills the executor's task process groups when
// the executor dies, however it dies (kill -9 included). It reads "add PGID" / "del PGID" lines on
// stdin; the executor holds the only write end of that pipe, so the kernel closes it when the
// executor is gone, and then every registered group gets SIGKILL. Plain CommonJS run by `node`
// directly: no TypeScript loader, so it starts in a few milliseconds.

const groups = new Set();

// Terminal signals go to a whole foreground group; the watchdog lives in its own session anyway,
// but if one reaches it, it must outlive the executor to do its job, so it ignores them.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});

let pending = '';
process.stdin.setEncoding('latin1');
process.stdin.on('data', (text) => {
  pending += text;
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl).trim();
    pending = pending.slice(nl + 1);
    const m = /^(add|del) (\d+)$/.exec(line);
    if (!m) continue;
    const pgid = Number(m[2]);
    if (!(pgid > 1)) continue; // -0 / -1 would mean "own group" / "every process"
    if (m[1] === 'add') groups.add(pgid);
    else groups.delete(pgid);
  }
});

let fired = false;
function killAll() {
  if (fired) return;
  fired = true;
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(0);
}
process.stdin.on('end', killAll);
process.stdin.on('close', killAll);
process.stdin.on('error', killAll);
