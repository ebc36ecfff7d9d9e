// The notification settings, from the environment (docs/notifications.md). Read once per process;
// a malformed value stops the process at start with a message naming the variable.
import { DEFAULT_BACKOFF_TEXT, parseBackoff, type Backoff } from './backoff';
import { parseAllowList, type AllowList } from './allow';

export interface NotifySettings {
  /** COURSE_SMTP_URL: smtp://user:pass@host:port (smtps:// for TLS from the start); null: email off. */
  smtpUrl: string | null;
  /** COURSE_MAIL_FROM (default `Course <course@localhost>`). */
  mailFrom: string;
  /** COURSE_WEBHOOK_ALLOW. */
  allow: AllowList;
  /** COURSE_OUTBOX_BACKOFF. */
  backoff: Backoff;
  /** COURSE_OUTBOX_CONCURRENCY: deliveries in flight at once per worker (default 8). */
  concurrency: number;
  /** A webhook's timeout when its definition gives none. */
  webhookTimeoutMs: number;
  /** The most one email may take, connection included. */
  emailTimeoutMs: number;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const EMAIL_TIMEOUT_MS = 30_000;

export function readNotifySettings(env: Record<string, string | undefined> = process.env): NotifySettings {
  const smtp = env.COURSE_SMTP_URL?.trim();
  if (smtp && !/^smtps?:\/\//i.test(smtp)) throw new Error(`COURSE_SMTP_URL must look like smtp://user:pass@host:port (or smtps://…); got a value starting '${smtp.slice(0, 8)}'`);
  const concurrencyText = env.COURSE_OUTBOX_CONCURRENCY?.trim();
  const concurrency = concurrencyText ? Number(concurrencyText) : 8;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) throw new Error(`COURSE_OUTBOX_CONCURRENCY=${concurrencyText} is not a whole number from 1 to 1000`);
  return {
    smtpUrl: smtp ? smtp : null,
    mailFrom: env.COURSE_MAIL_FROM?.trim() || 'Course <course@localhost>',
    allow: parseAllowList(env.COURSE_WEBHOOK_ALLOW),
    backoff: parseBackoff(env.COURSE_OUTBOX_BACKOFF?.trim() || DEFAULT_BACKOFF_TEXT),
    concurrency,
    webhookTimeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
    emailTimeoutMs: EMAIL_TIMEOUT_MS,
  };
}

let cached: NotifySettings | undefined;

/** This process's settings (read on first use). */
export function notifySettings(): NotifySettings {
  cached ??= readNotifySettings();
  return cached;
}

/** `host:port` of an SMTP URL, never its credentials (for messages). */
export function smtpServerName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
  } catch {
    return 'the SMTP server';
  }
}
