// Test fixture (not a test): a process that owns a watchdog and runs one task tree whose
// innermost process ignores SIGTERM, then prints the pids as one JSON line and waits to be
// killed. watchdog.int.test.ts kills it with SIGKILL and checks the tree dies.
import { runTask } from '../task-runner.ts';
import { startWatchdog } from '../watchdog.ts';

const watchdog = startWatchdog();
const lines: string[] = [];
let pending = '';
const task = runTask(
  { command: `sh -c 'trap "" TERM; sleep 100 & echo $!; wait' & echo $!; wait`, env: {}, killGraceMs: 1000 },
  {
    groups: watchdog,
    batch: { maxDelayMs: 1 },
    onOutput: (_s, data) => {
      pending += data.toString();
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      if (lines.length === 2) {
        process.stdout.write(JSON.stringify({ owner: process.pid, watchdog: watchdog.pid, pids: [task.pid, ...lines.map(Number)] }) + '\n');
      }
    },
  },
);
setInterval(() => {}, 1000); // stay alive until killed
