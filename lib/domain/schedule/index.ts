// Schedule maths, pure: parse cron, validate a schedule, compute fire times across daylight-saving
// changes, plan catch-up, preview. Time always comes in as UTC milliseconds; zones are read via Intl.

export { parseCron, type CronExpr } from './parse';
export { canEverFire } from './can-fire';
export { compileSchedule, validateSchedule } from './validate';
export { isValidTimeZone } from './timezone';
export { offsetAt, toLocalMs } from './offsets';
export { HORIZON_DAYS, nextFireTime, nextFireTimes, previousFireTimes } from './fire-times';
export { DEFAULT_GRACE_MS, planFires, type FirePlan, type PlanInput } from './catchup';
export { PREVIEW_DEFAULT_COUNT, PREVIEW_MAX_COUNT, previewFireTimes, type PreviewFireTime } from './preview';
export { localIso, utcIso } from './iso';
