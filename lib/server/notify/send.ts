// Sending one delivery: a webhook POST or an email. No database here, and never inside a
// transaction: the worker's outbox loop calls these between claiming a delivery and recording its
// outcome. Every send is bounded in time (the webhook's timeout, default 10 s; 30 s for an email)
// and can be aborted when the worker stops.
import nodemailer, { type Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { redactUrl, refusalOf } from './allow';
import { renderEmail, type NotificationPayload } from './payload';
import { signBody, SIGNATURE_HEADER } from './signature';
import { smtpServerName, type NotifySettings } from './settings';

export interface OutgoingDelivery {
  id: number;
  eventId: string;
  event: string;
  channel: string;
  target: string;
  secret: string | null;
  timeoutMs: number | null;
  /** The JSON body, sent byte for byte the same on every attempt. */
  payload: string;
  /** This attempt's number (1 for the first). */
  attempt: number;
}

export type SendOutcome =
  | { ok: true; detail: string }
  /** `permanent`: retrying cannot help (a URL the allow-list refuses, an SMTP 5xx): dead at once. */
  | { ok: false; error: string; permanent: boolean };

const USER_AGENT = 'Course-Webhook/1';
const MAX_ERROR_BODY = 300;

export function webhookHeaders(d: Pick<OutgoingDelivery, 'eventId' | 'event' | 'secret' | 'payload' | 'attempt' | 'id'>): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'idempotency-key': d.eventId,
    'x-course-event': d.event,
    'x-course-delivery': String(d.id),
    'x-course-attempt': String(d.attempt),
  };
  if (d.secret) headers[SIGNATURE_HEADER.toLowerCase()] = signBody(d.secret, d.payload);
  return headers;
}

async function readSome(r: Response): Promise<string> {
  if (!r.body) return '';
  const reader = r.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.length;
    }
  } catch {
    /* the body is only for the error message */
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(parts).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > MAX_ERROR_BODY ? `${text.slice(0, MAX_ERROR_BODY)}…` : text;
}

function describeFetchError(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : cause.message ? ` (${cause.message})` : ''}`;
  return cause?.message ?? err.message ?? String(e);
}

export async function sendWebhook(d: OutgoingDelivery, settings: NotifySettings, stop?: AbortSignal): Promise<SendOutcome> {
  const refused = refusalOf(d.target, settings.allow);
  if (refused) return { ok: false, error: refused, permanent: true };
  const timeoutMs = d.timeoutMs ?? settings.webhookTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  try {
    // Redirects are not followed: the allow-list judged this URL, not wherever it points.
    const r = await fetch(d.target, { method: 'POST', headers: webhookHeaders(d), body: d.payload, redirect: 'manual', signal });
    if (r.status >= 200 && r.status < 300) {
      r.body?.cancel().catch(() => undefined);
      return { ok: true, detail: `HTTP ${r.status}` };
    }
    if (r.status >= 300 && r.status < 400) {
      r.body?.cancel().catch(() => undefined);
      return { ok: false, error: `HTTP ${r.status}: a redirect (to ${r.headers.get('location') ?? 'nowhere'}) is not followed; point the webhook at the final URL`, permanent: false };
    }
    const body = await readSome(r);
    return { ok: false, error: `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ''}${body ? `: ${body}` : ''}`, permanent: false };
  } catch (e) {
    if (stop?.aborted) return { ok: false, error: 'interrupted: the worker stopped during the delivery', permanent: false };
    if (timeout.aborted) return { ok: false, error: `no answer within ${timeoutMs} ms (the webhook's timeout)`, permanent: false };
    return { ok: false, error: `could not reach ${redactUrl(d.target)}: ${describeFetchError(e)}`, permanent: false };
  }
}

const transports = new Map<string, Transporter<SMTPTransport.SentMessageInfo>>();

function transportFor(settings: NotifySettings): Transporter<SMTPTransport.SentMessageInfo> {
  const url = settings.smtpUrl!;
  let t = transports.get(url);
  if (!t) {
    const connectMs = Math.min(10_000, settings.emailTimeoutMs);
    t = nodemailer.createTransport(new SMTPTransport({ url, connectionTimeout: connectMs, greetingTimeout: connectMs, socketTimeout: settings.emailTimeoutMs }));
    transports.set(url, t);
  }
  return t;
}

export const SMTP_NOT_CONFIGURED = 'email is not set up: set COURSE_SMTP_URL (smtp://user:pass@host:port) and COURSE_MAIL_FROM for the web and worker processes';

export interface MailOutcome {
  ok: boolean;
  /** What the server said (250 …), or the error. */
  detail: string;
  /** A 5xx answer: the server refused for good. */
  permanent: boolean;
  messageId?: string;
}

/** Sends one plain-text message through COURSE_SMTP_URL. */
export async function sendMail(
  settings: NotifySettings,
  mail: { to: string; subject: string; text: string; messageId?: string; headers?: Record<string, string> },
  stop?: AbortSignal,
): Promise<MailOutcome> {
  if (!settings.smtpUrl) return { ok: false, detail: SMTP_NOT_CONFIGURED, permanent: false };
  const server = smtpServerName(settings.smtpUrl);
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const bounded = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from ${server} within ${settings.emailTimeoutMs} ms`)), settings.emailTimeoutMs);
    onStop = () => reject(new Error('interrupted: the worker stopped during the delivery'));
    stop?.addEventListener('abort', onStop, { once: true });
  });
  try {
    const info = await Promise.race([
      transportFor(settings).sendMail({ from: settings.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.messageId && { messageId: mail.messageId }), ...(mail.headers && { headers: mail.headers }) }),
      bounded,
    ]);
    if (info.rejected.length > 0) return { ok: false, detail: `${server} refused ${info.rejected.join(', ')}: ${info.response}`, permanent: true };
    return { ok: true, detail: `${server}: ${info.response}`, permanent: false, messageId: info.messageId };
  } catch (e) {
    const err = e as { responseCode?: number; response?: string; code?: string; message?: string };
    if (typeof err.responseCode === 'number') {
      return { ok: false, detail: `${server} answered ${err.response ?? err.responseCode}`, permanent: err.responseCode >= 500 && err.responseCode < 600 };
    }
    return { ok: false, detail: `${server}: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`.replace(/\s+/g, ' '), permanent: false };
  } finally {
    clearTimeout(timer);
    if (onStop) stop?.removeEventListener('abort', onStop);
  }
}

/** A Message-ID made from the event id: mail clients drop a second copy of the same event. */
export function messageIdFor(eventId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'course.invalid';
  return `<${eventId.replace(/[^A-Za-z0-9.-]+/g, '.')}@${domain}>`;
}

export async function sendEmailDelivery(d: OutgoingDelivery, settings: NotifySettings, stop?: AbortSignal): Promise<SendOutcome> {
  const { subject, text } = renderEmail(JSON.parse(d.payload) as NotificationPayload);
  const r = await sendMail(
    settings,
    { to: d.target, subject, text, messageId: messageIdFor(d.eventId, settings.mailFrom), headers: { 'X-Course-Event': d.event, 'X-Course-Event-Id': d.eventId } },
    stop,
  );
  return r.ok ? { ok: true, detail: r.detail } : { ok: false, error: r.detail, permanent: r.permanent };
}

/** One attempt at one delivery, by its channel. Never throws. */
export async function sendDelivery(d: OutgoingDelivery, settings: NotifySettings, stop?: AbortSignal): Promise<SendOutcome> {
  try {
    if (d.channel === 'webhook') return await sendWebhook(d, settings, stop);
    if (d.channel === 'email') return await sendEmailDelivery(d, settings, stop);
    return { ok: false, error: `unknown channel '${d.channel}'`, permanent: true };
  } catch (e) {
    return { ok: false, error: `delivery failed: ${(e as Error).message ?? String(e)}`, permanent: false };
  }
}
