// next-auth (v4) at /api/auth/*: sign-in (credentials; OIDC when configured), sign-out, the
// session, CSRF. Options: lib/server/auth/next-auth-options.ts. The database is reached through
// the auth bridge the web process installs (globalThis.__course): nothing of Prisma is bundled.
import NextAuth from 'next-auth';
import { courseAuthOptions } from '../../../../lib/server/auth/next-auth-options';

// Origins follow the request's Host (and a proxy's X-Forwarded-Host/-Proto) unless NEXTAUTH_URL
// pins one: sign-in works on any host and port with no settings (docs/auth.md). start-web sets
// this too; set here as well in case the handler is loaded some other way.
if (!process.env.AUTH_TRUST_HOST) process.env.AUTH_TRUST_HOST = 'true';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Context): Promise<Response> {
  // NextAuth(req, ctx, options) is next-auth's App Router form (it reads params from ctx).
  return (NextAuth as unknown as (req: Request, ctx: Context, options: ReturnType<typeof courseAuthOptions>) => Promise<Response>)(req, ctx, courseAuthOptions());
}

export { handler as GET, handler as POST };
