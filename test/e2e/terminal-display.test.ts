// What people see on a terminal: apply's listr2 task list, through a real pseudo-terminal (util-linux
// `script`), with colour on and CI unset. Each change and the pass batch get a task that ends ticked,
// and the summary follows the list.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const RECIPIENTS = 40;

/** Run `ipass ARGS` on a pseudo-terminal; all it wrote, escapes included. */
function onTerminal(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  // A pty that `script` makes without a terminal of its own is 0 columns wide: give it a size first.
  const command = `stty cols 120 rows 40; exec ${[process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ')}`;
  const { CI: _ci, NO_COLOR: _noColor, ...env } = process.env;
  const child = spawn('script', ['-q', '-f', '-e', '-c', command, '/dev/null'], {
    cwd,
    env: { ...env, TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.end();
      resolve({ code, output });
    });
  });
}

describe('apply on a terminal', () => {
  const dir = tempDir('terminal');
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info);
    const passes = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;
    writeCampaign(dir, 'promo', { coffee: { stock: 500 }, tea: {} }, passes);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => `${2_160_000_000_000_000 + i},C${i}`);
    writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId,code\n${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('shows a task per change and per pass batch, each ticked at the end, then the summary', async () => {
    const { code, output } = await onTerminal(dir, ['apply', '--auto-approve']);
    expect(code, output).toBe(0);
    const escapes = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
    expect(output.match(escapes)?.some((e) => e.endsWith('m'))).toBe(true); // colour: the task list
    const text = output.replace(escapes, '');
    for (const title of ['promo/coffee', 'promo/tea', `promo/gift  issue ${RECIPIENTS} passes`]) {
      const ticked = text.split(/\r?\n/).filter((line) => line.includes('✔') && line.includes(title));
      expect(ticked, `${title} ticked in:\n${text}`).not.toHaveLength(0);
    }
    expect(text.lastIndexOf('✔')).toBeLessThan(text.indexOf('Apply complete'));
  });
});
