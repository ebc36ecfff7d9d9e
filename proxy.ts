// Next 16's proxy (formerly middleware): an anonymous visit to a page goes to
// /login?callbackUrl=THE_PAGE. Not for /login itself, next-auth (/api/auth/*), the API
// (/api/v1/*, which answers 401 itself), Next's assets (/_next/*) or files such as /favicon.ico.
// "Signed in" here means a session cookie that decrypts with the site secret and has not
// expired (nor passed its hard end); the API and next-auth's own session check also re-check the
// user in the database (disabled, password reset).
import { decode } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { isPublicPath, loginPathFor } from './lib/server/auth/public-paths';

const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

function sessionToken(req: NextRequest): string | undefined {
  for (const name of SESSION_COOKIES) {
    const whole = req.cookies.get(name)?.value;
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; req.cookies.has(`${name}.${i}`); i++) chunks.push(req.cookies.get(`${name}.${i}`)!.value);
    if (chunks.length > 0) return chunks.join('');
  }
  return undefined;
}

async function signedIn(req: NextRequest): Promise<boolean> {
  const token = sessionToken(req);
  const secret = process.env.NEXTAUTH_SECRET;
  if (!token || !secret) return false;
  try {
    const claims = await decode({ token, secret });
    if (!claims || typeof claims.sub !== 'string') return false;
    // The session's hard end (COURSE_SESSION_HOURS after sign-in, however often it was refreshed).
    const hours = Number(process.env.COURSE_SESSION_HOURS) || 12;
    return typeof claims.signedInAt === 'number' && claims.signedInAt + hours * 3600_000 > Date.now();
  } catch {
    return false;
  }
}

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (isPublicPath(pathname) || (await signedIn(req))) return NextResponse.next();
  // Built from the request's own URL: same host, so Next turns it into a relative Location.
  return NextResponse.redirect(new URL(loginPathFor(pathname, search), req.nextUrl));
}

export const config = {
  // Cheap exclusions here; isPublicPath decides the rest.
  matcher: ['/((?!_next/static|_next/image|api/v1/).*)'],
};
