// A recipients file that changes during an apply, after the plan counted it: the batch stops with
// RECIPIENTS_CHANGED, reported as itself (not as a state that cannot be recorded); what was done is
// recorded and the journal settled, so the next apply, with the file fixed, issues the passes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/state-format.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { tempDir, writeCampaign, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, sandboxTemplates, startSandboxProcess } from '../helpers/sandbox-process.js';

const PASSES = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;
const ROWS = [1, 2, 3, 4, 5].map((i) => `${2_160_000_000_000_000 + i},C${i}`);
const RECIPIENTS = `userId,code\n${ROWS.join('\n')}\n`;
/** The same rows under a header without the userId column the plan was made with. */
const RENAMED_COLUMN = `user,code\n${ROWS.join('\n')}\n`;

describe('a recipients file changed during apply', () => {
  const dir = tempDir('recipients-changed');
  const recipients = join(dir, 'campaigns', 'recipients', 'gift.csv');
  let sandbox: SandboxProcess;
  const passCount = async (): Promise<number> =>
    (await sandbox.get<{ count: number }>('/__sandbox/passes?count=1')).count;

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
    writeConfig(dir, sandbox.info, { timeoutMs: 15_000 });
    writeCampaign(dir, 'promo', { coffee: { stock: 100 } }, PASSES);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    writeFileSync(recipients, RECIPIENTS);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('stops the batch with RECIPIENTS_CHANGED, records what was done and settles the journal', async () => {
    // createTemplate is answered slowly: the file changes after the plan counted it, before the
    // batch reads it again to issue.
    await sandbox.setFaults({ latencyMs: 3000 });
    const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir });
    let changed = false;
    child.stdout?.on('data', (d: Buffer) => {
      if (changed || !d.toString().includes('promo/gift')) return;
      changed = true;
      writeFileSync(recipients, RENAMED_COLUMN);
    });
    const r = await done;
    await sandbox.setFaults({});
    expect(changed).toBe(true);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('error RECIPIENTS_CHANGED: The header row of');
    expect(r.stderr).toContain('hint: Run `ipass plan` again');
    expect(r.stderr).not.toContain('cannot be recorded');
    expect(r.stderr).not.toContain('internal error');
    // The template was created and recorded; the journal was folded into the state.
    expect(existsSync(join(dir, '.ipass', 'dev.journal.jsonl'))).toBe(false);
    const parsed = parseState(readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.problem);
    const created = await sandboxTemplates(sandbox);
    expect(created).toHaveLength(1);
    expect(parsed.state.templates['promo/coffee']?.templateCode).toBe(created[0]?.templateCode);
    expect(parsed.state.pending).toEqual([]);
    expect(await passCount()).toBe(0);
  });

  it('with the file as it was, the next apply issues the passes and creates nothing again', async () => {
    writeFileSync(recipients, RECIPIENTS);
    const r = await runCli(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('5 passes issued');
    expect(await sandboxTemplates(sandbox)).toHaveLength(1);
    expect(await passCount()).toBe(5);
  });
});
