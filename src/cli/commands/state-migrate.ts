// `ipass state migrate [-e ENV] --from-dir DIR`: copy an environment's state (with an interrupted
// apply's journal folded in) and its pass ledgers from a file backend folder into the configured
// backend. Refuses another lineage, an older serial, a fork, or anything in doubt; both sides are
// locked while it copies. The way a team moves from files to PostgreSQL.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { IpassError } from '../../diagnostics/errors.js';
import { formatCount } from '../../plan/format-values.js';
import type { LedgerExport, LockedState } from '../../state/backend.js';
import { FileBackend } from '../../state/file/file-backend.js';
import { foldJournal } from '../../state/journal-records.js';
import { KeyTable } from '../../state/key-table.js';
import { defaultLedgerPath } from '../../state/ledger-format.js';
import { type StateFile, serializeState } from '../../state/state-format.js';
import type { CommandContext } from '../command.js';
import { type Io, writeLine } from '../io.js';
import { loadProject, lockNotices, parseDuration, projectBackend } from '../project.js';
import { RunRecorder } from '../run-recorder.js';

interface MigrateFlags {
  env?: string;
  config?: string;
  fromDir: string;
  lockTimeout: string;
}

export function migrateCommand(ctx: CommandContext): Command {
  return new Command('migrate')
    .description(
      "Copy an environment's state, journal and pass ledgers from a file backend folder into the configured backend.",
    )
    .requiredOption('--from-dir <dir>', 'the folder holding <env>.state.json (the old stateDir, e.g. .ipass)')
    .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .option('--lock-timeout <duration>', 'wait this long for a running apply', '0')
    .action(async (flags: MigrateFlags) => ctx.exit(await migrate(ctx.io, flags)));
}

async function migrate(io: Io, flags: MigrateFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const env = project.settings.name;
  const fromDir = resolve(io.cwd, flags.fromDir);
  const notices = lockNotices(io, flags.lockTimeout);
  const lock = { timeoutMs: parseDuration(flags.lockTimeout), onWait: notices.onLockWait };

  const run = await RunRecorder.start(
    io,
    project.config.rootDir,
    `state migrate --from-dir ${flags.fromDir}`,
  );
  const source = new FileBackend(fromDir, env, io.cwd);
  const from = await source.lock({
    ...lock,
    command: `ipass state migrate --from-dir ${flags.fromDir} (source)`,
  });
  try {
    const state = await settledSource(from, fromDir);
    const ledgers = await cleanLedgers(source, state);
    const backend = await projectBackend(io, project);
    try {
      if (backend.kind === 'file' && resolve((backend as FileBackend).stateDir) === fromDir) {
        throw new IpassError(
          'MIGRATE_SAME_PLACE',
          `${flags.fromDir} is where ${env}'s state is configured to live already.`,
          {
            hint: 'Configure the new backend (`state: { backend: postgres, url: … }`) first, then migrate from the old folder.',
          },
        );
      }
      const to = await backend.lock({ ...lock, command: `ipass state migrate --from-dir ${flags.fromDir}` });
      try {
        notices.opened(to);
        if (!(await checkTarget(to, state))) {
          await copyHistory(source, to);
          writeLine(
            io.stdout,
            `${to.where} already holds this state of ${env} (lineage ${state.lineage}, serial ${state.serial}); nothing to copy.`,
          );
          return 0;
        }
        const report = await to.importEnvironment({ state, ledgers });
        const runs = await copyHistory(source, to);
        await run.finish(io, to, { outcome: 'succeeded', counts: { ...report, runs }, changes: [] });
        writeLine(
          io.stdout,
          `Copied the state of ${env} from ${flags.fromDir} to ${to.where}: lineage ${state.lineage}, serial ${state.serial}, ${formatCount(report.templates)} template(s), ${formatCount(report.ledgers)} pass ledger(s) with ${formatCount(report.ledgerRows)} recipient row(s), ${formatCount(runs)} run(s) of its history.`,
        );
        writeLine(
          io.stdout,
          `Nothing was changed in ${flags.fromDir}; once \`ipass plan\` shows no changes, remove it (or keep it as a record). Do not apply with the file backend again.`,
        );
        return 0;
      } finally {
        await to.release();
      }
    } finally {
      await backend.close();
    }
  } finally {
    await from.release();
  }
}

/** The folder's run history, oldest first, into the target's (runs it has already are skipped). */
async function copyHistory(source: FileBackend, to: LockedState): Promise<number> {
  let copied = 0;
  for (const run of source.history.all()) {
    if (await to.history.get(run.id)) continue;
    await to.history.append(run);
    copied++;
  }
  return copied;
}

/** The source's state with its journal folded in; refused when anything is in doubt. */
async function settledSource(from: LockedState, dir: string): Promise<StateFile> {
  if (!from.exists) {
    throw new IpassError('MIGRATE_NO_SOURCE', `There is no state of ${from.environment} in ${dir}.`, {
      hint: `Give the folder that holds ${from.environment}.state.json (the stateDir the file backend used, e.g. .ipass).`,
    });
  }
  const journal = await from.unfinishedJournal();
  const folded = journal ? foldJournal(from.state, journal) : undefined;
  const state = folded?.state ?? from.state;
  const inDoubt = (folded?.inDoubt.length ?? 0) + state.pending.length;
  if (inDoubt > 0) {
    throw new IpassError(
      'MIGRATE_IN_DOUBT',
      `The state in ${dir} has ${inDoubt} request(s) whose outcome is unknown (an interrupted apply).`,
      {
        reason: 'They must be settled where they were recorded, or they could be sent twice.',
        hint: 'Run `ipass apply` once more with the file backend (the old config) to settle them, then migrate.',
      },
    );
  }
  return state;
}

/** Every ledger of the state's batches, checked: a row in doubt refuses the migration. */
async function cleanLedgers(source: FileBackend, state: StateFile): Promise<LedgerExport[]> {
  const out: LedgerExport[] = [];
  for (const address of Object.keys(state.passBatches).sort()) {
    const ref = {
      address,
      path: state.passBatches[address]?.ledger ?? defaultLedgerPath(state.environment, address),
    };
    const table = new KeyTable();
    const read = await source.ledgers.read(ref, table);
    if (!read.exists) continue;
    let doubted = 0;
    table.forEachSlot((slot) => {
      if (table.inDoubt(slot)) doubted++;
    });
    if (doubted > 0) {
      throw new IpassError(
        'MIGRATE_IN_DOUBT',
        `${source.ledgers.shown(ref)} has ${formatCount(doubted)} pass(es) whose outcome is unknown (an interrupted apply).`,
        {
          reason: 'They must be settled where they were recorded, or a recipient could get a second pass.',
          hint: 'Run `ipass apply` once more with the file backend (the old config) to settle them, then migrate.',
        },
      );
    }
    out.push(source.ledgers.exportLedger(ref, read));
  }
  return out;
}

/** False when the target holds exactly this state already; throws when copying would lose or fork. */
async function checkTarget(to: LockedState, state: StateFile): Promise<boolean> {
  if (await to.unfinishedJournal()) {
    throw new IpassError(
      'MIGRATE_TARGET_UNFINISHED',
      `An interrupted apply left work to finish in ${to.where}.`,
      {
        hint: 'Run `ipass apply` with the new backend first, and check with `ipass plan` whether a migration is still needed.',
      },
    );
  }
  if (!to.exists) return true;
  const target = to.state;
  if (target.lineage !== state.lineage) {
    throw new IpassError(
      'MIGRATE_LINEAGE_MISMATCH',
      `${to.where} already holds a different state of ${to.environment} (lineage ${target.lineage}, not ${state.lineage}).`,
      {
        reason: 'Copying over it would make ipass forget the templates that state manages.',
        hint: 'Check you are migrating the right environment into the right database/schema.',
      },
    );
  }
  if (target.serial > state.serial) {
    throw new IpassError(
      'MIGRATE_OLDER_SERIAL',
      `${to.where} holds a newer state of ${to.environment} (serial ${target.serial}) than the folder (serial ${state.serial}).`,
      { hint: 'The database has moved on: there is nothing to migrate. Use the configured backend.' },
    );
  }
  if (target.serial === state.serial) {
    if (serializeState(target) === serializeState(state)) return false;
    throw new IpassError(
      'MIGRATE_FORKED',
      `${to.where} and the folder both hold serial ${state.serial} of ${to.environment}, with different contents.`,
      {
        reason: 'Both were written independently from the same state; copying would lose one of them.',
        hint: 'Compare them (`ipass state list` with each config) and `ipass plan --refresh` against the API, then repair by hand.',
      },
    );
  }
  return true;
}
