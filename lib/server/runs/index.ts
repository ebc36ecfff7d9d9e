// Run supervision's public face for the web process, the worker and the API.
export { applyEvent } from './apply-event';
export { createRun, startRun } from './create-run';
export { claimTasks } from './claim';
export { reportAttempt, failureReason } from './report';
export { heartbeat, expireLeases } from './leases';
export { fireDueRetries, fireRunTimeouts, nextTimerAt } from './timers';
export { requestCancel, rerun } from './cancel';
export { runView, listRuns, type RunJson } from './view';
export { appendOutput, findOutputTarget, readChunks, outputTail } from './output';
export { readTimeline } from './timeline';
export { transact } from './transact';
export { newPostCommit, silentNudger, type Nudger, type PostCommit } from './post-commit';
