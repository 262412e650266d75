// `ipass state lock` (who holds the environment's lock, and whether it runs: exit 0 free, 3 held)
// and `ipass state unlock --force LOCK_ID` (release the holding that id names, and no other).
// Both read or change only the lock: no table or file is created.
import { Command, Option } from 'commander';
import { IpassError } from '../../diagnostics/errors.js';
import { escapeControl } from '../../diagnostics/terminal-text.js';
import type { LockStatus } from '../../state/backend.js';
import { lockId } from '../../state/lock-holder.js';
import type { CommandContext } from '../command.js';
import { EXIT_LOCK_HELD } from '../exit-codes.js';
import { type Io, writeLine } from '../io.js';
import { loadProject, projectBackend } from '../project.js';
import { RunRecorder } from '../run-recorder.js';

interface LockFlags {
  env?: string;
  config?: string;
  format: 'text' | 'json';
}

interface UnlockFlags {
  env?: string;
  config?: string;
  force?: boolean;
  evenIfAlive?: boolean;
}

const ENV_HELP = 'environment (default: IPASS_ENV, else defaultEnvironment)';
const CONFIG_HELP = 'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)';

export function lockCommand(ctx: CommandContext): Command {
  return new Command('lock')
    .description("Show who holds the environment's lock and whether it still runs (exit 0 free, 3 held).")
    .option('-e, --env <name>', ENV_HELP)
    .option('-c, --config <file>', CONFIG_HELP)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: LockFlags) => ctx.exit(await showLock(ctx.io, flags)));
}

export function unlockCommand(ctx: CommandContext): Command {
  return new Command('unlock')
    .description(
      'Release a hung holder of the lock: the one LOCK_ID names (postgres: end its session; files: remove the lock).',
    )
    .argument('<lock-id>', 'the id `ipass state lock` and LOCK_HELD print')
    .option('--force', 'required: release the lock although its holder did not finish')
    .option(
      '--even-if-alive',
      'files: remove the lock even though its holder still runs (see docs/production.md)',
    )
    .option('-e, --env <name>', ENV_HELP)
    .option('-c, --config <file>', CONFIG_HELP)
    .action(async (id: string, flags: UnlockFlags) => ctx.exit(await unlock(ctx.io, id, flags)));
}

async function showLock(io: Io, flags: LockFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const backend = await projectBackend(io, project);
  let status: LockStatus;
  try {
    status = await backend.lockStatus();
  } finally {
    await backend.close();
  }
  const env = project.settings.name;
  if (flags.format === 'json') writeLine(io.stdout, JSON.stringify(lockJson(env, status), null, 2), 'json');
  else for (const line of lockText(env, status)) writeLine(io.stdout, line);
  return status.state === 'held' ? EXIT_LOCK_HELD : 0;
}

function lockJson(environment: string, status: LockStatus): Record<string, unknown> {
  const h = status.holder;
  return {
    environment,
    state: status.state,
    lockId: h ? lockId(h) : null,
    holder: h
      ? { pid: h.pid, host: h.host, command: h.command, since: h.startedAt, ciRun: h.ciRun ?? null }
      : null,
    alive: status.alive ?? null,
    because: status.because,
    where: status.where,
  };
}

function lockText(env: string, status: LockStatus): string[] {
  const h = status.holder;
  const head =
    status.state === 'free'
      ? `The lock of ${env} is free (${status.because}).`
      : status.state === 'stale'
        ? `The lock of ${env} is free: it was left by a holder that is gone, and the next run takes it over.`
        : `The lock of ${env} is held${h ? ` (lock id ${lockId(h)})` : ''}.`;
  const lines = [escapeControl(head)];
  if (h) {
    lines.push(`  lock id: ${escapeControl(lockId(h))}`);
    lines.push(`  holder:  pid ${h.pid} on ${escapeControl(h.host)}`);
    lines.push(`  command: ${escapeControl(h.command)}`);
    lines.push(`  since:   ${escapeControl(h.startedAt)}`);
    if (h.ciRun) lines.push(`  CI run:  ${escapeControl(h.ciRun)}`);
  }
  if (status.state !== 'free') {
    const alive = status.alive === true ? 'yes' : status.alive === false ? 'no' : 'cannot tell';
    lines.push(`  alive:   ${alive}: ${escapeControl(status.because)}`);
    lines.push(`  where:   ${escapeControl(status.where)}`);
  }
  if (status.state === 'held' && h)
    lines.push(
      `If it hangs, release it with: ipass state unlock --force ${escapeControl(lockId(h))} -e ${escapeControl(env)}`,
    );
  return lines;
}

/**
 * Release the holding `id` names, then record the unlock as a run in the history (taking the lock
 * for that append).
 */
async function unlock(io: Io, id: string, flags: UnlockFlags): Promise<number> {
  if (!flags.force) {
    throw new IpassError('UNLOCK_NEEDS_FORCE', 'ipass state unlock releases a lock only with --force.', {
      reason:
        'Releasing the lock of a run that has not finished lets another run start; its holder is found by the id, so nothing else is touched.',
      hint: `See the holder first with \`ipass state lock\`, then run: ipass state unlock --force ${escapeControl(id)}`,
    });
  }
  const project = await loadProject(io, flags);
  const backend = await projectBackend(io, project);
  try {
    const result = await backend.unlock({ id, evenIfAlive: flags.evenIfAlive === true });
    const h = result.released;
    writeLine(
      io.stdout,
      escapeControl(
        `Released the lock of ${project.settings.name} held by pid ${h.pid} on ${h.host} ("${h.command}", since ${h.startedAt}, lock id ${lockId(h)}): ${result.done}.`,
      ),
    );
    if (result.note) writeLine(io.stdout, result.note);
    const run = await RunRecorder.start(
      io,
      project.config.rootDir,
      `state unlock --force ${lockId(h)} (pid ${h.pid} on ${h.host}, "${h.command}", since ${h.startedAt})`,
    );
    await run.finishLocking(io, backend, {
      outcome: 'succeeded',
      counts: {},
      changes: [{ address: project.settings.name, action: 'unlock', outcome: 'released' }],
    });
    return 0;
  } finally {
    await backend.close();
  }
}
