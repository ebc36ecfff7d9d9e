// Formatting of times and durations for the pages. Pure.

/** A duration in ms as `1h 02m`, `3m 05s`, `12.3s`, `850ms`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.floor(s)}s`;
  const totalS = Math.floor(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m}m ${String(totalS % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Between two ISO instants (to `now` when the end is missing). */
export function durationBetween(start: string | null | undefined, end: string | null | undefined, now: number): number | null {
  if (!start) return null;
  const a = Date.parse(start);
  const b = end ? Date.parse(end) : now;
  return Number.isFinite(a) && Number.isFinite(b) ? b - a : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant in the browser's time zone: `2026-12-03 14:05:09`. */
export function formatLocal(iso: string | null | undefined, opts: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const secs = opts.seconds === false ? '' : `:${pad(d.getSeconds())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}${secs}`;
}

/** An instant in UTC: `2026-12-03 13:05 UTC`. */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** A wall-clock time with offset as the API gives it (`2026-03-29T03:00:00+02:00`) → `2026-03-29 03:00 (+02:00)`. */
export function formatWallClock(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(local);
  if (!m) return local;
  return `${m[1]} ${m[2]} (${m[3] === 'Z' ? '+00:00' : m[3]})`;
}

/** `in 5m`, `3h ago`: relative to `now`. */
export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const d = t - now;
  const text = formatDuration(Math.abs(d)).replace(/\.\d/, '');
  if (Math.abs(d) < 1000) return 'now';
  return d > 0 ? `in ${text}` : `${text} ago`;
}

/** The browser's time zone name, e.g. `Europe/Paris`. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
  } catch {
    return 'local';
  }
}
