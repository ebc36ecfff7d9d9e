// The no-scheduler reference of the fan-out bench: `node bench/spawn-baseline.mjs N CONCURRENCY`
// spawns N × `/bin/sh -c true`, CONCURRENCY at a time, with the executor's spawn options (detached,
// stdout/stderr piped; done at exit and both pipes closed), and prints the wall time in ms. Plain
// JavaScript in a fresh node process, so neither tsx nor the bench's own heap weighs on fork().
import { spawn } from 'node:child_process';

const n = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 2);
let next = 0;
const one = () =>
  new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'true'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let open = 3;
    const done = () => --open === 0 && resolve();
    child.once('error', reject);
    child.once('exit', done);
    child.stdout.once('close', done);
    child.stderr.once('close', done);
    child.stdout.resume();
    child.stderr.resume();
  });
const lane = async () => {
  while (next < n) {
    next++;
    await one();
  }
};
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, lane));
process.stdout.write(`${(performance.now() - t0).toFixed(1)}\n`);
