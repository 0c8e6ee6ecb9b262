import { defineConfig } from 'vitest/config';

// Three layers, run in this order by `npm test`: unit tests beside the code, API tests of
// each app against real Postgres and Redis containers, and stack tests of the real compose
// file and images.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{packages,services,api-gateway,console}/**/src/**/*.test.ts', 'tools/*.test.ts'],
        },
      },
      {
        test: {
          name: 'api',
          include: ['{packages,services,api-gateway}/**/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          globalSetup: ['test/stack/global-setup.ts'],
          // One stack, shared: the files take turns, and each leaves it healthy.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
