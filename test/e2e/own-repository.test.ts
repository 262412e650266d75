// "Use ipass in your own repository", from a fresh clone of ipass, exactly as the README words it: the
// test reads the section's command blocks from README.md and runs every line as written, in a clone of
// this checkout (../ipass) and a new campaigns repository next to it. Two steps need a person and are
// done for them: the edit the README describes in a comment, and the answer to apply's question (there
// is no terminal here, so `npx ipass apply` gets --auto-approve). Then a colleague clones the campaigns
// repository elsewhere, runs `npm ci` and plans, from the top and from a sub-folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/project.js';
import { describeWithRegistry, freshClone, NPM_ENV, ROOT, readmeBlocks, sh } from '../helpers/registry.js';
import { brokenCampaign, workspaceYamlSettings, YamlLanguageServer } from '../helpers/yaml-lsp.js';

const SECTION = 'Use ipass in your own repository';

/** The edit the README asks for in words: the example becomes the newcomer's own campaign. */
function makeItYourOwn(repo: string): void {
  const file = join(repo, 'campaigns/2027/spring.yaml');
  const text = readFileSync(file, 'utf8')
    .replace(/^campaign: example$/m, 'campaign: spring-2027')
    .replace(/^ {2}coffee-voucher:$/m, '  spring-coffee:')
    .replace('name: Coffee voucher', 'name: Spring coffee');
  writeFileSync(file, text);
}

describeWithRegistry('ipass in a repository of your own, as the README says', () => {
  const top = tempDir('own');
  const ipass = join(top, 'ipass');
  const repo = join(top, 'my-campaigns');
  let server: YamlLanguageServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('from a fresh clone to a first apply of your own campaign, then a colleague', {
    timeout: 900_000,
  }, async () => {
    const blocks = readmeBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), SECTION);
    expect(blocks.length, 'the section has its command blocks').toBeGreaterThanOrEqual(4);
    freshClone(ipass);
    mkdirSync(repo);
    expect((await sh('git init -q && npm init -y', repo)).code).toBe(0);

    const outputs: { line: string; stdout: string; stderr: string }[] = [];
    const run = async (line: string, cwd: string): Promise<void> => {
      const command = /^npx ipass apply(\s|$)/.test(line)
        ? line.replace('npx ipass apply', 'npx ipass apply --auto-approve')
        : line;
      const r = await sh(command, cwd);
      outputs.push({ line, stdout: r.stdout, stderr: r.stderr });
      expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
    };
    for (const [i, block] of blocks.entries()) {
      for (const line of block) {
        if (line.startsWith('# edit ')) makeItYourOwn(repo);
        else if (!line.startsWith('#') && line.trim()) await run(line, i === 0 ? ipass : repo);
      }
    }
    const said = (line: RegExp) => outputs.filter((o) => line.test(o.line));

    // The package was built in the clone; installing it ran no install script and said nothing of one.
    const install = said(/^npm install --save-dev \.\/vendor\//)[0];
    expect(install?.stderr).not.toMatch(/install-scripts|prepare/);
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(pkg.devDependencies.ipass).toBe('file:vendor/ipass-0.1.0.tgz');
    expect(readFileSync(join(repo, '.gitignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['.ipass/', 'node_modules/']),
    );
    // The example was previewed and planned, never applied; the first apply is the newcomer's own.
    expect(existsSync(join(repo, '.ipass/preview/index.html'))).toBe(true);
    const plans = said(/^npx ipass plan/);
    expect(plans[0]?.stdout).toMatch(/\+ example\/coffee-voucher {2}create/);
    expect(plans[1]?.stdout).toMatch(/\+ spring-2027\/spring-coffee {2}create/);
    expect(plans[1]?.stdout).not.toMatch(/example\//);
    expect(said(/^npx ipass apply/)[0]?.stdout).toContain('Apply complete: 1 created.');
    expect(plans.at(-1)?.stdout).toContain('Plan: no changes.');
    // The commit holds the tarball and no node_modules.
    const tracked = (await sh('git ls-files', repo)).stdout.split('\n');
    expect(tracked).toContain('vendor/ipass-0.1.0.tgz');
    expect(tracked.some((f) => f.startsWith('node_modules/'))).toBe(false);

    // The README's links work from the installed package.
    const installed = join(repo, 'node_modules/ipass');
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? '');
    const local = links.filter((l) => !/^[a-z]+:/.test(l));
    expect(local.length).toBeGreaterThan(5);
    for (const link of local) expect(existsSync(join(installed, link)), `README link ${link}`).toBe(true);
    for (const named of ['campaigns/summer-2028.yaml', 'docs/policies.md', 'examples/github-actions.yml'])
      expect(existsSync(join(installed, named)), named).toBe(true);

    // A colleague: a clone elsewhere, `npm ci`, and a plan that works from the top and a sub-folder.
    await sh('git add -A && git commit -q -m "Spring campaign"', repo);
    const colleague = join(tempDir('colleague'), 'my-campaigns');
    expect((await sh(`git clone -q ${repo} ${colleague}`, top)).code).toBe(0);
    const ci = await sh('npm ci', colleague, NPM_ENV);
    expect(ci.code, ci.stderr).toBe(0);
    expect(ci.stderr).not.toMatch(/install-scripts/);
    const plan = await sh('npx ipass plan', colleague);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/\+ spring-2027\/spring-coffee {2}create/);
    const deep = await sh('npx ipass plan', join(colleague, 'campaigns/2027'));
    expect(deep.code, deep.stderr).toBe(0);
    expect(deep.stdout).toBe(plan.stdout);

    // The editor finds the installed package's schema for a campaign file in a sub-folder.
    server = await YamlLanguageServer.start(repo, workspaceYamlSettings(repo));
    expect(Object.keys(workspaceYamlSettings(repo).schemas as object)).toContain(
      './node_modules/ipass/schemas/campaign.schema.json',
    );
    const { file, text } = brokenCampaign(
      repo,
      'campaigns/2027/summer.yaml',
      '',
      'campaigns/2027/spring.yaml',
    );
    const found = await server.diagnostics(file, text, (d) => d.length > 0);
    expect(found.map((d) => d.message).join('\n')).toMatch(/Incorrect type/);
  });
});
