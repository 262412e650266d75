// `ipass history [-e ENV] [--limit N] [--format text|json]` and `ipass history show RUN`: the runs of
// an environment (apply, state migrate, state import, unlock), newest first, from its state
// backend. Reading the history creates and writes nothing.
import { Command } from 'commander';
import { IpassError } from '../../diagnostics/errors.js';
import { escapeControl } from '../../diagnostics/terminal-text.js';
import { RUN_FORMAT_VERSION } from '../../state/run-record.js';
import type { CommandContext } from '../command.js';
import { runLine, runText } from '../history-report.js';
import { type Io, writeLine } from '../io.js';
import { loadProject, projectBackend } from '../project.js';
import { common } from './state.js';

interface HistoryFlags {
  env?: string;
  config?: string;
  format: 'text' | 'json';
  limit?: string;
}

export function historyCommand(ctx: CommandContext): Command {
  const history = common(new Command('history'))
    .description('List the runs of an environment (apply, migrate, import, unlock), newest first.')
    .option('-n, --limit <n>', 'show at most this many runs', '20')
    .action(async (flags: HistoryFlags) => ctx.exit(await list(ctx.io, flags)));
  // `show` takes history's -e, -c and --format (before or after the run id).
  history.addCommand(
    new Command('show')
      .description('Show one run in full, with each change and its outcome (-e, --format as for history).')
      .argument('<run>', 'the run id, as `ipass history` lists it')
      .action(async (id: string) => ctx.exit(await show(ctx.io, id, history.opts<HistoryFlags>()))),
  );
  return history;
}

function parseLimit(text: string | undefined): number {
  const n = Number(text ?? '20');
  if (!Number.isInteger(n) || n < 1) {
    throw new IpassError('BAD_FLAG', `--limit takes a whole number of runs, 1 or more, not "${text}".`, {
      hint: 'For example --limit 50.',
    });
  }
  return n;
}

async function withHistory<T>(
  io: Io,
  flags: HistoryFlags,
  work: (history: Awaited<ReturnType<typeof projectBackend>>['history'], env: string) => Promise<T>,
): Promise<T> {
  const project = await loadProject(io, flags);
  const backend = await projectBackend(io, project);
  try {
    return await work(backend.history, project.settings.name);
  } finally {
    await backend.close();
  }
}

async function list(io: Io, flags: HistoryFlags): Promise<number> {
  const limit = parseLimit(flags.limit);
  return withHistory(io, flags, async (history, environment) => {
    const runs = await history.list(limit);
    if (flags.format === 'json') {
      const doc = { formatVersion: RUN_FORMAT_VERSION, environment, runs };
      writeLine(io.stdout, JSON.stringify(doc, null, 2), 'json');
      return 0;
    }
    if (runs.length === 0) {
      writeLine(io.stdout, `No runs yet in the history of ${environment}.`);
      return 0;
    }
    for (const run of runs) writeLine(io.stdout, runLine(run));
    return 0;
  });
}

async function show(io: Io, id: string, flags: HistoryFlags): Promise<number> {
  return withHistory(io, flags, async (history, environment) => {
    const run = await history.get(id);
    if (!run) {
      throw new IpassError(
        'HISTORY_RUN_UNKNOWN',
        `The history of ${environment} has no run ${escapeControl(id)}.`,
        {
          hint: `List the runs with \`ipass history -e ${environment}\` and copy an id from the first column (a run of another environment needs its -e).`,
        },
      );
    }
    if (flags.format === 'json') {
      writeLine(io.stdout, JSON.stringify({ ...run, formatVersion: RUN_FORMAT_VERSION }, null, 2), 'json');
      return 0;
    }
    for (const line of runText(run)) writeLine(io.stdout, line);
    return 0;
  });
}
