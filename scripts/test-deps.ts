// What the tests need beyond npm packages: Debian's Chromium (Playwright cannot download its own
// browser here) and PostgreSQL's server binaries (the integration tests start a throwaway
// server). As root they are installed from Debian's packages; otherwise the message says exactly
// what to install.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(`${base}/${v}/bin/initdb`)).sort((a, b) => Number(b) - Number(a));
  return versions.length ? `${base}/${versions[0]}/bin` : null;
}

export function ensureTestDependencies(): void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!postgresBinDir()) missing.push('postgresql');
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(`npm test needs Debian's ${missing.join(' and ')} package${missing.length > 1 ? 's' : ''}. Install with:\n  sudo ${command}`);
    process.exit(1);
  }
  console.log(`installing ${missing.join(', ')} from Debian's packages…`);
  // policy-rc.d keeps the package from starting a system PostgreSQL: the tests start their own.
  execFileSync('sh', ['-c', `printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; ${command}; rc=$?; rm -f /usr/sbin/policy-rc.d; exit $rc`], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!existsSync(CHROMIUM) || !postgresBinDir()) {
    console.error('the install finished but chromium or PostgreSQL binaries are still missing');
    process.exit(1);
  }
}
