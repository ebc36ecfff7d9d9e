// Sign-in (next-auth): username and password, plus a single sign-on button when an OIDC provider
// is configured (docs/auth.md). An error from a failed attempt (or from next-auth's redirects,
// `?error=CODE`) is shown above the form. Already signed in: straight on to `callbackUrl`.
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { courseAuthOptions } from '../../lib/server/auth/next-auth-options';
import { LoginForm } from './login-form';
import { safeCallbackUrl } from './messages';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string | string[]; callbackUrl?: string | string[] }> }) {
  const params = await searchParams;
  const error = typeof params.error === 'string' ? params.error : undefined;
  const callbackUrl = safeCallbackUrl(typeof params.callbackUrl === 'string' ? params.callbackUrl : undefined);
  const bridge = globalThis.__course;
  if (bridge && !error) {
    const session = await getServerSession(courseAuthOptions(bridge)).catch(() => null);
    if (session) redirect(callbackUrl);
  }
  return (
    <section className="login-page">
      <h1>Sign in to Course</h1>
      <LoginForm error={error} callbackUrl={callbackUrl} oidcName={bridge?.oidc?.name ?? null} />
    </section>
  );
}
