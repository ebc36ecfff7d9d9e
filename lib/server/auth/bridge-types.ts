// What the web process (server.ts → web/start-web.ts) shares with Next's bundled code (the
// next-auth route handler, app/api/auth/[...nextauth]/route.ts) through one process-global:
// `globalThis.__course`. Next compiles route handlers into its own module graph; Prisma and
// better-sqlite3 must stay out of it (docs/decisions/api-outside-next.md), so the handler reaches
// the database only through these functions, set by the process that owns the one Database.
//
// This file imports nothing: Next's bundle may include it. Everything crossing is plain data.

export const BRIDGE_VERSION = 1;

/** A user as the sign-in code sees it. */
export interface BridgeUser {
  id: number;
  username: string;
}

export type BridgeResult = { ok: true; user: BridgeUser } | { ok: false; code: string; message: string };

/** OIDC settings (COURSE_OIDC_*): null when no OIDC provider is configured. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button (COURSE_OIDC_NAME, default "Single sign-on"). */
  name: string;
  /** How an OIDC identity finds its Course user (COURSE_OIDC_MATCH): by username or by email. */
  match: 'username' | 'email';
  /** The claim compared with the username when match is `username` (COURSE_OIDC_USERNAME_CLAIM, default preferred_username). */
  usernameClaim: string;
  /** OAuth scopes (COURSE_OIDC_SCOPE, default "openid profile email"). */
  scope: string;
}

export interface CourseAuthBridge {
  version: typeof BRIDGE_VERSION;
  /** Browser sessions last this long from sign-in (COURSE_SESSION_HOURS, default 12). */
  sessionMaxAgeSeconds: number;
  oidc: OidcSettings | null;
  /** A username and password (the slow hash): the user, or why not (`bad_credentials`, `user_disabled`). */
  checkPassword(username: string, password: string): Promise<BridgeResult>;
  /** Whether a browser session of `userId` signed in at `signedInAt` (ms) still holds now. */
  checkSession(userId: number, signedInAt: number): Promise<BridgeResult>;
  /** Ends every browser session of `userId` signed in before now (sign-out). */
  endSessions(userId: number): Promise<void>;
  /** The Course user an OIDC identity maps to (an existing user only: OIDC never creates users). */
  findOidcUser(claims: Record<string, unknown>): Promise<BridgeResult>;
}

declare global {
  var __course: CourseAuthBridge | undefined;
}

export function getAuthBridge(): CourseAuthBridge {
  const bridge = globalThis.__course;
  if (!bridge || bridge.version !== BRIDGE_VERSION) {
    throw new Error('Course sign-in is served by server.ts (npm start): the auth bridge (globalThis.__course) is missing in this process');
  }
  return bridge;
}

export function installAuthBridge(bridge: CourseAuthBridge): void {
  globalThis.__course = bridge;
}
