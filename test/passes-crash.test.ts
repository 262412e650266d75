// kill -9 of a real `ipass apply` while it issues passes, at several points, against a standalone
// sandbox that adds latency and drops some answers after committing; then apply again until done.
// Every recipient ends with exactly one pass, and the ledger agrees with the sandbox.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveBizSerialId } from '../src/passes/index.js';
import { runCli, spawnCli } from './helpers/cli.js';
import { tempDir, writeCampaign, writeConfig } from './helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from './helpers/sandbox-process.js';

const RECIPIENTS = 3000;
const userId = (i: number): string => String(2_160_000_000_000_000 + i);

const PASSES = `passes:
  gift:
    template: coffee
    recipients: recipients/gift.csv
    codeInfo: { $codemsg$: "GIFT-{{code}}", $codevalue$: "GIFT-{{code}}" }
`;

interface SandboxPass {
  passId: string;
  bizSerialId: string;
  userId?: string;
}

describe('kill -9 during pass issuance', () => {
  const dir = tempDir('passes-crash');
  const ledgerPath = join(dir, '.ipass', 'dev.passes', 'promo', 'gift.ledger');
  let sandbox: SandboxProcess;
  const count = async (): Promise<number> =>
    (await sandbox.get<{ passes: number }>('/__sandbox/info')).passes;

  beforeAll(async () => {
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir, [
      '--latency-ms',
      '10',
      '--drop-after-commit-rate',
      '0.05',
      '--seed',
      '11',
    ]);
    // The default requestsPerSecond of a remote environment (20) would make this a slow test.
    writeConfig(dir, sandbox.info);
    writeCampaign(dir, 'promo', { coffee: { stock: 5000 } }, PASSES);
    mkdirSync(join(dir, 'campaigns', 'recipients'), { recursive: true });
    const rows = Array.from({ length: RECIPIENTS }, (_, i) => `${userId(i)},C${i}`);
    writeFileSync(join(dir, 'campaigns', 'recipients', 'gift.csv'), `userId,code\n${rows.join('\n')}\n`);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  /** Start an apply and SIGKILL it once `ready` holds; false when it finished first. */
  async function killWhen(ready: () => Promise<boolean> | boolean): Promise<boolean> {
    const { child, done } = spawnCli(['apply', '--auto-approve'], { cwd: dir });
    let exited = false;
    void done.then(() => {
      exited = true;
    });
    while (!exited) {
      if (await ready()) {
        child.kill('SIGKILL');
        const result = await done;
        return result.signal === 'SIGKILL';
      }
      await sleep(10);
    }
    return false;
  }

  it('gives every recipient exactly one pass, whatever instant the apply is killed at', async () => {
    const killed: boolean[] = [];
    // Right after the first intents reach the ledger (requests in flight, no outcome recorded).
    killed.push(
      await killWhen(() => existsSync(ledgerPath) && /^I\t/m.test(readFileSync(ledgerPath, 'utf8'))),
    );
    for (const share of [0.2, 0.45, 0.7]) {
      killed.push(await killWhen(async () => (await count()) >= RECIPIENTS * share));
    }
    expect(killed.filter(Boolean).length).toBeGreaterThanOrEqual(3);

    let runs = 0;
    for (; runs < 6; runs++) {
      const apply = await runCli(['apply', '--auto-approve'], { cwd: dir });
      if (apply.code === 0) break;
    }
    expect(runs).toBeLessThan(6);

    const state = JSON.parse(readFileSync(join(dir, '.ipass', 'dev.state.json'), 'utf8'));
    const code = state.templates['promo/coffee'].templateCode as string;
    const { passes } = await sandbox.get<{ passes: SandboxPass[] }>(`/__sandbox/passes?templateCode=${code}`);
    const expected = new Set(
      Array.from({ length: RECIPIENTS }, (_, i) => deriveBizSerialId('promo/gift', { userId: userId(i) })),
    );
    expect(passes).toHaveLength(RECIPIENTS);
    expect(new Set(passes.map((p) => p.bizSerialId))).toEqual(expected);
    expect(await count()).toBe(RECIPIENTS);

    // The ledger, read independently: every recipient issued, and every pass's passId recorded as the
    // sandbox has it, except where PASS_HAS_EXIST settled a re-sent request (that answer carries no
    // passId): no more of those than such answers the sandbox gave.
    const recordedIds = new Map<string, string | undefined>();
    const confirmed = new Set<string>();
    for (const line of readFileSync(ledgerPath, 'utf8').split('\n')) {
      const [type, id, passId] = line.split('\t');
      if (type === 'S' && id) recordedIds.set(id, passId);
      if (type === 'E' && id) confirmed.add(id);
    }
    expect(new Set([...recordedIds.keys(), ...confirmed])).toEqual(expected);
    const stats = await sandbox.get<{ byEndpoint: Record<string, Record<string, number>> }>(
      '/__sandbox/stats',
    );
    const passHasExist = stats.byEndpoint.createPass?.PASS_HAS_EXIST ?? 0;
    const withoutId = passes.filter((p) => !recordedIds.has(p.bizSerialId));
    for (const p of passes) {
      if (recordedIds.has(p.bizSerialId))
        expect(recordedIds.get(p.bizSerialId), p.bizSerialId).toBe(p.passId);
      else expect(confirmed.has(p.bizSerialId), `${p.bizSerialId}: no passId recorded`).toBe(true);
    }
    expect(withoutId.length).toBeLessThanOrEqual(passHasExist);
    expect(state.passBatches['promo/gift']).toMatchObject({ issued: RECIPIENTS, failed: 0 });

    // Answers were dropped and re-sent: the sandbox refused the repeats, and nothing is left to do.
    expect(passHasExist).toBeGreaterThan(0);
    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
