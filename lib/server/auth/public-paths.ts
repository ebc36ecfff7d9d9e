// Which pages an anonymous visitor may load (proxy.ts sends everyone else to /login). Pure: used by
// Next's proxy bundle and by tests.

/** Paths anyone may load: the sign-in page, next-auth, the API (it answers 401 itself), Next's assets, files. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/login' ||
    pathname.startsWith('/login/') ||
    pathname === '/api/auth' ||
    pathname.startsWith('/api/auth/') ||
    pathname === '/api/v1' ||
    pathname.startsWith('/api/v1/') ||
    pathname.startsWith('/_next/') ||
    /^\/[^/]+\.(?:ico|png|svg|txt|webmanifest|xml)$/.test(pathname)
  );
}


/** Where an anonymous visit to `pathname?search` goes: /login, coming back to the page after sign-in. */
export function loginPathFor(pathname: string, search: string): string {
  return `/login?${new URLSearchParams({ callbackUrl: `${pathname}${search}` })}`;
}
