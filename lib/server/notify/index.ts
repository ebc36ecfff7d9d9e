// Notifications (docs/notifications.md): rules, content, the outbox and its delivery.
export { enqueueForEffect, showTarget } from './enqueue';
export { enqueueLongRunning, type LongRunningResult } from './long-running';
export { claimDue, recordOutcome, nextDueAt, listDeliveries, type ClaimedDelivery, type DeliveryJson } from './outbox';
export { sendDelivery, sendMail, SMTP_NOT_CONFIGURED, type SendOutcome } from './send';
export { notifySettings, readNotifySettings, smtpServerName, type NotifySettings } from './settings';
export { signBody, verifySignature } from './signature';
export { renderEmail, buildPayload, type NotificationPayload } from './payload';
export { parseBackoff, nextRetryDelay, attemptSchedule, DEFAULT_BACKOFF_TEXT } from './backoff';
