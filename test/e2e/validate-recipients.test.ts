// `ipass validate` checks recipients files row by row (offline), with file:line:col diagnostics.
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/project.js';

const root = new URL('../../', import.meta.url).pathname;

describe('validate and recipients files', () => {
  it('passes the examples, and reports bad rows at their line', async () => {
    const dir = tempDir('validate-rows');
    cpSync(join(root, 'campaigns'), join(dir, 'campaigns'), { recursive: true });
    cpSync(join(root, 'ipass.config.yaml'), join(dir, 'ipass.config.yaml'));
    const clean = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(clean.code, clean.stdout).toBe(0);

    appendFileSync(join(dir, 'campaigns/recipients/welcome.csv'), ',No id\n2160220037090534,Twice\n');
    const r = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const found = JSON.parse(r.stdout).diagnostics.map((d: { code: string; file: string; line: number }) => [
      d.code,
      d.file,
      d.line,
    ]);
    expect(found).toEqual([
      ['RECIPIENT_NO_USER', 'campaigns/recipients/welcome.csv', 7],
      ['RECIPIENT_DUPLICATE', 'campaigns/recipients/welcome.csv', 8],
    ]);
  });
});
