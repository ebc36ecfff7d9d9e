// Browser tests (e2e/*.spec.ts) in Debian's Chromium against a real Course (web with pages, worker,
// one executor) started by e2e/global-setup.ts on a fresh SQLite database and a free port.
// `npm test` runs `next build` first; alone: `npx next build && npx playwright test`.
// The big-graph measurement (e2e/perf.spec.ts, @perf) runs last, unless COURSE_E2E_SKIP_PERF=1.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'e2e-artifacts/results',
  // One Course serves every spec; specs make their own workflows, so files may run in any order.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  // The big-graph measurement loads the machine: it runs after the others, never beside them.
  projects: [
    { name: 'features', testIgnore: /perf\.spec\.ts$/ },
    ...(process.env.COURSE_E2E_SKIP_PERF === '1' ? [] : [{ name: 'perf', testMatch: /perf\.spec\.ts$/, dependencies: ['features'] }]),
  ],
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'e2e-artifacts/report' }]] : [['list']],
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.COURSE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
