// `describe` for suites that need something of the machine (root, a service): outside CI without it
// they are skipped, saying once why and how to run them; under CI they fail with that reason.
import { describe, it } from 'vitest';
import { inCi } from '../../src/shared/ci.js';

const told = new Set<string>();

/** Run `suite` when `problem` is undefined; otherwise fail it under CI, else skip it saying why. */
export function describeNeeding(name: string, problem: string | undefined, suite: () => void): void {
  if (problem === undefined) {
    describe(name, suite);
    return;
  }
  if (inCi()) {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(`${problem}; CI runs every suite.`);
      });
    });
    return;
  }
  if (!told.has(problem)) {
    told.add(problem);
    console.warn(`Skipped "${name}": ${problem}.`);
  }
  describe.skip(name, suite);
}
