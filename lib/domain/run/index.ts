// The pure run state machine (DESIGN.md, "Run supervision"): no I/O, no clock, no Node modules.
export type { JobRunView, RunView, RunEvent, RunEventType, Effect, EffectType, Decision, DecideResult } from './types';
export { decide, MAX_NAMED, LIVE_JOB_STATES } from './decide';
export { retryDelayMs } from './retry';
export { isEnded, isLive } from './states';
