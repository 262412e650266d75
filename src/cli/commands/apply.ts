// `ipass apply [PLANFILE]`: carry out a plan (a saved one, or a fresh one after confirmation).
// First SIGINT or SIGTERM (Ctrl-C, a cancelled CI job): start nothing new, finish and record what is
// in flight, release the lock, exit 1. Second: exit 130 now (the journal keeps the state consistent).
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { connect } from '../../apply/connect.js';
import { type ApplyReport, runApply } from '../../apply/run-apply.js';
import { IpassError } from '../../diagnostics/errors.js';
import { formatCount } from '../../plan/format-values.js';
import { planHasChanges, planHasErrors } from '../../plan/make-plan.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../plan/plan-types.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { LockedState, StateBackend } from '../../state/backend.js';
import type { CommandFactory } from '../command.js';
import { type Io, paint, printDiagnostics, writeLine } from '../io.js';
import { suggestForOptions } from '../option-hints.js';
import { describePassFailures } from '../pass-failures.js';
import { passPhase } from '../pass-phase.js';
import { planFrom } from '../plan-from.js';
import { loadDesired, loadProject, lockNotices, once, parseDuration, projectBackend } from '../project.js';
import { confirm } from '../prompt.js';
import { createReporter } from '../reporter.js';

interface ApplyFlags {
  env?: string;
  config?: string;
  autoApprove?: boolean;
  lockTimeout: string;
  refresh: boolean;
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
    .option('-c, --config <file>', 'config file (default: ipass.config.yaml or another cosmiconfig name)')
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
    .action(async (planfile: string | undefined, flags: ApplyFlags) => {
      ctx.exit(await runApplyCommand(ctx.io, planfile, flags));
    });

function readPlanFile(path: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as Plan;
  } catch (error) {
    throw new IpassError('PLAN_UNREADABLE', `The plan file ${path} cannot be read.`, {
      reason: (error as Error).message,
      hint: 'Give a file written by `ipass plan --out FILE`.',
    });
  }
  if (
    plan?.formatVersion !== PLAN_FORMAT_VERSION ||
    !Array.isArray(plan.changes) ||
    typeof plan.state?.lineage !== 'string'
  ) {
    throw new IpassError(
      'PLAN_UNREADABLE',
      `${path} is not an ipass plan (format version ${PLAN_FORMAT_VERSION}).`,
      {
        hint: 'Give a file written by `ipass plan --out FILE` with this version of ipass.',
      },
    );
  }
  return plan;
}

async function runApplyCommand(io: Io, planfile: string | undefined, flags: ApplyFlags): Promise<number> {
  const saved = planfile ? readPlanFile(planfile) : undefined;
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
  const env = chosen ?? saved?.environment;
  const project = await loadProject(io, { ...flags, ...(env !== undefined ? { env } : {}) });
  const { settings } = project;
  const lockTimeoutMs = parseDuration(flags.lockTimeout);
  const now = Date.now();
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
  const stopper = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (!opened) {
      // Still reading the campaign files or waiting for the lock: nothing was sent, nothing to record.
      writeLine(io.stderr, '\nInterrupted before anything was sent.');
      process.exit(130);
    }
    if (interrupts === 1) {
      stopper.abort();
      writeLine(
        io.stderr,
        `\nStopping${signal === 'SIGTERM' ? ' (SIGTERM)' : ''}: no new requests; waiting for those in flight to finish and be recorded. Press Ctrl-C again to quit at once.`,
      );
    } else {
      writeLine(
        io.stderr,
        '\nQuitting now. The journal keeps the state consistent: run `ipass apply` again to finish.',
      );
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const reporter = createReporter(io);
  try {
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
    const target = await connect(project.config, settings, { env: io.env });
    let report: ApplyReport;
    try {
      report = await runApply({
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
            }),
        },
        concurrency: settings.concurrency,
        signal: stopper.signal,
        hooks: {
          ...reporter.hooks,
          planReady: (plan) => {
            io.stdout.write(renderPlanText(plan, { color: io.color }));
            printDiagnostics(io, plan.diagnostics);
          },
        },
        passes: passPhase(settings, desired, reporter),
        confirm: async (plan) => {
          const go =
            saved || flags.autoApprove
              ? true
              : await confirm(io, `\nApply these changes to ${settings.name}?`);
          if (go) reporter.begin(plan);
          return go;
        },
      });
    } finally {
      await reporter.end();
      await target.close();
    }
    return summarize(io, report);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await opened?.release();
    await backend?.close();
  }
}

function summarize(io: Io, report: ApplyReport): number {
  const plan = report.plan;
  if (plan && planHasErrors(plan)) {
    writeLine(io.stderr, 'The plan has errors (listed above); nothing was sent.');
    return 1;
  }
  if (report.storageFailure) {
    const e = report.storageFailure;
    writeLine(io.stderr, `${paint(io, 'red', 'error')} ${e.code}: ${e.message}`);
    if (e.reason) writeLine(io.stderr, `  why: ${e.reason}`);
    if (e.hint) writeLine(io.stderr, `  hint: ${e.hint}`);
    writeLine(
      io.stderr,
      'Stopped the apply: nothing more is sent once the state cannot be recorded. Requests in flight finished; what could not be recorded is settled by the next apply.',
    );
    return 1;
  }
  if (report.stopReason === 'credentials' && report.credentialsFailure) {
    const f = report.credentialsFailure;
    writeLine(io.stderr, `${paint(io, 'red', 'error')} ${f.code}: ${f.message}\n  hint: ${f.action}`);
    writeLine(
      io.stderr,
      'Stopped the whole apply: no request can succeed with these credentials. What finished was recorded.',
    );
    return 1;
  }
  const all = [...report.resumed, ...report.outcomes];
  const failures = all.filter((o) => o.status === 'failed' || o.status === 'in-doubt');
  const done = (action: string) =>
    report.outcomes.filter((o) => o.status === 'done' && o.action === action).length;
  if (plan && !planHasChanges(plan) && report.resumed.length === 0) {
    writeLine(io.stdout, `No changes. The campaigns match environment ${plan.environment}.`);
    return 0;
  }
  if (report.cancelled) {
    writeLine(io.stdout, 'Apply cancelled; nothing was sent.');
    return 1;
  }
  const resumed = report.resumed.filter((o) => o.status === 'done').length;
  for (const o of failures) {
    const f = o.failure;
    if (!f) continue;
    writeLine(
      io.stderr,
      `${paint(io, 'red', 'failed')} ${o.address} (${o.action}, ${f.endpoint}): ${f.code}: ${f.message}${f.tracerId ? ` [Tracer-Id ${f.tracerId}]` : ''}`,
    );
    writeLine(
      io.stderr,
      `  what to do: ${f.action}${o.status === 'in-doubt' ? ' The next apply sends it again with the same id, so it cannot happen twice.' : ''}`,
    );
  }
  const passes = report.passes.reduce((n, p) => n + p.issued, 0);
  const passFailures = report.passes.reduce((n, p) => n + p.failed + p.inDoubt, 0);
  const parts = [
    ['created', done('create')],
    ['updated', done('update')],
    ['stock changed', done('stock')],
    ['status changed', done('status')],
    ['replaced', done('replace')],
    ['closed', done('close')],
    ['moved', done('move')],
  ]
    .filter(([, n]) => (n as number) > 0)
    .map(([what, n]) => `${formatCount(n as number)} ${what}`);
  if (resumed > 0)
    parts.unshift(
      `finished ${formatCount(resumed)} request(s) an earlier apply left with an unknown outcome (sent again with the same ids)`,
    );
  if (passes > 0) parts.push(`${formatCount(passes)} passes issued`);
  for (const p of report.passes) {
    if (p.failuresFile || p.failed > 0) writeLine(io.stderr, describePassFailures(p, io.cwd));
  }
  const interrupted = report.stopReason === 'interrupted';
  const ok = failures.length === 0 && passFailures === 0 && !interrupted;
  const head = interrupted ? 'Apply interrupted' : ok ? 'Apply complete' : 'Apply finished with failures';
  writeLine(
    io.stdout,
    `${head}: ${parts.length ? parts.join(', ') : 'nothing changed'}${failures.length ? `; ${failures.length} failed` : ''}.`,
  );
  if (interrupted) writeLine(io.stdout, 'Run `ipass apply` again to carry out the rest.');
  else if (ok && plan && !planHasChanges(plan))
    writeLine(io.stdout, `The campaigns match environment ${plan.environment}.`);
  return ok ? 0 : 1;
}
