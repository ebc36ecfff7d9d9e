export { useLive, type LiveMode, type LiveOptions, type LiveStatus, type LiveSubscription, type RunNudge } from './use-live';
