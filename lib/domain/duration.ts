// Durations in definitions: `<n>ms|s|m|h|d` or a number of seconds (CONTRACT.md, "Definitions").
// Pure: the engine works in whole milliseconds, so every duration is turned into one here, once.

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

// `n` may carry a fraction ("1.5s", "0.5h"): people write that and it has one obvious meaning.
// No sign, no spaces, no compound forms ("1h30m"): one spelling per value keeps files diffable.
const DURATION_TEXT = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const SECONDS_TEXT = /^\d+(?:\.\d+)?$/;

/**
 * Milliseconds for a duration, or null when `v` is not one. A number (or a numeric string, as a
 * form field would send it) counts seconds. The result is rounded to a whole millisecond; a
 * negative, non-finite or unsafely large value is refused.
 */
export function parseDuration(v: unknown): number | null {
  let ms: number;
  if (typeof v === 'number') {
    ms = v * 1000;
  } else if (typeof v === 'string') {
    const m = DURATION_TEXT.exec(v);
    if (m) ms = Number(m[1]) * UNIT_MS[m[2] as Unit];
    else if (SECONDS_TEXT.test(v)) ms = Number(v) * 1000;
    else return null;
  } else {
    return null;
  }
  if (!Number.isFinite(ms) || ms < 0) return null;
  const rounded = Math.round(ms);
  return Number.isSafeInteger(rounded) ? rounded : null;
}

// Largest unit first, so 60000 reads as '1m' and 90000 as '90s'.
const UNITS_DESCENDING: Unit[] = ['d', 'h', 'm', 's'];

/** The shortest exact text for a whole number of milliseconds: parseDuration(formatDuration(x)) === x. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`not a duration in milliseconds: ${ms}`);
  if (ms === 0) return '0s';
  for (const unit of UNITS_DESCENDING) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
