// Carries out template changes through the client: moves (state only) first, then every other change,
// independent changes concurrently and the requests of one change in order. Each request is sent
// through Execution.send, so a crash at any instant leaves a journal the next apply can finish from.
import pLimit from 'p-limit';
import type { ApiRequest } from '../api/api-caller.js';
import type { ApiFailure } from '../api/api-result.js';
import { importDifferences, importedEntry } from '../plan/plan-import.js';
import type { CreatedStatusRequest, PlannedRequest, Reason, TemplateChange } from '../plan/plan-types.js';
import type { IntentMeta } from '../state/journal-records.js';
import type { TemplateState } from '../state/state-format.js';
import type { Execution } from './execution.js';
import { recordsAfter } from './mutations.js';
import { type ChangeOutcome, failedOutcome, skippedOutcome } from './outcomes.js';
import { remoteView } from './refresh.js';
import { stockStep } from './stock-change.js';

export interface ExecuteHooks {
  changeStarted?(change: TemplateChange): void;
  changeFinished?(change: TemplateChange, outcome: ChangeOutcome): void;
}

/** Apply moves (state only) first, then run the changes concurrently. */
export async function executeTemplateChanges(
  run: Execution,
  changes: readonly TemplateChange[],
  concurrency: number,
  hooks: ExecuteHooks = {},
): Promise<ChangeOutcome[]> {
  for (const c of changes) {
    if (!c.movedFrom) continue;
    const entry = run.state.templates[c.movedFrom];
    if (!entry) continue;
    await run.record([
      { t: 'delete', address: c.movedFrom },
      { t: 'set', address: c.address, entry },
    ]);
  }
  const limit = pLimit(Math.max(1, concurrency));
  const active: TemplateChange[] = [];
  for (const c of changes) {
    if (c.action !== 'noop') {
      active.push(c);
      continue;
    }
    const entry = run.state.templates[c.address];
    if (entry === undefined || c.record === undefined) continue;
    if (entry.protect !== c.record.protect) {
      active.push(c);
      continue;
    }
    // Unchanged, but declared in another file than recorded: note the file, without a request.
    const after = recordedAfter(entry, c);
    if (after !== entry) await run.setEntry(c.address, after);
  }
  return Promise.all(
    active.map((c) =>
      limit(async () => {
        if (run.stopping) return skippedOutcome(c.address, c.action);
        hooks.changeStarted?.(c);
        const outcome = await runChange(run, c).catch((error: unknown): ChangeOutcome => {
          run.fail(error);
          return skippedOutcome(c.address, c.action);
        });
        hooks.changeFinished?.(c, outcome);
        return outcome;
      }),
    ),
  );
}

/** What a change has learnt so far from its own requests. */
interface ChangeProgress {
  sent: number;
  /** The code its createTemplate returned. */
  created?: string | undefined;
  /** The stock the API reported in the change's latest `detail` request. */
  apiStock?: number | undefined;
  /** An import the plan showed no update for: how the template differs from the files. */
  differences?: Reason[];
}

async function runChange(run: Execution, change: TemplateChange): Promise<ChangeOutcome> {
  const progress: ChangeProgress = { sent: 0 };
  for (const planned of change.requests) {
    if (run.stopping) return skippedOutcome(change.address, change.action, progress.sent);
    const failure = await runRequest(run, change, planned, progress);
    if (failure) return failedOutcome(change.address, change.action, progress.sent, failure);
  }
  const entry = run.state.templates[change.address];
  const after = entry && recordedAfter(entry, change);
  if (entry && after && after !== entry) await run.setEntry(change.address, after);
  const done: ChangeOutcome = {
    address: change.address,
    action: change.action,
    status: 'done',
    requestsSent: progress.sent,
  };
  if (progress.differences?.length) done.differences = progress.differences;
  return done;
}

/** One planned request of a change; returns the failure that ends the change, if any. */
async function runRequest(
  run: Execution,
  change: TemplateChange,
  planned: PlannedRequest,
  progress: ChangeProgress,
): Promise<ApiFailure | undefined> {
  const address = change.address;
  if (planned.endpoint === 'detail') {
    // A read, journaled like nothing else: it changes nothing at the API.
    const read = await run.read(planned.body);
    progress.sent++;
    if (!read.ok) return read.failure;
    progress.apiStock = typeof read.data.stock === 'number' ? read.data.stock : undefined;
    if (change.action === 'import' && change.record && !run.state.templates[address]) {
      // Adopted as the API reported it; only the requests the plan showed may change it.
      const remote = remoteView({ ...read.data, templateCode: planned.body.templateCode });
      const entry = importedEntry(planned.body.templateCode, remote, change.record, change.source?.file);
      await run.setEntry(address, entry);
      if (change.requests.length === 1) progress.differences = importDifferences(entry, change.record);
    }
    return undefined;
  }
  const previous = run.state.templates[address];
  let request: ApiRequest;
  let meta: IntentMeta | undefined;
  if (planned.endpoint === 'updateBudget') {
    const target = planned.stockTarget;
    const step = stockStep(run.state, address, planned.body.templateCode, progress.apiStock, target);
    if (step.kind === 'unknown') return step.failure;
    if (step.kind === 'in-place') {
      if (previous && previous.stock !== target) await run.setEntry(address, { ...previous, stock: target });
      return undefined;
    }
    request = { endpoint: 'updateBudget', body: step.body };
    meta = { stock: target };
  } else {
    request = 'templateCodeFrom' in planned ? withCreatedCode(planned, progress.created) : planned;
    meta = planned.endpoint === 'createTemplate' ? createMeta(change, previous) : undefined;
  }
  const desiredSpec = change.record?.spec;
  const result = await run.send(address, request, meta, (answer) => {
    if (answer.endpoint === 'createTemplate' && answer.result.ok)
      progress.created = answer.result.data.templateCode;
    const onCreate = { spec: desiredSpec ?? request.body, ...meta };
    return recordsAfter(address, run.state.templates[address], answer, onCreate, desiredSpec);
  });
  progress.sent++;
  progress.apiStock = undefined;
  return result.ok ? undefined : result.failure;
}

/** A status switch of the template created earlier in the change, with the code it was given. */
function withCreatedCode(planned: CreatedStatusRequest, created: string | undefined): ApiRequest {
  if (!created) throw new Error('request needs the created template code, but nothing was created before it');
  return { endpoint: 'switchStatus', body: { ...planned.body, templateCode: created } };
}

/** What the state keeps beside the API's answers: `protect`, and the file the template was declared in. */
function recordedAfter(entry: TemplateState, change: TemplateChange): TemplateState {
  if (!change.record) return entry;
  const file = change.source?.file;
  if (entry.protect === change.record.protect && (file === undefined || entry.file === file)) return entry;
  return { ...entry, protect: change.record.protect, ...(file !== undefined ? { file } : {}) };
}

function createMeta(change: TemplateChange, previous: TemplateState | undefined): IntentMeta {
  const meta: IntentMeta = {};
  if (change.record) {
    meta.spec = change.record.spec;
    meta.status = change.record.status;
    meta.protect = change.record.protect;
    if (change.record.generation !== undefined) meta.generation = change.record.generation;
  }
  if (change.action === 'replace' && previous) meta.supersedes = previous.templateCode;
  return meta;
}
