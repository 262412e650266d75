// Options people bring from other tools (`--yes`, `--dry-run`): commander's "unknown option" error,
// followed by a line naming what ipass offers instead. Other unknown options are reported as before.
import type { Command } from 'commander';

type WithUnknownOption = { unknownOption(flag: string): never };

export function suggestForOptions(cmd: Command, hints: Readonly<Record<string, string>>): Command {
  const target = cmd as unknown as WithUnknownOption;
  const base = target.unknownOption.bind(cmd);
  target.unknownOption = (flag: string): never => {
    const hint = hints[flag.replace(/=.*$/, '')];
    if (hint === undefined) return base(flag);
    return cmd.error(`error: unknown option '${flag}'\n${hint}`, { code: 'commander.unknownOption' });
  };
  return cmd;
}
