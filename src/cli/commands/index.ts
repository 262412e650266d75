// Every CLI command, in the order `ipass --help` lists them. Each factory returns a commander Command.
import type { CommandFactory } from '../command.js';
import { applyCommand } from './apply.js';
import { initCommand } from './init.js';
import { keysCommand } from './keys.js';
import { planCommand } from './plan.js';
import { sandboxCommand } from './sandbox.js';
import { stateCommand } from './state.js';
import { validateCommand } from './validate.js';

export const commands: CommandFactory[] = [
  validateCommand,
  planCommand,
  applyCommand,
  stateCommand,
  sandboxCommand,
  keysCommand,
  initCommand,
];
