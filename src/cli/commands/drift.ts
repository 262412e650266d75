// `ipass drift [-e ENV] [--format text|json|markdown]`: read every managed template from AlipayHK
// (`detail`) and report each field that differs from the campaign files. Exit 0 none, 2 drift,
// 1 error. The sweep's time and result are recorded in the state (under the lock), so a plan made
// without the key can say when AlipayHK was last read and what had drifted.
import { Command, Option } from 'commander';
import { connect } from '../../apply/connect.js';
import { IpassError } from '../../diagnostics/errors.js';
import type { LastSweep } from '../../plan/plan-types.js';
import type { StateBackend } from '../../state/backend.js';
import type { CommandContext } from '../command.js';
import { driftEntries, driftMarkdown, driftText } from '../drift-report.js';
import { type Io, writeLine } from '../io.js';
import { planFrom } from '../plan-from.js';
import {
  loadDesired,
  loadProject,
  once,
  type Project,
  parseDuration,
  projectBackend,
  readPlanningState,
} from '../project.js';

interface DriftFlags {
  env?: string;
  config?: string;
  format: 'text' | 'json' | 'markdown';
  lockTimeout: string;
}

export function driftCommand(ctx: CommandContext): Command {
  return new Command('drift')
    .description('Read every managed template from AlipayHK and report what differs from the files (exit 2).')
    .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option(
      '--lock-timeout <duration>',
      'wait this long for a running apply before recording the sweep',
      '2m',
    )
    .action(async (flags: DriftFlags) => ctx.exit(await drift(ctx.io, flags)));
}

async function sweep(io: Io, project: Project, backend: StateBackend): Promise<LastSweep> {
  const { settings } = project;
  const now = Date.now();
  const state = once(() => readPlanningState(backend));
  const desired = await loadDesired(
    io,
    project,
    async () => new Set(Object.keys((await state()).state.templates)),
    now,
  );
  const planning = await state();
  const target = await connect(project.config, settings, { env: io.env });
  try {
    const plan = await planFrom({
      environment: settings.name,
      desired,
      state: planning.state,
      exists: planning.exists,
      ledgers: backend.ledgers,
      now,
      refresh: { client: target.client, concurrency: settings.concurrency, scope: 'all' },
      policies: settings.policies,
      allowPolicies: [],
    });
    if (!plan.refreshed)
      throw new IpassError('CAMPAIGNS_INVALID', 'The plan has errors, so AlipayHK was not read.', {
        hint: 'Run `ipass plan` to see them, fix them, and run `ipass drift` again.',
      });
    const read = Object.values(planning.state.templates).filter((t) => t && t.status !== 'closed').length;
    return { at: new Date(now).toISOString(), templates: read, drift: driftEntries(plan, desired) };
  } finally {
    await target.close();
  }
}

/** Record the sweep in the state, under the lock; not over an apply that did not finish. */
async function record(io: Io, backend: StateBackend, result: LastSweep, flags: DriftFlags): Promise<void> {
  const store = await backend.lock({ command: 'ipass drift', timeoutMs: parseDuration(flags.lockTimeout) });
  try {
    if (!store.exists) return;
    if (await store.unfinishedJournal()) {
      writeLine(
        io.stderr,
        'Note: the sweep was not recorded: an interrupted apply is waiting to be finished (run `ipass apply`).',
      );
      return;
    }
    await store.save({ ...store.state, lastSweep: result });
  } finally {
    await store.release();
  }
}

async function drift(io: Io, flags: DriftFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const backend = await projectBackend(io, project);
  try {
    const result = await sweep(io, project, backend);
    print(io, project.settings.name, result, flags.format);
    try {
      await record(io, backend, result, flags);
    } catch (error) {
      // An apply holding the lock longer than --lock-timeout: the report stands, the next sweep records.
      if (!(error instanceof IpassError) || error.code !== 'LOCK_HELD') throw error;
      writeLine(io.stderr, `Note: the sweep was not recorded in the state: ${error.message}`);
    }
    return result.drift.length > 0 ? 2 : 0;
  } finally {
    await backend.close();
  }
}

function print(io: Io, env: string, result: LastSweep, format: DriftFlags['format']): void {
  if (format === 'json') {
    writeLine(io.stdout, JSON.stringify({ environment: env, ...result }, null, 2), 'json');
    return;
  }
  const lines = format === 'markdown' ? driftMarkdown(env, result) : driftText(env, result);
  for (const line of lines) writeLine(io.stdout, line, format === 'markdown' ? 'markdown' : 'text');
}
