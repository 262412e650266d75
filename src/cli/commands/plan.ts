// `ipass plan`: desired campaigns vs state (and with --refresh vs the API), shown as text,
// markdown or JSON, optionally saved with --out for a later `ipass apply FILE`.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { connect } from '../../apply/connect.js';
import { type Diagnostic, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { type IpassError, isIpassError } from '../../diagnostics/errors.js';
import { planHasChanges, planHasErrors } from '../../plan/make-plan.js';
import {
  type PlanFailure,
  planFailureDocument,
  renderPlanFailureGithub,
  renderPlanFailureMarkdown,
} from '../../plan/plan-failure.js';
import type { Plan } from '../../plan/plan-types.js';
import { renderPlanGithub } from '../../plan/render-github.js';
import { renderPlanMarkdown } from '../../plan/render-markdown.js';
import { renderPlanText } from '../../plan/render-text.js';
import { writePlanPreview } from '../../preview/write-site.js';
import { atomicWriteFileSync } from '../../state/atomic-write.js';
import type { StateBackend } from '../../state/backend.js';
import { type StateFile, stableStringify } from '../../state/state-format.js';
import type { CommandFactory } from '../command.js';
import { type Io, printDiagnostics, writeLine, writeText } from '../io.js';
import { planFrom, RETRY_FAILED_HELP } from '../plan-from.js';
import { ALLOW_POLICY_HELP, collectAllowPolicy } from '../policy-flag.js';
import {
  loadDesired,
  loadProject,
  once,
  type Project,
  projectBackend,
  readPlanningState,
} from '../project.js';

interface PlanFlags {
  env?: string;
  config?: string;
  out?: string;
  format: 'text' | 'json' | 'markdown' | 'github';
  detailedExitcode?: boolean;
  refresh?: boolean;
  preview?: string;
  allowPolicy: string[];
  retryFailed?: boolean;
}

export const planCommand: CommandFactory = (ctx) =>
  new Command('plan')
    .description('Show what apply would change: desired campaigns vs the state of an environment.')
    .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
    .option(
      '-c, --config <file>',
      'config file (default: ipass.config.yaml or another cosmiconfig name, found upwards)',
    )
    .option('-o, --out <file>', 'save the plan (JSON) for `ipass apply FILE`')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'markdown', 'github'])
        .default('text'),
    )
    .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when there are none')
    .option('--refresh', 'compare with the API too (`detail` of every managed template) and report drift')
    .option('--preview <dir>', 'also write an HTML page showing each changed card before and after')
    .option('--allow-policy <rule>', ALLOW_POLICY_HELP, collectAllowPolicy, [])
    .option('--retry-failed', RETRY_FAILED_HELP)
    .action(async (flags: PlanFlags) => {
      ctx.exit(await runPlan(ctx.io, flags));
    });

export async function buildPlan(
  io: Io,
  flags: Pick<PlanFlags, 'env' | 'config' | 'refresh' | 'allowPolicy' | 'retryFailed'>,
  onEnvironment: (name: string) => void = () => {},
): Promise<{ plan: Plan; state: StateFile }> {
  const project = await loadProject(io, flags);
  onEnvironment(project.settings.name);
  const now = Date.now();
  const backend = await projectBackend(io, project);
  try {
    return await planWith(io, project, backend, flags, now);
  } finally {
    await backend.close();
  }
}

async function planWith(
  io: Io,
  project: Project,
  backend: StateBackend,
  flags: Pick<PlanFlags, 'refresh' | 'allowPolicy' | 'retryFailed'>,
  now: number,
): Promise<{ plan: Plan; state: StateFile }> {
  const { settings } = project;
  const state = once(() => readPlanningState(backend));
  const desired = await loadDesired(
    io,
    project,
    async () => new Set(Object.keys((await state()).state.templates)),
    now,
  );
  const planning = await state();
  const target = flags.refresh ? await connect(project.config, settings, { env: io.env }) : undefined;
  try {
    const plan = await planFrom({
      environment: settings.name,
      desired,
      state: planning.state,
      exists: planning.exists,
      ledgers: backend.ledgers,
      now,
      refresh: target ? { client: target.client, concurrency: settings.concurrency } : undefined,
      policies: settings.policies,
      allowPolicies: flags.allowPolicy,
      retryFailed: flags.retryFailed === true,
    });
    return { plan, state: planning.state };
  } finally {
    await target?.close();
  }
}

async function runPlan(io: Io, flags: PlanFlags): Promise<number> {
  let environment: string | null = null;
  let built: { plan: Plan; state: StateFile };
  try {
    built = await buildPlan(io, flags, (name) => {
      environment = name;
    });
  } catch (error) {
    // A pipeline posts stdout as the pull-request comment: say there what stopped the plan.
    if (isIpassError(error) && flags.format !== 'text') printFailure(io, flags.format, environment, error);
    throw error;
  }
  const { plan, state } = built;
  printDiagnostics(io, plan.diagnostics);
  if (flags.format === 'json') writeText(io.stdout, stableStringify(plan), 'json');
  else if (flags.format === 'markdown') writeText(io.stdout, renderPlanMarkdown(plan), 'markdown');
  else if (flags.format === 'github') writeText(io.stdout, renderPlanGithub(plan), 'annotations');
  else writeText(io.stdout, renderPlanText(plan, { color: io.color }));
  if (flags.preview)
    writeLine(
      io.stderr,
      `Plan preview: ${writePlanPreview(resolve(io.cwd, flags.preview), plan, state, io.cwd)}`,
    );
  if (planHasErrors(plan)) {
    writeLine(io.stderr, 'The plan has errors (listed above), so it cannot be applied.');
    return 1;
  }
  if (flags.out) {
    atomicWriteFileSync(flags.out, stableStringify(plan));
    if (flags.format === 'text')
      writeLine(
        io.stdout,
        `Saved the plan to ${flags.out}; apply it with: ipass apply ${flags.out}${plan.environment === 'sandbox' ? '' : ` -e ${plan.environment}`}`,
      );
  }
  return flags.detailedExitcode && planHasChanges(plan) ? 2 : 0;
}

function printFailure(
  io: Io,
  format: Exclude<PlanFlags['format'], 'text'>,
  environment: string | null,
  error: IpassError,
): void {
  const diagnostics = error.details?.diagnostics;
  const failure: PlanFailure = {
    environment,
    error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
    diagnostics: Array.isArray(diagnostics) ? sortDiagnostics(diagnostics as Diagnostic[]) : [],
  };
  if (format === 'json') writeText(io.stdout, stableStringify(planFailureDocument(failure)), 'json');
  else if (format === 'markdown') writeText(io.stdout, renderPlanFailureMarkdown(failure), 'markdown');
  else writeText(io.stdout, renderPlanFailureGithub(failure), 'annotations');
}
