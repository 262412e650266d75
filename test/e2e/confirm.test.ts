// Confirming an apply on a terminal (a real pseudo-terminal through util-linux `script`): `y` and
// `yes` in any case confirm. And options people bring from other tools get a pointer to ipass's own.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/project.js';

/** Run `ipass ARGS` on a terminal; type `answer` once the confirmation question shows. */
function onTerminal(cwd: string, args: string[], answer: string) {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    cwd,
    env: { ...process.env, CI: '', NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = false;
  child.stdout.on('data', (d) => {
    output += d;
    if (!answered && output.includes('Type yes to confirm:')) {
      answered = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.end();
      resolve({ code, output });
    });
  });
}

describe('confirming an apply', () => {
  it('accepts y (any case) on a terminal; anything else cancels', async () => {
    const dir = tempDir('confirm');
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    const no = await onTerminal(dir, ['apply'], 'nope');
    expect(no.output).toContain('Apply cancelled; nothing was sent.');
    const yes = await onTerminal(dir, ['apply'], 'Y');
    expect(yes.output).toContain('Apply complete: 1 created.');
    expect(yes.code).toBe(0);
  });
});

describe('options from other tools', () => {
  const dir = tempDir('options');
  it('--yes and -y point to --auto-approve, --dry-run to ipass plan; others are reported as before', async () => {
    for (const flag of ['--yes', '-y']) {
      const r = await runCli(['apply', flag], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error: unknown option '${flag}'\nTo apply without being asked, use --auto-approve: \`ipass apply --auto-approve\` (review \`ipass plan\` first).\n`,
      );
    }
    const dry = await runCli(['apply', '--dry-run'], { cwd: dir });
    expect(dry.stderr).toContain('run `ipass plan` (it sends nothing)');
    const other = await runCli(['apply', '--bogus'], { cwd: dir });
    expect(other.code).toBe(1);
    expect(other.stderr).toBe("error: unknown option '--bogus'\n");
  });
});
