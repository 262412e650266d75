// Every CLI command by name, in the order `ipass --help` lists them. Each is loaded only when it is
// run (or for help), so a command does not pay for the others' dependencies at start-up.
import type { CommandFactory } from '../command.js';

export const commands: Record<string, () => Promise<CommandFactory>> = {
  validate: async () => (await import('./validate.js')).validateCommand,
  plan: async () => (await import('./plan.js')).planCommand,
  apply: async () => (await import('./apply.js')).applyCommand,
  preview: async () => (await import('./preview.js')).previewCommand,
  drift: async () => (await import('./drift.js')).driftCommand,
  history: async () => (await import('./history.js')).historyCommand,
  state: async () => (await import('./state.js')).stateCommand,
  import: async () => (await import('./import.js')).importCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  sandbox: async () => (await import('./sandbox.js')).sandboxCommand,
  keys: async () => (await import('./keys.js')).keysCommand,
  init: async () => (await import('./init.js')).initCommand,
};
