// `ipass apply [PLANFILE]`: carry out a plan (a saved one, or a fresh one after confirmation), with
// the state locked from the moment the campaign files are parsed; Ctrl-C stops it (see interrupts.ts).
import { Command, Option } from 'commander';
import type { ApiCaller } from '../../api/api-caller.js';
import { connect } from '../../apply/connect.js';
import { type ApplyReport, runApply } from '../../apply/run-apply.js';
import type { CampaignSet } from '../../campaign/types.js';
import { IpassError } from '../../diagnostics/errors.js';
import { planHasErrors } from '../../plan/make-plan.js';
import type { Plan } from '../../plan/plan-types.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { LockedState, StateBackend } from '../../state/backend.js';
import { type OnReport, withJsonReport } from '../apply-report-json.js';
import { applyEnding, applyRunCommand, failedEnding } from '../apply-run.js';
import { summarizeApply } from '../apply-summary.js';
import type { CommandFactory } from '../command.js';
import { watchInterrupts } from '../interrupts.js';
import { type Io, printDiagnostics, writeText } from '../io.js';
import { suggestForOptions } from '../option-hints.js';
import { passPhase } from '../pass-phase.js';
import { readPlanFile } from '../plan-file.js';
import { planFrom, RETRY_FAILED_HELP, type RefreshScope } from '../plan-from.js';
import { ALLOW_POLICY_HELP, collectAllowPolicy } from '../policy-flag.js';
import {
  loadDesired,
  loadProject,
  lockNotices,
  once,
  type Project,
  parseDuration,
  projectBackend,
} from '../project.js';
import { confirm } from '../prompt.js';
import { createReporter } from '../reporter.js';
import { guardRollback } from '../rollback-guard.js';
import { type RunEnding, RunRecorder } from '../run-recorder.js';

interface ApplyFlags {
  env?: string;
  config?: string;
  autoApprove?: boolean;
  lockTimeout: string;
  refresh: RefreshScope | false | string;
  allowPolicy: string[];
  retryFailed?: boolean;
  format: 'text' | 'json';
  allowRollback?: boolean;
}

/** --refresh: changed (the default), all (also true), or false. */
function parseRefresh(value: string | boolean): RefreshScope | false {
  if (value === true || /^(all|true|yes|1)$/i.test(String(value))) return 'all';
  if (/^changed$/i.test(String(value))) return 'changed';
  if (/^(false|no|0)$/i.test(String(value))) return false;
  throw new IpassError('BAD_FLAG', `--refresh takes changed, all or false, not "${value}".`, {
    hint: 'Leave it out to read only the templates the plan changes (--refresh=changed), --refresh=all to read every managed template, --refresh=false to plan from the state alone.',
  });
}

const AUTO_APPROVE =
  'To apply without being asked, use --auto-approve: `ipass apply --auto-approve` (review `ipass plan` first).';
const OPTION_HINTS: Record<string, string> = {
  '--yes': AUTO_APPROVE,
  '-y': AUTO_APPROVE,
  '--dry-run': 'To see what apply would do without doing it, run `ipass plan` (it sends nothing).',
};

export const applyCommand: CommandFactory = (ctx) =>
  suggestForOptions(applyCommandOptions(ctx), OPTION_HINTS);

const applyCommandOptions: CommandFactory = (ctx) =>
  new Command('apply')
    .description('Carry out a plan: a saved plan file, or a fresh plan after confirmation.')
    .argument('[planfile]', 'a plan saved with `ipass plan --out FILE`')
    .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .option('--auto-approve', 'do not ask for confirmation (needed without a terminal)')
    .option(
      '--lock-timeout <duration>',
      'wait this long for another apply on the same environment (e.g. 30s, 5m)',
      '0',
    )
    .option(
      '--refresh [changed|all|false]',
      'read templates from the API before planning: those the plan changes (changed, the default), every managed one (all: drift anywhere is corrected), or none (false); a saved plan keeps its own setting',
      parseRefresh,
      'changed',
    )
    .option('--allow-policy <rule>', ALLOW_POLICY_HELP, collectAllowPolicy, [])
    .option('--retry-failed', `${RETRY_FAILED_HELP}; a saved plan must have been made with it too`)
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format: json prints only the report on stdout (needs --auto-approve or a saved plan)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--allow-rollback',
      'apply even though this commit is not a descendant of the last one applied (recorded as a rollback)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 done (or nothing to do) · 1 error, a template change failed or is in doubt, interrupted · 3 lock held after --lock-timeout · 4 done except some recipients failed (the failures CSV names them).',
    )
    .action(async (planfile: string | undefined, flags: ApplyFlags) => {
      ctx.exit(await runApplyCommand(ctx.io, planfile, flags));
    });

/** Refuse what cannot run before anything is read: no way to confirm, or a plan for another environment. */
function checkRequest(io: Io, saved: Plan | undefined, flags: ApplyFlags): string | undefined {
  if (!saved && !flags.autoApprove && flags.format === 'json') {
    throw new IpassError(
      'APPLY_JSON_NEEDS_APPROVAL',
      'Not applying: with --format json, stdout carries only the report, so there is no way to confirm the plan.',
      {
        hint: 'Review `ipass plan` and pass --auto-approve, or apply a saved plan: `ipass plan --out plan.json` then `ipass apply plan.json --format json`.',
      },
    );
  }
  if (!saved && !flags.autoApprove && !io.interactive) {
    throw new IpassError(
      'APPLY_NEEDS_APPROVAL',
      'Not applying: there is no terminal to confirm the plan on.',
      {
        hint: 'Review `ipass plan` and pass --auto-approve, or apply a saved plan: `ipass plan --out plan.json` then `ipass apply plan.json`.',
      },
    );
  }
  // A saved plan is for the environment it was made for: -e, else IPASS_ENV, must agree with it.
  const chosen = flags.env ?? io.env.IPASS_ENV;
  if (saved && chosen !== undefined && chosen !== saved.environment) {
    throw new IpassError(
      'PLAN_WRONG_ENVIRONMENT',
      `This plan was made for environment "${saved.environment}", but ${flags.env !== undefined ? '-e' : 'IPASS_ENV'} says "${chosen}".`,
      {
        reason: 'Nothing was sent.',
        hint: `Apply it with -e ${saved.environment}, or make a new plan for ${chosen}.`,
      },
    );
  }
  return chosen ?? saved?.environment;
}

async function runApplyCommand(io: Io, planfile: string | undefined, flags: ApplyFlags): Promise<number> {
  if (flags.format !== 'json') return applyCommandRun(io, planfile, flags, () => {});
  return withJsonReport(io, flags.env ?? io.env.IPASS_ENV ?? '', (textIo, onReport) =>
    applyCommandRun(textIo, planfile, flags, onReport),
  );
}

async function applyCommandRun(
  io: Io,
  planfile: string | undefined,
  flags: ApplyFlags,
  onReport: OnReport,
): Promise<number> {
  const saved = planfile ? readPlanFile(planfile) : undefined;
  const env = checkRequest(io, saved, flags);
  const project = await loadProject(io, { ...flags, ...(env !== undefined ? { env } : {}) });
  const lockTimeoutMs = parseDuration(flags.lockTimeout);
  if (saved && planHasErrors(saved)) {
    throw new IpassError('PLAN_HAS_ERRORS', `The plan in ${planfile} has errors, so it cannot be applied.`, {
      hint: 'Fix them and make a new plan.',
    });
  }
  // The state is opened (locked and read) once the campaign files are parsed: a large state read
  // first would let the parsing garbage pile up in the old generation before the next full GC.
  const notices = lockNotices(io, flags.lockTimeout);
  let backend: StateBackend | undefined;
  let opened: LockedState | undefined;
  const openStore = once(async () => {
    backend = await projectBackend(io, project);
    opened = await backend.lock({
      command: `ipass apply${planfile ? ` ${planfile}` : ''}`,
      timeoutMs: lockTimeoutMs,
      onWait: notices.onLockWait,
    });
    return opened;
  });
  const run = await RunRecorder.start(io, project.config.rootDir, applyRunCommand(planfile, flags));
  const interrupts = watchInterrupts({
    io,
    started: () => opened !== undefined,
    quit: (code) => process.exit(code),
  });
  let ending: RunEnding | undefined;
  try {
    const now = Date.now();
    const desired = await loadDesired(
      io,
      project,
      async () => new Set(Object.keys((await openStore()).state.templates)),
      now,
    );
    const store = await openStore();
    notices.opened(store);
    await guardRollback(io, project, store.state, run, flags.allowRollback === true);
    if (saved && saved.inputHash !== desired.inputHash) {
      throw new IpassError(
        'PLAN_INPUTS_CHANGED',
        `The campaign files changed since the plan in ${planfile} was made.`,
        {
          hint: 'Make a new plan (`ipass plan --out FILE`), review it, and apply that.',
        },
      );
    }
    const report = await applyPlan(io, { project, desired, store, saved, flags, signal: interrupts.signal });
    ending = applyEnding(report);
    const code = summarizeApply(io, report, project.config.rootDir);
    onReport(report, project.settings.name, project.config.rootDir, run.id);
    return code;
  } catch (error) {
    ending = failedEnding(error, interrupts.signal.aborted);
    throw error;
  } finally {
    interrupts.dispose();
    if (opened && ending) await run.finish(io, opened, ending);
    await opened?.release();
    await backend?.close();
  }
}

interface ApplyContext {
  project: Project;
  desired: CampaignSet;
  store: LockedState;
  saved: Plan | undefined;
  flags: ApplyFlags;
  signal: AbortSignal;
}

/** Connect to the API and run the apply, with progress shown as it goes. */
/** A saved plan is derived again the way it was made (all or nothing); otherwise as --refresh says. */
function refreshOf(
  saved: Plan | undefined,
  flag: ApplyFlags['refresh'],
  client: ApiCaller,
  concurrency: number,
) {
  const scope = saved ? saved.refreshed && 'all' : parseRefresh(flag);
  return scope ? { client, concurrency, scope } : undefined;
}

async function applyPlan(io: Io, ctx: ApplyContext): Promise<ApplyReport> {
  const { project, desired, store, saved, flags } = ctx;
  const { settings } = project;
  const target = await connect(project.config, settings, { env: io.env });
  const reporter = createReporter(io);
  try {
    return await runApply({
      store,
      client: target.client,
      plan: {
        saved,
        make: (state, exists) =>
          planFrom({
            environment: settings.name,
            desired,
            state,
            exists,
            ledgers: store.ledgers,
            now: Date.now(),
            // A saved plan is derived again the way it was made; otherwise read the API first.
            refresh: refreshOf(saved, flags.refresh, target.client, settings.concurrency),
            policies: settings.policies,
            allowPolicies: flags.allowPolicy,
            retryFailed: flags.retryFailed === true,
          }),
      },
      concurrency: settings.concurrency,
      signal: ctx.signal,
      hooks: {
        ...reporter.hooks,
        planReady: (plan) => {
          writeText(io.stdout, renderPlanText(plan, { color: io.color }));
          printDiagnostics(io, plan.diagnostics);
        },
      },
      passes: passPhase(settings, desired, reporter),
      confirm: async (plan) => {
        const go =
          saved || flags.autoApprove ? true : await confirm(io, `\nApply these changes to ${settings.name}?`);
        if (go) reporter.begin(plan);
        return go;
      },
    });
  } finally {
    await reporter.end();
    await target.close();
  }
}
