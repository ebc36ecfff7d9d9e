'use client';
// The page frame: the top bar with the navigation (Admin only for site and group admins), the
// signed-in user and sign-out. On /login only the brand shows and nobody is asked who they are.
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { MeProvider, useMe } from './me';
import { isAnyAdmin } from './roles';
import { signOutEverywhere } from './sign-out';

const LINKS = [
  { href: '/', label: 'Dashboard', match: (p: string) => p === '/' },
  { href: '/workflows', label: 'Workflows', match: (p: string) => p.startsWith('/workflows') || p.startsWith('/runs') },
  { href: '/executors', label: 'Executors', match: (p: string) => p.startsWith('/executors') },
];

function isPublic(path: string): boolean {
  return path === '/login' || path.startsWith('/login/');
}

export function Shell({ children }: { children: ReactNode }) {
  const path = usePathname() ?? '/';
  const open = isPublic(path);
  return (
    <MeProvider skip={open}>
      <header className="top">
        <a href="/" className="brand">
          Course
        </a>
        {open ? null : <Nav path={path} />}
        {open ? null : <UserMenu />}
      </header>
      <main>{children}</main>
    </MeProvider>
  );
}

function Nav({ path }: { path: string }) {
  const { me } = useMe();
  const links = isAnyAdmin(me) ? [...LINKS, { href: '/admin', label: 'Admin', match: (p: string) => p.startsWith('/admin') }] : LINKS;
  return (
    <nav className="nav" aria-label="Main" data-testid="nav">
      {links.map((l) => (
        <a key={l.href} href={l.href} className={l.match(path) ? 'active' : undefined} aria-current={l.match(path) ? 'page' : undefined} data-testid={`nav-${l.label.toLowerCase()}`}>
          {l.label}
        </a>
      ))}
    </nav>
  );
}

function UserMenu() {
  const { me } = useMe();
  const roles = me ? (me.isSiteAdmin ? 'site admin' : me.groups.map((g) => `${g.name}: ${g.role}`).join(', ') || 'no groups') : '';
  return (
    <div className="user" data-testid="user-menu">
      {me ? (
        <span className="who" title={roles}>
          <span data-testid="current-user">{me.username}</span>
          <span className="roles">{roles}</span>
        </span>
      ) : null}
      {me ? (
        <a href="/admin#tokens" className="tokens-link" data-testid="my-tokens">
          API tokens
        </a>
      ) : null}
      <button type="button" className="link-button" data-testid="sign-out" aria-label="Sign out" onClick={() => void signOutEverywhere()}>
        Sign out
      </button>
    </div>
  );
}
