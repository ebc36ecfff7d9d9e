// The web process's side of the auth bridge (bridge-types.ts): the functions next-auth's route
// handler calls, backed by the web's one Database. Installed by web/start-web.ts before Next
// prepares; Next's route handlers run in this same process (checked by web/next-auth.int.test.ts).
import { BRIDGE_VERSION, type CourseAuthBridge, type OidcSettings } from './bridge-types';
import type { Database } from '../db/client';
import { isApiError } from '../errors';
import { findOidcUser } from './oidc';
import { checkSessionUser } from './sessions';
import { checkPassword } from './tokens';

export function createAuthBridge(db: Database, opts: { sessionMaxAgeMs: number; oidc: OidcSettings | null; now?: () => number }): CourseAuthBridge {
  const now = opts.now ?? Date.now;
  return {
    version: BRIDGE_VERSION,
    sessionMaxAgeSeconds: Math.floor(opts.sessionMaxAgeMs / 1000),
    oidc: opts.oidc,
    async checkPassword(username, password) {
      try {
        const user = await checkPassword(db, username, password);
        return { ok: true, user: { id: user.userId, username: user.username } };
      } catch (e) {
        if (isApiError(e)) return { ok: false, code: e.code, message: e.message };
        throw e;
      }
    },
    async checkSession(userId, signedInAt) {
      const r = await checkSessionUser(db, userId, signedInAt, now(), opts.sessionMaxAgeMs);
      return r.ok ? { ok: true, user: { id: r.user.id, username: r.user.username } } : { ok: false, code: r.error.code, message: r.error.message };
    },
    async endSessions(userId) {
      // A JWT session cannot be revoked one by one; the user's sessions from before now end, so a
      // cookie copied before sign-out is worthless after it (on every browser of that user).
      await db.prisma.user.updateMany({ where: { id: userId }, data: { sessionsValidFrom: new Date(now()) } });
    },
    async findOidcUser(claims) {
      if (!opts.oidc) return { ok: false, code: 'oidc_off', message: 'OIDC sign-in is not configured' };
      return findOidcUser(db, opts.oidc, claims);
    },
  };
}
