import { defineConfig } from 'vitest/config';
import path from 'node:path';

// Two projects: `unit` (pure, fast, beside the code as *.test.ts) and `int` (real databases,
// real processes: *.int.test.ts). Playwright's e2e/*.spec.ts are not vitest's.
const alias = { '@': path.resolve(import.meta.dirname) };
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['{lib,worker,executor,cli,components,app,scripts,examples,api,web}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'int',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
