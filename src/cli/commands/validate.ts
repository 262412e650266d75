// `ipass validate [PATH…] [--format text|json|github]`: schema and rule checks of the campaign files,
// offline. Exit 0 when there is no error (warnings allowed), 1 otherwise; bad input is never a stack trace.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { type LoadCampaignsResult, loadCampaigns } from '../../campaign/load-campaigns.js';
import { environmentSettings, selectEnvironmentName } from '../../config/environment.js';
import { type LoadedConfig, loadConfig } from '../../config/load-config.js';
import {
  type Diagnostic,
  formatGithubAnnotation,
  hasErrors,
  sortDiagnostics,
} from '../../diagnostics/diagnostic.js';
import { IpassError } from '../../diagnostics/errors.js';
import { summarizePassBatches } from '../../passes/index.js';
import { planChecks } from '../../plan/plan-checks.js';
import type { LedgerReader, StateBackend } from '../../state/backend.js';
import { FileBackend } from '../../state/file/file-backend.js';
import { openBackend } from '../../state/open-backend.js';
import { emptyState, parseState, type StateFile } from '../../state/state-format.js';
import type { CommandFactory } from '../command.js';
import { type Io, paint, printDiagnostics, writeLine } from '../io.js';
import { once } from '../project.js';

export const VALIDATE_FORMAT_VERSION = 1;

type Format = 'text' | 'json' | 'github';

interface ValidateFlags {
  format: Format;
  config?: string;
  env?: string;
}

type Counts = LoadCampaignsResult['counts'];

export const validateCommand: CommandFactory = (ctx) =>
  new Command('validate')
    .description('Check campaign files against the schema and the rules, offline (exit 0 valid, 1 invalid).')
    .argument('[paths...]', 'campaign files or folders (default: `campaigns` from the config)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'),
    )
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .option(
      '-e, --env <name>',
      'environment whose state tells which templates exist (default: IPASS_ENV or defaultEnvironment)',
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      const { diagnostics, counts } = await runValidate(ctx.io, paths, flags);
      report(ctx.io, flags.format, sortDiagnostics(diagnostics), counts);
      ctx.exit(hasErrors(diagnostics) ? 1 : 0);
    });

async function runValidate(
  io: Io,
  paths: string[],
  flags: ValidateFlags,
): Promise<{ diagnostics: Diagnostic[]; counts: Counts }> {
  const none: Counts = { files: 0, templates: 0, passes: 0 };
  const loaded = await loadConfig(
    flags.config === undefined ? { cwd: io.cwd } : { cwd: io.cwd, configFile: flags.config },
  );
  const config = loaded.config;
  if (!config) return { diagnostics: loaded.diagnostics, counts: none };
  const env = selectEnvironmentName(config, flags.env, io.env);
  if (!config.environments[env]) {
    const known = Object.keys(config.environments).sort().join(', ');
    return {
      diagnostics: [
        ...loaded.diagnostics,
        {
          severity: 'error',
          code: 'CONFIG_UNKNOWN_ENVIRONMENT',
          message: `There is no environment named "${env}".`,
          hint: `Known environments: ${known}. Pick one with --env (or IPASS_ENV), or add "${env}" under \`environments:\` in the config.`,
        },
      ],
      counts: none,
    };
  }
  const read = once(() => readStateLeniently(io, config, env));
  const now = Date.now();
  const result = await loadCampaigns({
    cwd: io.cwd,
    rootDir: config.rootDir,
    patterns: config.campaigns,
    ...(paths.length > 0 ? { paths } : {}),
    now,
    existing: async () => (await read()).existing,
  });
  const { state, readable, ledgers, diagnostics, close } = await read();
  try {
    // Row-by-row checks of the recipients files (streamed), and the ledgers' counts for the stock rule.
    const rows =
      result.set.passes.length === 0
        ? { summaries: new Map(), diagnostics: [] }
        : await summarizePassBatches({ batches: result.set.passes, state, ledgers, environment: env });
    // The checks `plan` makes against the state, and the policies (only once the files are valid).
    const checks = hasErrors(result.diagnostics)
      ? []
      : planChecks({
          environment: env,
          desired: result.set,
          state: readable ? state : undefined,
          summaries: rows.summaries,
          policies: environmentSettings(config, env).policies,
          now,
          partial: paths.length > 0,
        });
    return {
      diagnostics: [
        ...loaded.diagnostics,
        ...diagnostics,
        ...result.diagnostics,
        ...rows.diagnostics,
        ...checks,
      ],
      counts: result.counts,
    };
  } finally {
    await close?.();
  }
}

interface LenientState {
  state: StateFile;
  /** The state was read as it is (or there is none yet): the checks `plan` makes against it can run. */
  readable: boolean;
  existing: Set<string>;
  ledgers: LedgerReader | undefined;
  diagnostics: Diagnostic[];
  /** Close the backend once the ledgers are read. */
  close?: () => Promise<void>;
}

/**
 * Which templates exist, and the ledgers, from one read of the state; never writes or creates it.
 * Validation does not depend on the state being readable: for files any `templates` keys count and a
 * damaged state means none; a state that cannot be read is a warning, and every template is checked
 * as if new (the checks `plan` makes against the state are skipped).
 */
async function readStateLeniently(io: Io, config: LoadedConfig, env: string): Promise<LenientState> {
  const empty = emptyState(env, '00000000-0000-0000-0000-000000000000');
  const settings = environmentSettings(config, env);
  if (settings.state.backend === 'file') {
    const files = new FileBackend(settings.stateDir, env, config.rootDir);
    const none = {
      state: empty,
      readable: true,
      existing: new Set<string>(),
      ledgers: files.ledgers,
      diagnostics: [],
    };
    let text: string;
    try {
      text = readFileSync(files.paths.state, 'utf8');
    } catch (error) {
      // No state yet: nothing exists. Any other failure: the state is there but cannot be read.
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? none : damaged(none, env);
    }
    const parsed = parseState(text);
    if (parsed.ok)
      return { ...none, state: parsed.state, existing: new Set(Object.keys(parsed.state.templates)) };
    try {
      const loose = JSON.parse(text) as { templates?: Record<string, unknown> };
      return { ...damaged(none, env), existing: new Set(Object.keys(loose.templates ?? {})) };
    } catch {
      return damaged(none, env);
    }
  }
  let backend: StateBackend | undefined;
  try {
    backend = await openBackend(config, settings, { env: io.env, cwd: config.rootDir });
    const { state } = await backend.read();
    const opened = backend;
    return {
      state,
      readable: true,
      existing: new Set(Object.keys(state.templates)),
      ledgers: backend.ledgers,
      diagnostics: [],
      close: () => opened.close(),
    };
  } catch (error) {
    await backend?.close();
    if (!(error instanceof IpassError)) throw error;
    return {
      state: empty,
      readable: false,
      existing: new Set(),
      ledgers: undefined,
      diagnostics: [
        {
          severity: 'warning',
          code: 'STATE_NOT_READ',
          message: `Could not read the state of ${env} (${error.code}: ${error.message}); every template is checked as if it were new.`,
          hint: 'validate works without it; `ipass plan` needs it, so fix the state settings (or the database) before planning.',
        },
      ],
    };
  }
}

function damaged(none: LenientState, env: string): LenientState {
  return {
    ...none,
    readable: false,
    diagnostics: [
      {
        severity: 'warning',
        code: 'STATE_NOT_READ',
        message: `The state file of ${env} cannot be read as a state; every template is checked as if it were new, and the checks \`ipass plan\` makes against the state were skipped.`,
        hint: '`ipass plan` says what is wrong with it; `ipass state list` shows what it holds.',
      },
    ],
  };
}

function report(io: Io, format: Format, diagnostics: Diagnostic[], counts: Counts): void {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (format === 'json') {
    const document = {
      formatVersion: VALIDATE_FORMAT_VERSION,
      valid: errors === 0,
      counts: {
        files: counts.files,
        templates: counts.templates,
        passBatches: counts.passes,
        errors,
        warnings,
      },
      diagnostics: diagnostics.map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
        hint: d.hint ?? null,
        file: d.position?.file ?? null,
        line: d.position?.line ?? null,
        col: d.position?.col ?? null,
        path: d.path ?? null,
      })),
    };
    writeLine(io.stdout, JSON.stringify(document, null, 2), 'json');
    return;
  }
  if (format === 'github') {
    for (const d of diagnostics) writeLine(io.stdout, formatGithubAnnotation(d), 'annotations');
  } else {
    printDiagnostics(io, diagnostics);
  }
  writeLine(io.stdout, summary(io, counts, errors, warnings));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summary(io: Pick<Io, 'color'>, counts: Counts, errors: number, warnings: number): string {
  const what = `${plural(counts.files, 'file')}, ${plural(counts.templates, 'template')}, ${plural(counts.passes, 'pass batch', 'pass batches')}`;
  if (errors > 0) {
    const problems = [plural(errors, 'error'), ...(warnings ? [plural(warnings, 'warning')] : [])].join(', ');
    return `${what}: ${paint(io, 'red', problems)}.`;
  }
  return warnings
    ? `${what}: ${paint(io, 'green', 'valid')}, ${paint(io, 'yellow', plural(warnings, 'warning'))}.`
    : `${what}: ${paint(io, 'green', 'valid')}.`;
}
