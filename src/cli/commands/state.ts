// `ipass state list|show|rm|import`: inspect and repair the state of an environment.
// Changes take the environment's lock and are written like any apply (serial+1, backup kept).
import { Command, Option } from 'commander';
import { IpassError } from '../../diagnostics/errors.js';
import { formatCount } from '../../plan/format-values.js';
import type { LockedState, StateBackend } from '../../state/backend.js';
import { stableStringify, templateEntries } from '../../state/state-format.js';
import type { CommandContext } from '../command.js';
import { type Io, writeLine, writeText } from '../io.js';
import { passBatchStatus, passBatchStatuses } from '../pass-batch-status.js';
import {
  loadDesired,
  loadProject,
  lockNotices,
  type Project,
  parseDuration,
  projectBackend,
  readPlanningState,
} from '../project.js';
import { remoteTemplate } from '../remote-template.js';
import { RunRecorder } from '../run-recorder.js';
import { batchRow, batchText, listText, templateRow, templateText } from '../state-report.js';
import { initCommand } from './state-init.js';
import { lockCommand, unlockCommand } from './state-lock.js';
import { migrateCommand } from './state-migrate.js';

interface StateFlags {
  env?: string;
  config?: string;
  format: 'text' | 'json';
  lockTimeout?: string;
}

/** -e, -c and --format text|json, as the state and history commands take them. */
export const common = (cmd: Command): Command =>
  cmd
    .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'),
    );

export function stateCommand(ctx: CommandContext): Command {
  const state = new Command('state').description('Inspect and repair the state of an environment.');
  state.addCommand(
    common(new Command('list'))
      .description('List the templates and pass batches the state manages.')
      .action(async (flags: StateFlags) => ctx.exit(await list(ctx.io, flags))),
  );
  state.addCommand(
    common(new Command('show'))
      .description('Show everything the state holds for one address.')
      .argument('<address>', 'campaign/key')
      .action(async (address: string, flags: StateFlags) => ctx.exit(await show(ctx.io, address, flags))),
  );
  state.addCommand(
    common(new Command('rm'))
      .description('Forget an address (the template stays as it is remotely, no longer managed).')
      .argument('<address>', 'campaign/key')
      .option('--lock-timeout <duration>', 'wait this long for a running apply', '0')
      .action(async (address: string, flags: StateFlags) => ctx.exit(await remove(ctx.io, address, flags))),
  );
  state.addCommand(
    common(new Command('import'))
      .description('Adopt an existing template (by its code) for an address of the campaign files.')
      .argument('<address>', 'campaign/key, as declared in a campaign file')
      .argument('<code>', 'the templateCode AlipayHK gave the template')
      .option('--lock-timeout <duration>', 'wait this long for a running apply', '0')
      .action(async (address: string, code: string, flags: StateFlags) =>
        ctx.exit(await importTemplate(ctx.io, address, code, flags)),
      ),
  );
  state.addCommand(migrateCommand(ctx));
  state.addCommand(initCommand(ctx));
  state.addCommand(lockCommand(ctx));
  state.addCommand(unlockCommand(ctx));
  return state;
}

/** `work` with the state as a plan sees it and the backend it was read from (then closed). */
async function withState<T>(
  io: Io,
  project: Project,
  work: (read: Awaited<ReturnType<typeof readPlanningState>>, backend: StateBackend) => Promise<T>,
): Promise<T> {
  const backend = await projectBackend(io, project);
  try {
    return await work(await readPlanningState(backend), backend);
  } finally {
    await backend.close();
  }
}

async function list(io: Io, flags: StateFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const { settings } = project;
  const { state, exists, batches } = await withState(io, project, async ({ state, exists }, backend) => ({
    state,
    exists,
    batches: await passBatchStatuses(backend.ledgers, settings.stateDir, project.config.rootDir, state),
  }));
  const templates = templateEntries(state);
  if (flags.format === 'json') {
    const rows = [...templates.map(([a, t]) => templateRow(a, t)), ...batches.map(batchRow)];
    writeLine(io.stdout, JSON.stringify(rows, null, 2), 'json');
    return 0;
  }
  if (templates.length === 0 && batches.length === 0) {
    writeLine(
      io.stdout,
      exists
        ? `The state of ${settings.name} manages no templates yet.`
        : `There is no state of ${settings.name} yet: nothing has been applied to it.`,
    );
    return 0;
  }
  const counts = `${templates.length} template${templates.length === 1 ? '' : 's'}, ${batches.length} pass batch${batches.length === 1 ? '' : 'es'}`;
  const footer = `${counts} · state serial ${state.serial} · lineage ${state.lineage}`;
  for (const line of listText(templates, batches, footer)) writeLine(io.stdout, line);
  return 0;
}

function notManaged(address: string, env: string): IpassError {
  return new IpassError(
    'STATE_NO_ADDRESS',
    `The state of ${env} has no template or pass batch at ${address}.`,
    {
      hint: 'See the managed addresses with `ipass state list`.',
    },
  );
}

async function show(io: Io, address: string, flags: StateFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const { settings } = project;
  const { t, batch } = await withState(io, project, async ({ state }, backend) => {
    const t = state.templates[address];
    const batch = t
      ? undefined
      : await passBatchStatus(backend.ledgers, settings.stateDir, project.config.rootDir, state, address);
    return { t, batch };
  });
  if (!t && !batch) throw notManaged(address, settings.name);
  if (flags.format === 'json') {
    writeText(
      io.stdout,
      stableStringify(
        t
          ? { ...templateRow(address, t), spec: t.spec, generation: t.generation, requestId: t.requestId }
          : batch && batchRow(batch),
      ),
      'json',
    );
    return 0;
  }
  for (const line of t ? templateText(address, t) : batch ? batchText(batch) : []) writeLine(io.stdout, line);
  return 0;
}

/** The environment's state, locked; `work` runs with it, then the lock is released. */
async function withLockedState<T>(
  io: Io,
  project: Project,
  command: string,
  flags: StateFlags,
  work: (store: LockedState) => Promise<T>,
): Promise<T> {
  const notices = lockNotices(io, flags.lockTimeout ?? '0');
  const backend: StateBackend = await projectBackend(io, project);
  try {
    const store = await backend.lock({
      command,
      timeoutMs: parseDuration(flags.lockTimeout ?? '0'),
      onWait: notices.onLockWait,
    });
    try {
      notices.opened(store);
      await refuseUnfinished(store);
      return await work(store);
    } finally {
      await store.release();
    }
  } finally {
    await backend.close();
  }
}

async function refuseUnfinished(store: LockedState): Promise<void> {
  if (await store.unfinishedJournal()) {
    throw new IpassError(
      'STATE_APPLY_UNFINISHED',
      'An interrupted apply left work to finish in this environment.',
      {
        hint: 'Run `ipass apply` first (it finishes recording and re-sends requests whose outcome is unknown), then repeat this command.',
      },
    );
  }
}

async function remove(io: Io, address: string, flags: StateFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const { settings } = project;
  return withLockedState(io, project, `ipass state rm ${address}`, flags, async (store) => {
    const t = store.state.templates[address];
    if (!t) throw notManaged(address, settings.name);
    const templates = { ...store.state.templates };
    delete templates[address];
    await store.save({
      ...store.state,
      templates,
      pending: store.state.pending.filter((p) => p.address !== address),
    });
    writeLine(
      io.stdout,
      `Removed ${address} from the state of ${settings.name}. Template ${t.templateCode} is left as it is remotely and is no longer managed.`,
    );
    return 0;
  });
}

async function importTemplate(io: Io, address: string, code: string, flags: StateFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const desired = await loadDesired(io, project, new Set([address]), Date.now());
  const template = desired.templates.find((t) => t.address === address);
  if (!template) {
    throw new IpassError('IMPORT_NOT_DECLARED', `${address} is not declared in any campaign file.`, {
      hint: 'Declare the template in a campaign file first (with the content it should have), then import it.',
    });
  }
  const run = await RunRecorder.start(io, project.config.rootDir, `state import ${address} ${code}`);
  return withLockedState(io, project, `ipass state import ${address}`, flags, async (store) => {
    if (store.state.templates[address]) {
      throw new IpassError(
        'IMPORT_ADDRESS_TAKEN',
        `${address} already manages template ${store.state.templates[address]?.templateCode}.`,
        {
          hint: `Remove it first with \`ipass state rm ${address}\` if the state is wrong.`,
        },
      );
    }
    const owner = Object.entries(store.state.templates).find(([, t]) => t?.templateCode === code);
    if (owner)
      throw new IpassError('IMPORT_CODE_TAKEN', `Template ${code} is already managed at ${owner[0]}.`, {
        hint: 'A template can be managed at one address only.',
      });
    const { spec, status, stock, verified } = await remoteTemplate(io, project, code, template);
    await store.save({
      ...store.state,
      templates: {
        ...store.state.templates,
        [address]: {
          templateCode: code,
          status,
          stock,
          protect: template.protect,
          generation: 1,
          requestId: '',
          imported: true,
          file: template.file,
          spec,
          superseded: [],
        },
      },
    });
    await run.finish(io, store, {
      outcome: 'succeeded',
      counts: { imported: 1 },
      changes: [{ address, action: 'import', templateCode: code, outcome: 'done' }],
    });
    writeLine(
      io.stdout,
      `Imported ${code} as ${address}${verified ? ` (verified: ${status}, stock ${formatCount(stock)})` : ''}. Run \`ipass plan\` to see how it differs from the campaign file.`,
    );
    return 0;
  });
}
