// The executor's side of the watchdog (watchdog-child.cjs): one process per executor, not one per
// task, told over a pipe which process groups are live. If the executor dies the pipe closes and
// the watchdog SIGKILLs them, so a task never outlives its executor and a retry elsewhere never
// runs beside a ghost. If the watchdog itself dies, it is started again with the current groups.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Anything that must know the process groups of running tasks. */
export interface GroupRegistry {
  add(pgid: number): void;
  del(pgid: number): void;
}

export interface Watchdog extends GroupRegistry {
  /** The watchdog process's pid (changes if it had to be restarted). */
  readonly pid: number | undefined;
  /** Closes the pipe: the watchdog kills what is still registered and exits. */
  close(): Promise<void>;
}

export interface WatchdogOptions {
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export const WATCHDOG_SCRIPT = fileURLToPath(new URL('./watchdog-child.cjs', import.meta.url));

export function startWatchdog(opts: WatchdogOptions = {}): Watchdog {
  const groups = new Set<number>();
  let closing = false;
  let child: ChildProcess;
  let exited: Promise<void>;

  const launch = () => {
    // Its own session (detached): a Ctrl-C or a signal to the executor's group must not take the
    // watchdog down with the executor, since that is exactly when it has work to do.
    child = spawn(process.execPath, [WATCHDOG_SCRIPT], { stdio: ['pipe', 'ignore', 'inherit'], detached: true });
    // Neither the process nor its pipe keeps the executor's event loop alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    child.stdin!.on('error', () => {}); // EPIPE if it died: the 'exit' handler restarts it
    const c = child;
    exited = new Promise((resolve) => {
      c.once('exit', (code, signal) => {
        resolve();
        if (closing) return;
        opts.log?.('warn', `watchdog exited (code ${code}, signal ${signal}); starting it again`);
        // A short pause so a watchdog that cannot start does not spin; groups are replayed.
        setTimeout(() => {
          if (closing) return;
          launch();
          for (const g of groups) write(`add ${g}`);
        }, 200).unref();
      });
      c.once('error', (err) => {
        opts.log?.('error', `watchdog failed: ${err.message}`);
        resolve();
      });
    });
  };
  const write = (line: string) => {
    if (child.stdin && !child.stdin.destroyed) child.stdin.write(line + '\n');
  };

  launch();
  return {
    get pid() {
      return child.pid;
    },
    add(pgid) {
      groups.add(pgid);
      write(`add ${pgid}`);
    },
    del(pgid) {
      if (!groups.delete(pgid)) return;
      write(`del ${pgid}`);
    },
    async close() {
      if (closing) return exited;
      closing = true;
      child.stdin?.end();
      return exited;
    },
  };
}
