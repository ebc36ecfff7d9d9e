// The five cron fields: their names (for messages), bounds and the names they accept.

export interface FieldSpec {
  /** As it appears in messages: "minute field '61': …". */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Three-letter names (lower case) for min, min+1, … as Vixie cron accepts them; [] when none. */
  readonly names: readonly string[];
  /** How to say the allowed values in a message. */
  readonly allowed: string;
}

export const MINUTE: FieldSpec = { label: 'minute', min: 0, max: 59, names: [], allowed: '0-59' };
export const HOUR: FieldSpec = { label: 'hour', min: 0, max: 23, names: [], allowed: '0-23' };
export const DAY_OF_MONTH: FieldSpec = { label: 'day-of-month', min: 1, max: 31, names: [], allowed: '1-31' };
export const MONTH: FieldSpec = {
  label: 'month',
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  allowed: '1-12 or jan-dec',
};
// 0-7 as in Vixie cron: both 0 and 7 are Sunday. `*` expands to 0-7, and 7 is folded onto 0 afterwards.
export const DAY_OF_WEEK: FieldSpec = {
  label: 'day-of-week',
  min: 0,
  max: 7,
  names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
  allowed: '0-7 (0 and 7 are Sunday) or sun-sat',
};

/** In expression order. */
export const FIELDS: readonly FieldSpec[] = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];

/** The macros of Vixie cron (minus @reboot, which is not a time). */
export const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
