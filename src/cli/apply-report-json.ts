// `ipass apply --format json`: the one JSON document on stdout at the end of an apply (format in
// docs/json-formats.md, versioned): the plan's counts, each change and pass batch with its outcome,
// the exit code and outcome word; or, when the apply stopped on an error, that error.
import type { ChangeOutcome } from '../apply/outcomes.js';
import type { ApplyReport, PassBatchOutcome } from '../apply/run-apply.js';
import { displayPath } from '../diagnostics/display-path.js';
import { type IpassError, isIpassError } from '../diagnostics/errors.js';
import type { PassBatchChange, Plan, PlanSummary } from '../plan/plan-types.js';
import { fileSystemError, isFileSystemError } from '../shared/fs-errors.js';
import { type ApplyOutcomeWord, applyVerdict } from './apply-outcome.js';
import { type Io, writeText } from './io.js';

export const APPLY_REPORT_FORMAT_VERSION = 1 as const;

export type ChangeStatus = 'done' | 'failed' | 'in-doubt' | 'not-sent';

export interface ApplyReportJson {
  formatVersion: typeof APPLY_REPORT_FORMAT_VERSION;
  kind: 'apply-report';
  environment: string;
  /** The run's id in the history (`ipass history show RUN`); absent when the apply stopped before it had one. */
  runId?: string;
  outcome: ApplyOutcomeWord | 'error';
  /** Absent when the apply stopped on an error before its end (the process exit code says which). */
  exitCode?: number;
  /** Made with --retry-failed. */
  retryFailed: boolean;
  summary?: PlanSummary;
  changes: ChangeJson[];
  passBatches: PassBatchJson[];
  error?: { code: string; message: string; reason?: string; hint?: string };
}

export interface ChangeJson {
  address: string;
  /** The plan's action, or `resume` for a request an earlier apply left in doubt. */
  action: string;
  templateCode?: string;
  status: ChangeStatus;
  requestsSent: number;
  error?: { code: string; message: string; endpoint: string; action: string; tracerId?: string };
}

export interface PassBatchJson {
  address: string;
  action: PassBatchChange['action'];
  templateCode?: string;
  toIssue: number;
  issued: number;
  failed: number;
  inDoubt: number;
  /** Not sent: held back after a permanent failure with the same row. */
  heldBack: number;
  /** Rows this apply meant to send but did not (the batch stopped, or the run did). */
  notSent: number;
  failuresFile?: string;
  failureCodes: Record<string, { count: number; message: string }>;
  /** Updates and closes of issued passes, when the plan had any. */
  updated?: number;
  closed?: number;
  changeFailures?: { failed: number; inDoubt: number; notSent: number };
}

export type OnReport = (report: ApplyReport, environment: string, rootDir: string, runId: string) => void;

/**
 * Run an apply for --format json: everything it prints goes to stderr (the Io it is given), and the
 * report, or the coded error it stopped on, is the one document on stdout.
 */
export async function withJsonReport(
  io: Io,
  environment: string,
  run: (textIo: Io, onReport: OnReport) => Promise<number>,
): Promise<number> {
  const print = (doc: ApplyReportJson) => writeText(io.stdout, `${JSON.stringify(doc, null, 2)}\n`, 'json');
  let done = false;
  try {
    return await run({ ...io, stdout: io.stderr }, (report, env, rootDir, runId) => {
      print({ ...applyReportJson(report, env, rootDir), runId });
      done = true;
    });
  } catch (error) {
    if (!done) {
      // A full disk or a missing permission is coded as main.ts codes it; a bug leaves stdout empty.
      const coded = isFileSystemError(error) ? fileSystemError(error, error.path ?? '', 'use a file') : error;
      if (isIpassError(coded)) print(applyErrorJson(coded, environment));
    }
    throw error;
  }
}

/** The report of an apply that ran to its end (whatever it came to). */
export function applyReportJson(report: ApplyReport, environment: string, rootDir: string): ApplyReportJson {
  const plan = report.plan;
  const verdict = applyVerdict(report);
  return {
    ...head(environment, plan),
    outcome: verdict.outcome,
    exitCode: verdict.exitCode,
    changes: [...report.resumed.map((o) => changeJson(o, undefined)), ...plannedChanges(report, plan)],
    passBatches: (plan?.passBatches ?? [])
      .filter((b) => b.action !== 'noop' || b.heldBack)
      .map((b) =>
        batchJson(
          b,
          report.passes.find((p) => p.address === b.address),
          rootDir,
        ),
      ),
  };
}

/** The report of an apply that stopped on an error thrown before its end. */
export function applyErrorJson(error: IpassError, environment: string): ApplyReportJson {
  return {
    ...head(environment, undefined),
    outcome: 'error',
    changes: [],
    passBatches: [],
    error: {
      code: error.code,
      message: error.message,
      ...(error.reason !== undefined ? { reason: error.reason } : {}),
      ...(error.hint !== undefined ? { hint: error.hint } : {}),
    },
  };
}

function head(
  environment: string,
  plan: Plan | undefined,
): Pick<ApplyReportJson, 'formatVersion' | 'kind' | 'environment' | 'retryFailed' | 'summary'> {
  return {
    formatVersion: APPLY_REPORT_FORMAT_VERSION,
    kind: 'apply-report' as const,
    environment: plan?.environment ?? environment,
    retryFailed: plan?.retryFailed === true,
    ...(plan ? { summary: plan.summary } : {}),
  };
}

/** Every change the plan had (unchanged templates left out), with what became of it. */
function plannedChanges(report: ApplyReport, plan: Plan | undefined): ChangeJson[] {
  const outcomes = new Map(report.outcomes.map((o) => [o.address, o]));
  return (plan?.changes ?? [])
    .filter((c) => c.action !== 'noop' || outcomes.has(c.address))
    .map((c) => {
      const code = report.state.templates[c.address]?.templateCode ?? c.templateCode;
      const o = outcomes.get(c.address) ?? {
        address: c.address,
        action: c.action,
        status: 'skipped',
        requestsSent: 0,
      };
      return changeJson(o, code);
    });
}

function changeJson(o: ChangeOutcome, templateCode: string | undefined): ChangeJson {
  const f = o.failure;
  return {
    address: o.address,
    action: o.action,
    ...(templateCode !== undefined ? { templateCode } : {}),
    status: o.status === 'skipped' ? 'not-sent' : o.status,
    requestsSent: o.requestsSent,
    ...(f
      ? {
          error: {
            code: f.code,
            message: f.message,
            endpoint: f.endpoint,
            action: f.action,
            ...(f.tracerId ? { tracerId: f.tracerId } : {}),
          },
        }
      : {}),
  };
}

function batchJson(b: PassBatchChange, p: PassBatchOutcome | undefined, rootDir: string): PassBatchJson {
  const c = p?.changes;
  return {
    address: b.address,
    action: b.action,
    ...(b.templateCode !== undefined ? { templateCode: b.templateCode } : {}),
    toIssue: b.toIssue,
    issued: p?.issued ?? 0,
    failed: p?.failed ?? 0,
    inDoubt: p?.inDoubt ?? 0,
    heldBack: p?.heldBack ?? b.heldBack?.count ?? 0,
    notSent: p ? p.skipped : b.toIssue,
    ...(p?.failuresFile ? { failuresFile: displayPath(rootDir, p.failuresFile) } : {}),
    failureCodes: { ...(p?.failureCodes ?? {}), ...(c?.failureCodes ?? {}) },
    ...(c
      ? {
          updated: c.updated,
          closed: c.closed,
          changeFailures: { failed: c.failed, inDoubt: c.inDoubt, notSent: c.notSent },
        }
      : {}),
  };
}
