import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time. Vitest's default is one fewer than the cores, which is a single file at
    // a time on a 2-core runner. Most suites spend their time waiting on the processes, servers and
    // databases they start, so a second file uses that waiting time.
    maxWorkers: 2,
    globalSetup: ['test/helpers/fresh-dist.ts', 'test/helpers/browser-notice.ts'],
    projects: [
      {
        // The unit tests beside the code share one module graph per worker: none stubs globals or the
        // environment, mocks a module or patches a prototype (fake timers are restored after each
        // test), so a fresh graph per file only cost time (src/: 32 s → 8 s of CPU).
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false },
      },
      // The suites in test/ start processes, servers and databases: each file in a process of its own.
      { extends: true, test: { name: 'suites', include: ['test/**/*.test.ts'] } },
    ],
  },
});
