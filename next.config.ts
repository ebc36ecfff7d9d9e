import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // `next dev` would otherwise write an AGENTS.md into the project root: not ours to keep.
  agentRules: false,
  // The API and sockets are served by server.ts; Next only renders pages.
  poweredByHeader: false,
  // Where the build goes (default .next). Integration tests build into a directory of their own
  // (lib/server/testing/next-build.ts) so they never disturb a running server's build.
  distDir: process.env.COURSE_NEXT_DIST_DIR || '.next',
  // The build checks the pages' own types; `npm run typecheck` (run by npm test) checks all.
  typescript: { tsconfigPath: 'tsconfig.next.json' },
};

export default nextConfig;
