'use client';
// One shared clock for every ticking elapsed time: a single interval, running only while some
// component listens, so 500 executing jobs cost one timer, not 500.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const never = () => () => {};
// Never more than a second stale, even before the first tick (the value moves at most once a second).
const snapshot = () => {
  const t = Date.now();
  if (t - now >= 1000) now = t;
  return now;
};
const still = () => 0;

/** Date.now(), refreshed every second while `ticking`; 0 otherwise (nothing to tick). */
export function useNow(ticking: boolean): number {
  return useSyncExternalStore(ticking ? subscribe : never, ticking ? snapshot : still, still);
}
