// The contract between main.ts and a command: build a commander Command whose action returns the
// process exit code. Commands print only through `io`.
import type { Command } from 'commander';
import type { Io } from './io.js';

export interface CommandContext {
  io: Io;
  /** Set the exit code the process ends with. */
  exit(code: number): void;
}

export type CommandFactory = (ctx: CommandContext) => Command;
