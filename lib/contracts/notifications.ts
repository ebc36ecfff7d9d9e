// The notification shapes of the API (docs/notifications.md): a run's deliveries and the admin's
// test message. zod only: the GUI uses these types too.
import { z } from 'zod';

const Instant = z.iso.datetime();

export const NOTIFY_EVENTS = ['run.success', 'run.failure', 'job.success', 'job.failure', 'job.retry', 'run.long-running', 'job.long-running'] as const;

export const DeliveryJson = z.object({
  id: z.number().int(),
  event: z.enum(NOTIFY_EVENTS),
  idempotencyKey: z.string().meta({ description: 'the event id, sent as Idempotency-Key: the same for every target and on every retry' }),
  job: z.string().nullable(),
  channel: z.enum(['email', 'webhook']),
  target: z.string().meta({ description: 'the email address, or the webhook URL with any password or credential-like query value masked (the secret is never shown)' }),
  state: z.enum(['pending', 'delivered', 'dead']),
  delivering: z.boolean().meta({ description: 'a worker is sending it right now' }),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  lastAttemptAt: Instant.nullable(),
  nextAttemptAt: Instant.nullable().meta({ description: 'pending and not being sent: when the next attempt is due' }),
  deliveredAt: Instant.nullable(),
  createdAt: Instant,
});

export const DeliveryList = z.object({ runId: z.number().int(), deliveries: z.array(DeliveryJson) });

export const TestEmailBody = z.object({ to: z.string().min(3).max(320).meta({ description: 'one address, e.g. ops@example.com' }) }).strict();

export const TestEmailResult = z.object({
  ok: z.literal(true),
  to: z.string(),
  message: z.string().meta({ description: 'what the SMTP server answered' }),
  messageId: z.string().nullable(),
});
