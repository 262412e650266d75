// The README's other way in: ipass installed from a git URL. npm clones it, installs its build tools
// and builds it there (the `preprepare` script, which a git dependency's install runs), then installs
// the result; no install script is left for the campaigns repository to run or approve.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../helpers/project.js';
import { describeWithRegistry, freshClone, sh } from '../helpers/registry.js';

describeWithRegistry('ipass installed from a git URL', () => {
  it('builds on install and runs from the campaigns repository', { timeout: 900_000 }, async () => {
    const top = tempDir('own-git');
    const ipass = join(top, 'ipass');
    const repo = join(top, 'my-campaigns');
    freshClone(ipass);
    const commit = await sh('git init -q && git add -A && git commit -q -m ipass', ipass);
    expect(commit.code, commit.stderr).toBe(0);
    mkdirSync(repo);
    expect((await sh('git init -q && npm init -y', repo)).code).toBe(0);

    const install = await sh(`npm install --save-dev git+file://${ipass}`, repo);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/install-scripts|prepare/);
    const init = await sh('npx ipass init', repo);
    expect(init.code, init.stderr).toBe(0);
    const plan = await sh('npx ipass plan', repo);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/\+ example\/coffee-voucher {2}create/);
  });
});
