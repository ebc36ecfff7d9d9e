import type { JobSpec } from '../types';

/**
 * The delay before attempt `attemptNumber` (2 for the first retry) of `job`. The single place for
 * retry timing: CONTRACT.md makes `retryDelay` fixed, so every retry waits `job.retryDelayMs`.
 */
export function retryDelayMs(job: JobSpec, attemptNumber: number): number {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 2) {
    throw new RangeError(`retryDelayMs: attempt ${attemptNumber} is not a retry (retries start at attempt 2)`);
  }
  const delay = job.retryDelayMs;
  return Number.isFinite(delay) && delay > 0 ? delay : 0;
}
