// Notification routes beside the run routes: the admin page's test email. (A run's deliveries
// are GET /runs/{id}/notifications, in api/run-routes.ts.)
import { TestEmailBody, TestEmailResult } from '../../lib/contracts/notifications';
import { badRequest, conflict, forbidden, unprocessable } from '../../lib/server/errors';
import { notifySettings, sendMail, smtpServerName } from '../../lib/server/notify';
import { defineRoute, type AnyRoute } from '../route';

// The same loose check as a definition's email target: one address, nothing that splits a header.
const EMAIL = /^[^\s@<>,;"()]+@[^\s@<>,;"()]+$/;

export const notificationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/admin/test-email',
    auth: 'user',
    tag: 'admin',
    summary: 'Send a test email at once through COURSE_SMTP_URL (site admins) and report what the SMTP server said',
    description: '200 when the server accepted the message; 409 when no SMTP server is set up; 422 with the server’s answer or the connection error when it failed.',
    body: TestEmailBody,
    response: TestEmailResult,
    errors: [403, 409, 422],
    async handler(ctx, { principal, body }) {
      if (!principal.isSiteAdmin) throw forbidden('only site admins may send a test email', undefined, 'site_admin_required');
      const to = body.to.trim();
      if (!EMAIL.test(to)) throw badRequest(`to must be one email address such as ops@example.com; got '${to}'`, undefined, 'invalid_address');
      const settings = notifySettings();
      if (!settings.smtpUrl) {
        throw conflict('email is not set up: set COURSE_SMTP_URL (smtp://user:pass@host:port) and COURSE_MAIL_FROM, then restart Course', undefined, 'smtp_not_configured');
      }
      const now = new Date(ctx.now()).toISOString();
      const r = await sendMail(settings, {
        to,
        subject: '[Course] test message',
        text: `This is a test message from Course, sent by ${principal.username} at ${now} from ${ctx.publicUrl}.\n\nIf it reached you, email notifications work: SMTP ${smtpServerName(settings.smtpUrl)}, from ${settings.mailFrom}.\n`,
      });
      if (!r.ok) throw unprocessable(`the test email to ${to} was not sent: ${r.detail}`, { server: smtpServerName(settings.smtpUrl), permanent: r.permanent }, 'smtp_failed');
      return { status: 200, body: { ok: true as const, to, message: r.detail, messageId: r.messageId ?? null } };
    },
  }),
];
