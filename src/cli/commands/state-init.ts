// `ipass state init [-e ENV]`: create or upgrade the state tables of a PostgreSQL backend, as the
// owner role, so that the applier (rows only) and reader (SELECT only) roles never need to.
import { Command } from 'commander';
import type { PostgresBackend } from '../../state/postgres/pg-backend.js';
import type { CommandContext } from '../command.js';
import { type Io, writeLine } from '../io.js';
import { loadProject, projectBackend } from '../project.js';

interface InitFlags {
  env?: string;
  config?: string;
}

export function initCommand(ctx: CommandContext): Command {
  return new Command('init')
    .description('Create or upgrade the state tables (PostgreSQL; run it with the owner role).')
    .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .action(async (flags: InitFlags) => ctx.exit(await init(ctx.io, flags)));
}

async function init(io: Io, flags: InitFlags): Promise<number> {
  const project = await loadProject(io, flags);
  const backend = await projectBackend(io, project);
  try {
    if (backend.kind !== 'postgres') {
      writeLine(
        io.stdout,
        `The state of ${project.settings.name} is kept in files (${backend.where}): there are no tables to create.`,
      );
      return 0;
    }
    const change = await (backend as PostgresBackend).initialize();
    const what =
      change.from === change.to
        ? `are already at version ${change.to}; nothing to do`
        : change.from === undefined
          ? `were created (version ${change.to})`
          : `were upgraded from version ${change.from} to ${change.to}`;
    writeLine(io.stdout, `The state tables in ${backend.where} ${what}.`);
    return 0;
  } finally {
    await backend.close();
  }
}
