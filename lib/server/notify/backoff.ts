// When a failed delivery is tried again (pure). CONTRACT.md: after 1 s, 5 s, 30 s, 2 min, 10 min,
// then every 30 min for 24 h, then the delivery is dead. COURSE_OUTBOX_BACKOFF overrides it:
//
//   a comma list of durations, the waits after the 1st, 2nd, … failed attempt; the last item may
//   be EVERY/FOR: then wait EVERY each time, as long as the next attempt falls within FOR of the
//   event. The default is `1s,5s,30s,2m,10m,30m/24h`. Without an EVERY/FOR item the delivery is
//   dead once the list is used up (`200ms,200ms` → three attempts in all).
import { parseDuration } from '../../domain/duration';

export interface Backoff {
  /** Waits after the 1st, 2nd, … failed attempt. */
  steps: number[];
  /** Then every `everyMs`, while the next attempt is within `forMs` of the event. */
  repeat?: { everyMs: number; forMs: number };
}

export const DEFAULT_BACKOFF_TEXT = '1s,5s,30s,2m,10m,30m/24h';

export function parseBackoff(text: string): Backoff {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new Error(`COURSE_OUTBOX_BACKOFF is empty: give a comma list of durations such as ${DEFAULT_BACKOFF_TEXT}`);
  const steps: number[] = [];
  let repeat: Backoff['repeat'];
  items.forEach((item, i) => {
    const slash = item.indexOf('/');
    if (slash >= 0) {
      if (i !== items.length - 1) throw new Error(`COURSE_OUTBOX_BACKOFF: only the last item may be EVERY/FOR (got '${item}' in '${text}')`);
      const everyMs = parseDuration(item.slice(0, slash).trim());
      const forMs = parseDuration(item.slice(slash + 1).trim());
      if (everyMs === null || forMs === null || everyMs === 0) {
        throw new Error(`COURSE_OUTBOX_BACKOFF: '${item}' is not EVERY/FOR with two durations (e.g. 30m/24h; EVERY above zero)`);
      }
      repeat = { everyMs, forMs };
      return;
    }
    const ms = parseDuration(item);
    if (ms === null) throw new Error(`COURSE_OUTBOX_BACKOFF: '${item}' is not a duration (<n>ms|s|m|h|d or seconds), in '${text}'`);
    steps.push(ms);
  });
  return repeat ? { steps, repeat } : { steps };
}

export const DEFAULT_BACKOFF: Backoff = parseBackoff(DEFAULT_BACKOFF_TEXT);

/**
 * The wait before the next attempt after `failedAttempts` attempts have failed (1 after the
 * first), or null when the delivery is to be marked dead. `sinceEventMs`: how long ago the
 * event was enqueued, now.
 */
export function nextRetryDelay(b: Backoff, failedAttempts: number, sinceEventMs: number): number | null {
  if (failedAttempts < 1) return 0;
  if (failedAttempts <= b.steps.length) return b.steps[failedAttempts - 1];
  if (!b.repeat) return null;
  return sinceEventMs + b.repeat.everyMs <= b.repeat.forMs ? b.repeat.everyMs : null;
}

/** Every attempt's offset from the event, for a delivery that always fails (docs and tests). */
export function attemptSchedule(b: Backoff, limit = 1000): number[] {
  const at = [0];
  for (let failed = 1; at.length < limit; failed++) {
    const wait = nextRetryDelay(b, failed, at[at.length - 1]);
    if (wait === null) break;
    at.push(at[at.length - 1] + wait);
  }
  return at;
}
