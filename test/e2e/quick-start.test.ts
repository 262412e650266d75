// The first run from the README: the example campaigns through plan and apply against the embedded
// sandbox (no config beyond the repository's, no credentials), then a second run reports no changes.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/project.js';

const root = new URL('../../', import.meta.url).pathname;

describe('quick start (npm start)', () => {
  it('applies the examples to the embedded sandbox, then reports no changes', async () => {
    const dir = tempDir('quick-start');
    cpSync(join(root, 'campaigns'), join(dir, 'campaigns'), { recursive: true });
    cpSync(join(root, 'ipass.config.yaml'), join(dir, 'ipass.config.yaml'));
    const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
    const args = start.replace(/^node bin\/ipass\.js /, '').split(' ');

    const first = await runCli(args, { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Apply complete: 3 created, 5 passes issued\./);

    const second = await runCli(args, { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('No changes.');
    const states = JSON.parse((await runCli(['state', 'list', '--format', 'json'], { cwd: dir })).stdout);
    const templates = states.filter((s: { kind: string }) => s.kind === 'template');
    expect(templates.map((s: { status: string }) => s.status).sort()).toEqual(['paused', 'valid', 'valid']);
  });
});
