import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive } from './process-group.ts';
import { startWatchdog } from './watchdog.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await sleep(10);
  return cond();
}
const spawnGroup = () => {
  const c = spawn('sleep', ['100'], { detached: true, stdio: 'ignore' });
  c.unref();
  return c.pid!;
};

describe('watchdog', () => {
  it('kills the groups still registered when its pipe closes, and spares the deleted ones', async () => {
    const w = startWatchdog();
    const kept = spawnGroup();
    const released = spawnGroup();
    w.add(kept);
    w.add(released);
    w.del(released);
    await w.close();
    expect(await waitFor(() => !processAlive(kept), 2000)).toBe(true);
    expect(processAlive(released)).toBe(true);
    process.kill(released, 'SIGKILL');
  });

  it('is started again with its groups when it dies', async () => {
    const logs: string[] = [];
    const w = startWatchdog({ log: (_l, m) => logs.push(m) });
    const g = spawnGroup();
    w.add(g);
    const first = w.pid!;
    process.kill(first, 'SIGKILL');
    expect(await waitFor(() => w.pid !== first, 2000)).toBe(true);
    await sleep(50);
    expect(logs[0]).toMatch(/watchdog exited .*starting it again/);
    expect(processAlive(g)).toBe(true);
    await w.close();
    expect(await waitFor(() => !processAlive(g), 2000)).toBe(true);
  });

  it('kills the task tree of an executor killed with SIGKILL', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing/watchdog-owner.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      owner.stdout!.on('data', (d) => {
        text += d;
        if (text.includes('\n')) resolve(text.split('\n')[0]);
      });
      owner.once('exit', () => reject(new Error('fixture exited early')));
    });
    const info = JSON.parse(line) as { owner: number; watchdog: number; pids: number[] };
    expect(info.pids).toHaveLength(3);
    expect(info.pids.every(processAlive)).toBe(true);
    process.kill(info.owner, 'SIGKILL');
    // The innermost processes ignore SIGTERM; only the watchdog's SIGKILL ends them.
    expect(await waitFor(() => !info.pids.some(processAlive), 3000)).toBe(true);
    expect(await waitFor(() => !processAlive(info.watchdog), 2000)).toBe(true);
  });
});
