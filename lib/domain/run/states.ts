import type { JobState, RunState } from '../types';

/** success, failure, skipped, cancelled: nothing more happens to a run or job run in these. */
export function isEnded(state: RunState | JobState): boolean {
  return state === 'success' || state === 'failure' || state === 'skipped' || state === 'cancelled';
}

/** new, queued, executing: an ended run has no job run in these. */
export function isLive(state: JobState): boolean {
  return state === 'new' || state === 'queued' || state === 'executing';
}
