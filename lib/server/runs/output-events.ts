// In-process nudges for output followers: the web process stores an executor's output and tells
// followers of that attempt at once. Followers also poll, so a missed nudge only adds latency.
import { EventEmitter } from 'node:events';

const emitter = new EventEmitter();
emitter.setMaxListeners(0);

export function outputArrived(attemptId: number): void {
  emitter.emit(`a:${attemptId}`);
}

/** Resolves on the next nudge for the attempt, or after `ms`, or when aborted. */
export function waitForOutput(attemptId: number, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off(`a:${attemptId}`, done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    emitter.once(`a:${attemptId}`, done);
    signal.addEventListener('abort', done, { once: true });
  });
}
