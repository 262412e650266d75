import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file per core but one, as vitest does by default, and at least two: the default is a
    // single file at a time on a 2-core runner, and most suites spend their time waiting on the
    // processes, servers and databases they start, which a second file puts to use.
    maxWorkers: Math.max(2, availableParallelism() - 1),
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
