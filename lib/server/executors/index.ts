// Executors as the user API sees them: the list, and tokens for new executors.
export { listExecutors } from './list';
export { createExecutorToken, ensureLocalExecutorToken, labelsOf, storedLabels, DEFAULT_EXECUTOR_CAPACITY, type NewExecutorToken } from './tokens';
