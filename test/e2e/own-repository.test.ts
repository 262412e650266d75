// "Use ipass in your own repository", as the README says: pack ipass (`npm pack`), install the
// tarball into an empty folder (its dependencies come from the npm registry), then `npx ipass init`,
// `npx ipass apply` against the embedded sandbox, and a plan that finds nothing to do. The editor
// mapping init writes there points at the schema inside the installed package.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/project.js';
import { brokenCampaign, workspaceYamlSettings, YamlLanguageServer } from '../helpers/yaml-lsp.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function run(command: string, args: string[], cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('ipass in a repository of your own', () => {
  const packs = tempDir('pack');
  const project = tempDir('own-repo');
  let server: YamlLanguageServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('installs from an npm pack tarball; init, apply, then a clean plan', { timeout: 300_000 }, async () => {
    // The build is fresh (npm test builds first), so the tarball is packed as it is.
    const pack = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', packs, '--json'], ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(packs, (JSON.parse(pack.stdout) as { filename: string }[])[0]?.filename ?? '');
    expect(existsSync(tarball)).toBe(true);

    writeFileSync(join(project, 'package.json'), '{ "name": "my-campaigns", "private": true }\n');
    const install = await run('npm', ['install', '--save-dev', tarball], project);
    expect(install.code, install.stderr).toBe(0);

    const init = await run('npx', ['ipass', 'init'], project);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created campaigns/example.yaml');
    const apply = await run('npx', ['ipass', 'apply', '--auto-approve'], project);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 1 created.');
    const plan = await run('npx', ['ipass', 'plan', '--detailed-exitcode'], project);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Plan: no changes.');

    // The editor finds the installed package's schema for a campaign file in a sub-folder.
    server = await YamlLanguageServer.start(project, workspaceYamlSettings(project));
    expect(Object.keys(workspaceYamlSettings(project).schemas as object)).toContain(
      './node_modules/ipass/schemas/campaign.schema.json',
    );
    const { file, text } = brokenCampaign(project, 'campaigns/2027/summer.yaml');
    const found = await server.diagnostics(file, text, (d) => d.length > 0);
    expect(found.map((d) => d.message).join('\n')).toMatch(/Incorrect type/);
  });
});
