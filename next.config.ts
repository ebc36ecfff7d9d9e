import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // `next dev` would otherwise write an AGENTS.md into the project root: not ours to keep.
  agentRules: false,
  // The API and sockets are served by server.ts; Next only renders pages.
  poweredByHeader: false,
  // The build checks the pages' own types; `npm run typecheck` (run by npm test) checks all.
  typescript: { tsconfigPath: 'tsconfig.next.json' },
};

export default nextConfig;
