import { defineConfig } from 'vitest/config';

// Four layers, run in this order by `npm test`: unit tests beside the code, API tests of
// each app against real Postgres and Redis containers (and of the monitoring config and
// alert rules, with promtool in a container), stack tests of the real compose file and
// images, and swarm tests of deploy/swarm/ on a single-node swarm.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{packages,services,api-gateway,console,jobs}/**/src/**/*.test.ts', 'tools/*.test.ts'],
        },
      },
      {
        test: {
          name: 'api',
          include: ['{packages,services,api-gateway,jobs}/**/test/**/*.test.ts', 'test/monitoring/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'stack',
          include: ['test/stack/**/*.test.ts'],
          globalSetup: ['test/stack/global-setup.ts'],
          // One stack, shared: the files take turns, and after each one a shared step
          // waits until the stack is as the next file expects it, so any order passes.
          setupFiles: ['test/stack/leave-stack-as-found.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'swarm',
          include: ['test/swarm/**/*.test.ts'],
          globalSetup: ['test/swarm/global-setup.ts'],
          // One stack, shared, as for the stack tests, with the same step after each file.
          setupFiles: ['test/swarm/leave-swarm-as-found.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
