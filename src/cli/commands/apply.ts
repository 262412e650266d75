// `ipass apply [PLANFILE]`: carry out a plan (a saved one, or a fresh one after confirmation), with
// the state locked from the moment the campaign files are parsed; Ctrl-C stops it (see interrupts.ts).
import { Command } from 'commander';
import { connect } from '../../apply/connect.js';
import { type ApplyReport, runApply } from '../../apply/run-apply.js';
import type { CampaignSet } from '../../campaign/types.js';
import { IpassError } from '../../diagnostics/errors.js';
import { planHasErrors } from '../../plan/make-plan.js';
import type { Plan } from '../../plan/plan-types.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { LockedState, StateBackend } from '../../state/backend.js';
import { summarizeApply } from '../apply-summary.js';
import type { CommandFactory } from '../command.js';
import { watchInterrupts } from '../interrupts.js';
import { type Io, printDiagnostics, writeText } from '../io.js';
import { suggestForOptions } from '../option-hints.js';
import { passPhase } from '../pass-phase.js';
import { readPlanFile } from '../plan-file.js';
import { planFrom } from '../plan-from.js';
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

interface ApplyFlags {
  env?: string;
  config?: string;
  autoApprove?: boolean;
  lockTimeout: string;
  refresh: boolean;
  allowPolicy: string[];
}

function parseBoolean(value: string): boolean {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new IpassError('BAD_FLAG', `--refresh takes true or false, not "${value}".`, {
    hint: 'Write --refresh=false to plan from the state alone (or leave it out: apply reads the API first).',
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
      '--refresh [true|false]',
      'read every managed template from the API before planning, so drift is corrected (default true; a saved plan keeps its own setting)',
      parseBoolean,
      true,
    )
    .option('--allow-policy <rule>', ALLOW_POLICY_HELP, collectAllowPolicy, [])
    .action(async (planfile: string | undefined, flags: ApplyFlags) => {
      ctx.exit(await runApplyCommand(ctx.io, planfile, flags));
    });

/** Refuse what cannot run before anything is read: no way to confirm, or a plan for another environment. */
function checkRequest(io: Io, saved: Plan | undefined, flags: ApplyFlags): string | undefined {
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
  const interrupts = watchInterrupts({
    io,
    started: () => opened !== undefined,
    quit: (code) => process.exit(code),
  });
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
    return summarizeApply(io, report, project.config.rootDir);
  } finally {
    interrupts.dispose();
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
            refresh: (saved ? saved.refreshed : flags.refresh)
              ? { client: target.client, concurrency: settings.concurrency }
              : undefined,
            policies: settings.policies,
            allowPolicies: flags.allowPolicy,
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
