// ISO 8601 text for fire times: `2026-03-29T01:00:00Z` and `2026-03-29T03:00:00+02:00`.
// Fire times are whole seconds, so no fraction is written (unlike Date#toISOString).

import { civilFromDays, DAY_MS } from './calendar';
import { offsetAt } from './offsets';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// Years outside 0000-9999 take ISO's expanded form (±YYYYYY), as Date#toISOString does.
function yearText(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
}

/** A point on the local-as-UTC line as `YYYY-MM-DDTHH:MM:SS` (sub-second part dropped). */
function wallText(localMs: number): string {
  const days = Math.floor(localMs / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  const secs = Math.floor((localMs - days * DAY_MS) / 1000);
  return `${yearText(year)}-${pad(month)}-${pad(day)}T${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
}

/** `+02:00`, `-04:00`, `+05:45`, `+00:00`; `+00:19:32` for the odd historical offset with seconds. */
export function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const s = total % 60;
  const text = `${sign}${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}`;
  return s === 0 ? text : `${text}:${pad(s)}`;
}

export function utcIso(utcMs: number): string {
  return `${wallText(utcMs)}Z`;
}

/** The wall time in `timezone` with its offset, e.g. `2026-03-29T03:00:00+02:00`. */
export function localIso(utcMs: number, timezone: string): string {
  const offset = offsetAt(timezone, utcMs);
  return `${wallText(utcMs + offset)}${offsetText(offset)}`;
}
