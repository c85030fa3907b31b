import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The browser specs (`npm run test:browser`): they drive Chromium, so they live apart from `npm test`
// (test/**/*.test.ts) and run one file at a time.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/browser/**/*.spec.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
