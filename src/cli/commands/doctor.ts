// `ipass doctor [-e ENV] [--format text|json]`: a health check for CI before a run, one line per
// check (config, private key, AlipayHK's key, state backend, API). Exit 0 when all pass, 1 otherwise.
// It reads only: nothing is created, written or sent beyond one signed read.
import { Command, Option } from 'commander';
import type { CommandContext } from '../command.js';
import { type Check, checkAlipayKey, checkPrivateKey, failed, ok, skip } from '../doctor-checks.js';
import { checkApi, checkState } from '../doctor-remote.js';
import { type Io, paint, writeLine } from '../io.js';
import { loadProject, type Project } from '../project.js';

interface DoctorFlags {
  env?: string;
  config?: string;
  format: 'text' | 'json';
}

export function doctorCommand(ctx: CommandContext): Command {
  return new Command('doctor')
    .description('Check config, keys, state backend and API before a run (exit 0 all pass, 1 otherwise).')
    .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: DoctorFlags) => ctx.exit(await doctor(ctx.io, flags)));
}

async function runChecks(io: Io, flags: DoctorFlags): Promise<{ environment?: string; checks: Check[] }> {
  let project: Project;
  try {
    project = await loadProject(io, flags);
  } catch (error) {
    const rest = ['private key', 'AlipayHK key', 'state', 'API'].map((n) => skip(n, 'needs the config'));
    return { checks: [failed('config', error), ...rest] };
  }
  const { config, settings } = project;
  const file = config.file ? `${config.file.slice(config.rootDir.length + 1)}` : 'no config file (defaults)';
  const checks = [
    ok(
      'config',
      `${file}, environment ${settings.name}${settings.sandbox ? ' (embedded sandbox)' : ` (${settings.endpoint})`}`,
    ),
    checkPrivateKey(io, project),
    checkAlipayKey(io, project),
  ];
  const state = await checkState(io, project);
  checks.push(state.check);
  const keysOk = checks.every((c) => c.status === 'ok');
  checks.push(
    keysOk || settings.sandbox
      ? await checkApi(io, project, state.templateCode)
      : skip('API', 'needs usable keys'),
  );
  return { environment: settings.name, checks };
}

async function doctor(io: Io, flags: DoctorFlags): Promise<number> {
  const { environment, checks } = await runChecks(io, flags);
  const passed = checks.every((c) => c.status === 'ok');
  if (flags.format === 'json') {
    writeLine(io.stdout, JSON.stringify({ environment, ok: passed, checks }, null, 2), 'json');
    return passed ? 0 : 1;
  }
  const width = Math.max(...checks.map((c) => c.name.length));
  for (const c of checks) {
    const mark =
      c.status === 'ok'
        ? paint(io, 'green', 'ok  ')
        : c.status === 'fail'
          ? paint(io, 'red', 'FAIL')
          : 'skip';
    writeLine(io.stdout, `${mark}  ${c.name.padEnd(width)}  ${c.code ? `${c.code}: ` : ''}${c.detail}`);
    if (c.hint) writeLine(io.stdout, `      ${' '.repeat(width)}  hint: ${c.hint}`);
  }
  const failures = checks.filter((c) => c.status !== 'ok').length;
  writeLine(
    io.stdout,
    passed ? 'All checks passed.' : `${failures} of ${checks.length} checks did not pass.`,
  );
  return passed ? 0 : 1;
}
