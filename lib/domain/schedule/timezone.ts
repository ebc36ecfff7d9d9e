// Reading a time zone's UTC offset through Intl (the only tz database a pure module may use).
// Building an Intl.DateTimeFormat costs ~80 µs and formatting ~5 µs, and the worker asks for
// offsets on every tick, so formatters are cached per zone and offsets memoised per instant.

import { civilToMs } from './calendar';

/** Largest |offset| any zone has had (LMT included: Asia/Manila was −15:56 before 1845), with room. */
export const MAX_OFFSET_MS = 16 * 3_600_000;

// Intl accepts "Etc/GMT+5", "US/Eastern", "UTC" and case variants; it refuses "Local" and
// offsets like "+01:00" on Node 20. We also refuse anything that does not look like a tz name,
// so a newer ICU accepting offsets does not widen what a definition may say.
const NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
const memo = new Map<string, Map<number, number>>();
// Bound the memo: offsets are cheap to recompute, memory held forever by a long-lived worker is not.
const MEMO_LIMIT = 50_000;

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (f === undefined) {
    // `format` and a regex are ~3× faster than formatToParts. h23 avoids "24:00" at midnight;
    // `era` lets years before 1 round-trip (they print as "5 BC").
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** True when `timezone` is an IANA zone name Intl knows (e.g. `Europe/London`, `UTC`). */
export function isValidTimeZone(timezone: string): boolean {
  if (typeof timezone !== 'string' || !NAME.test(timezone)) return false;
  if (formatters.has(timezone)) return true;
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

// "11/14/2023 AD, 23:13:20" (en-US, h23, era short).
const FORMATTED = /^(\d+)\/(\d+)\/(\d+) (A|B|AD|BC), (\d+):(\d+):(\d+)$/;

/**
 * The zone's offset at the instant `utcMs`, read from Intl: local wall time minus UTC, in ms
 * (Berlin in summer: +7_200_000). Exact to the second, the tz database's resolution. One Intl
 * call (~5 µs) per new second asked about: use offsetAt (offsets.ts), which asks this only on a
 * 6-hour grid. Throws RangeError for an unknown zone or an instant outside Date's range.
 */
export function readOffset(timezone: string, utcMs: number): number {
  const seconds = Math.floor(utcMs / 1000) * 1000;
  let zoneMemo = memo.get(timezone);
  if (zoneMemo === undefined) {
    zoneMemo = new Map();
    memo.set(timezone, zoneMemo);
  }
  const known = zoneMemo.get(seconds);
  if (known !== undefined) return known;

  const text = formatterFor(timezone).format(seconds);
  const m = FORMATTED.exec(text.replace(/\u202f|\u00a0/g, ' '));
  if (!m) throw new RangeError(`cannot read the offset of ${timezone} from '${text}'`);
  const bc = m[4].startsWith('B');
  const year = bc ? 1 - Number(m[3]) : Number(m[3]);
  const local = civilToMs(year, Number(m[1]), Number(m[2]), Number(m[5]) % 24, Number(m[6]), Number(m[7]));
  const offset = local - seconds;

  if (zoneMemo.size >= MEMO_LIMIT) zoneMemo.clear();
  zoneMemo.set(seconds, offset);
  return offset;
}
