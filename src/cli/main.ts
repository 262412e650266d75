// Entry point: parse argv with commander, run one command, turn errors into exit codes.
// Coded errors (IpassError) are printed with their hint; anything else is reported as a bug.
import { Command, CommanderError } from 'commander';
import { type IpassError, isIpassError } from '../diagnostics/errors.js';
import { fileSystemError, isFileSystemError } from '../shared/fs-errors.js';
import type { CommandContext } from './command.js';
import { commands } from './commands/index.js';
import { exitCodeOf } from './exit-codes.js';
import { type Io, printBug, printError, processIo, writeText } from './io.js';
import { VERSION } from './version.js';

export { VERSION };

const DOING: Readonly<Record<string, string>> = {
  open: 'open a file',
  write: 'write a file',
  read: 'read a file',
  mkdir: 'create a folder',
  rename: 'replace a file',
  unlink: 'remove a file',
  fsync: 'flush a file to disk',
  scandir: 'list a folder',
};

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const ctx: CommandContext = {
    io,
    exit(code) {
      exitCode = code;
    },
  };
  const program = new Command('ipass')
    .description('Campaigns as code for the AlipayHK iPass wallet API.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 done · 1 error · 2 changes (plan --detailed-exitcode, drift) · 3 lock held · 4 apply done except some recipients failed (docs/exit-codes.md).',
    )
    .configureOutput({
      writeOut: (s) => writeText(io.stdout, s),
      writeErr: (s) => writeText(io.stderr, s),
    })
    .exitOverride();
  // Only the command being run is loaded; help (or a mistyped command) needs them all.
  const named = argv.slice(2).find((a) => !a.startsWith('-'));
  const versionOnly = !named && argv.slice(2).some((a) => a === '-v' || a === '--version');
  const needed = named && Object.hasOwn(commands, named) ? [named] : versionOnly ? [] : Object.keys(commands);
  for (const name of needed) {
    const factory = await commands[name]?.();
    if (factory) program.addCommand(factory(ctx).exitOverride());
  }

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; usage mistakes with 1.
      return error.exitCode === 0 ? 0 : 1;
    }
    if (isIpassError(error)) {
      printError(io, error);
      return exitCodeOf(error);
    }
    // A full disk, a read-only folder, a missing permission: the world, not a bug, wherever it hit.
    if (isFileSystemError(error)) {
      const path = error.path ?? '(a file ipass uses)';
      printError(io, fileSystemError(error, path, DOING[error.syscall ?? ''] ?? 'use a file') as IpassError);
      return 1;
    }
    printBug(io, error);
    return 1;
  }
}
