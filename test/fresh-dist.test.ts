// The global setup's staleness test (test/helpers/fresh-dist.ts): a source newer than its build, or
// without one, is stale; tests and testing helpers are not built and never count.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleSources } from './helpers/fresh-dist.js';
import { tempDir } from './helpers/project.js';

describe('staleSources', () => {
  it('names sources newer than their build or never built', () => {
    const root = tempDir('fresh-dist');
    const file = (path: string, at: number): void => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), at, at);
    };
    file('src/a/fresh.ts', 1000);
    file('dist/a/fresh.js', 2000);
    file('src/a/edited.ts', 3000);
    file('dist/a/edited.js', 2000);
    file('src/a/new.ts', 1000);
    file('src/a/new.test.ts', 9000);
    file('src/api/testing/fake.ts', 9000);
    expect(staleSources(root)).toEqual(['src/a/edited.ts', 'src/a/new.ts']);
  });
});
