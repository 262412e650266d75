// Carries out template changes through the API client, recording an intent before each request and
// its outcome after, so a crash at any instant leaves a journal the next apply can finish from.
// Independent changes run concurrently; the requests of one change run in order.
import pLimit from 'p-limit';
import type { ApiFailure, ApiResult } from '../api/api-result.js';
import { CLIENT_CODES } from '../api/client-codes.js';
import type {
  CreateTemplateResponse,
  DetailResponse,
  EndpointName,
  EndpointTypes,
} from '../api/endpoints.js';
import type { TemplateBody } from '../campaign/types.js';
import { IpassError } from '../diagnostics/errors.js';
import type { PlannedRequest, TemplateAction, TemplateChange } from '../plan/plan-types.js';
import type { JournalWriter, LedgerStore } from '../state/backend.js';
import type { IntentRecord, JournalRecord } from '../state/journal-records.js';
import { requestIdOf } from '../state/journal-records.js';
import {
  budgetRequestId,
  type PendingRequest,
  type StateFile,
  type TemplateState,
} from '../state/state-format.js';
import { afterCreate, afterRequest, type CreatedMeta } from './mutations.js';

export interface ApiCaller {
  call<E extends EndpointName>(
    endpoint: E,
    body: EndpointTypes[E]['request'],
  ): Promise<ApiResult<EndpointTypes[E]['response']>>;
}

export type OutcomeStatus = 'done' | 'failed' | 'in-doubt' | 'skipped';

export interface ChangeFailure {
  endpoint: EndpointName;
  kind: ApiFailure['kind'];
  code: string;
  message: string;
  action: string;
  inDoubt: boolean;
  tracerId?: string;
}

export interface ChangeOutcome {
  address: string;
  action: TemplateAction | 'resume';
  status: OutcomeStatus;
  requestsSent: number;
  failure?: ChangeFailure;
}

export interface ExecuteHooks {
  changeStarted?(change: TemplateChange): void;
  changeFinished?(change: TemplateChange, outcome: ChangeOutcome): void;
}

export type StopReason = 'interrupted' | 'credentials' | 'storage';

/** Mutable run context shared by the template and pass phases. */
export class Execution {
  private counter = 0;
  stopReason: StopReason | undefined;
  credentialsFailure: ChangeFailure | undefined;
  /** The first failure to record something in the state backend; the run stops on it. */
  storageFailure: IpassError | undefined;
  /** passIds answered in this run: a second recipient answered with one was sent a replay. */
  readonly passIds = new Set<string>();

  constructor(
    readonly client: ApiCaller,
    readonly journal: JournalWriter,
    /** The working state; `templates` is updated as results arrive. */
    readonly state: StateFile,
    /** Where pass batches record each pass. */
    readonly ledgers: LedgerStore,
    /** Aborted on the first Ctrl-C: no new requests start; those in flight finish and are recorded. */
    readonly signal?: AbortSignal,
  ) {}

  nextId(): string {
    this.counter += 1;
    return `r${this.counter}`;
  }

  stop(reason: StopReason): void {
    this.stopReason ??= reason;
  }

  /**
   * Something could not be recorded (database gone, disk full): start nothing more. Requests in
   * flight finish; what could not be recorded stays in doubt for the next apply to settle.
   */
  storageFailed(error: unknown): void {
    if (!(error instanceof IpassError)) throw error;
    this.storageFailure ??= error;
    this.stop('storage');
  }

  get stopping(): boolean {
    if (this.signal?.aborted) this.stop('interrupted');
    return this.stopReason !== undefined;
  }

  /**
   * Record state changes in the working state and the journal, all in one write: a process killed
   * at any instant leaves either all of them or none.
   */
  async record(records: readonly JournalRecord[]): Promise<void> {
    for (const r of records) {
      if (r.t === 'set') this.state.templates[r.address] = r.entry;
      else if (r.t === 'delete') delete this.state.templates[r.address];
    }
    await this.journal.appendMany(records);
  }

  /** A `detail` read: not journaled (it changes nothing); a credentials failure stops the run. */
  async read(body: Record<string, unknown>): Promise<ApiResult<DetailResponse>> {
    const result = await this.client.call('detail', body as unknown as EndpointTypes['detail']['request']);
    if (!result.ok && result.failure.kind === 'credentials') {
      this.credentialsFailure ??= toFailure(result.failure);
      this.stop('credentials');
    }
    return result;
  }

  /** The address whose template (current or replaced) has this code, if any. */
  ownerOf(templateCode: string): string | undefined {
    for (const [address, t] of Object.entries(this.state.templates)) {
      if (t && (t.templateCode === templateCode || t.superseded.some((s) => s.templateCode === templateCode)))
        return address;
    }
    return undefined;
  }

  setEntry(address: string, entry: TemplateState): Promise<void> {
    return this.record([{ t: 'set', address, entry }]);
  }

  /**
   * Send one request with its intent and outcome recorded; verifies a refused status switch via
   * detail. `settle` turns a definite outcome into state records, which are written in the same
   * write as the outcome itself: were they separate, a kill between the two would forget a
   * template the API created, and the next apply would create it again.
   */
  async send(
    address: string,
    endpoint: EndpointName,
    body: Record<string, unknown>,
    meta?: IntentRecord['meta'],
    settle?: (result: ApiResult<unknown>) => JournalRecord[],
  ): Promise<ApiResult<unknown>> {
    const id = this.nextId();
    // Only once the intent is recorded may the request go out.
    await this.journal.append({ t: 'intent', id, address, endpoint, body, ...(meta ? { meta } : {}) });
    let result = (await this.client.call(endpoint, body as never)) as ApiResult<unknown>;
    if (!result.ok && endpoint === 'switchStatus' && result.failure.code === 'STATE_MACHINE_ILLEGAL') {
      // Already in the target status (e.g. an earlier attempt whose answer was lost)? Then it is done.
      const detail = await this.client.call('detail', { templateCode: String(body.templateCode) });
      if (detail.ok && detail.data.status === body.status)
        result = { ...detail, data: { status: detail.data.status } };
    }
    if (result.ok && endpoint === 'createTemplate') {
      const code = (result.data as CreateTemplateResponse).templateCode;
      const owner = this.ownerOf(code);
      // A verified answer naming another address's template cannot be this request's (a replay).
      if (owner !== undefined && owner !== address)
        result = outOfPlace(endpoint, result, `template ${code} belongs to ${owner}`);
    }
    if (result.ok || !result.failure.inDoubt) {
      const records = settle?.(result) ?? [];
      try {
        await this.record([{ t: 'settled', id }, ...records]);
      } catch (error) {
        this.storageFailed(error);
        return unrecorded(endpoint, result);
      }
    }
    if (!result.ok && result.failure.kind === 'credentials') {
      this.credentialsFailure ??= toFailure(result.failure);
      this.stop('credentials');
    }
    return result;
  }
}

/** A signed answer that is not this request's: in doubt, settled by re-sending with the same ids. */
export function outOfPlace(
  endpoint: EndpointName,
  result: ApiResult<unknown>,
  why: string,
): ApiResult<unknown> {
  const info = CLIENT_CODES.RESPONSE_OUT_OF_PLACE;
  return {
    ok: false,
    attempts: result.attempts,
    failure: {
      kind: info.kind,
      code: 'RESPONSE_OUT_OF_PLACE',
      message: `${info.meaning} (${why})`,
      action: info.action,
      inDoubt: true,
      priorAttemptInDoubt: false,
      endpoint,
      ...(result.ok && result.tracerId ? { tracerId: result.tracerId } : {}),
    },
  };
}

/** A definite outcome that could not be recorded: in doubt, as far as the next apply can tell. */
function unrecorded(endpoint: EndpointName, result: ApiResult<unknown>): ApiResult<unknown> {
  return {
    ok: false,
    attempts: result.attempts,
    failure: {
      kind: 'unknown',
      code: 'STATE_NOT_RECORDED',
      message: 'the API answered, but its answer could not be recorded in the state',
      action: 'The next apply sends it again with the same ids to settle it.',
      inDoubt: true,
      priorAttemptInDoubt: false,
      endpoint,
    },
  };
}

export function toFailure(f: ApiFailure): ChangeFailure {
  return {
    endpoint: f.endpoint,
    kind: f.kind,
    code: f.code,
    message: f.message,
    action: f.action,
    inDoubt: f.inDoubt,
    ...(f.tracerId ? { tracerId: f.tracerId } : {}),
  };
}

function failed(
  address: string,
  action: ChangeOutcome['action'],
  sent: number,
  f: ApiFailure,
): ChangeOutcome {
  return {
    address,
    action,
    status: f.inDoubt ? 'in-doubt' : 'failed',
    requestsSent: sent,
    failure: toFailure(f),
  };
}

/** Re-send each in-doubt request of an earlier apply verbatim (same requestId). */
export async function resolvePending(
  run: Execution,
  pending: readonly PendingRequest[],
): Promise<ChangeOutcome[]> {
  const outcomes: ChangeOutcome[] = [];
  for (const p of pending) {
    if (run.stopping) break;
    const done: JournalRecord = { t: 'pending-done', address: p.address, requestId: requestIdOf(p.body) };
    const onCreate = { spec: p.spec ?? p.body, ...metaOf(p) };
    const result = await run
      .send(p.address, p.endpoint, p.body, metaOf(p), (r) =>
        r.ok
          ? [...stateAfter(run, p.address, p.endpoint, p.body, r.data, onCreate, undefined), done]
          : [done],
      )
      .catch((error: unknown) => run.storageFailed(error));
    if (!result) break;
    outcomes.push(
      result.ok
        ? { address: p.address, action: 'resume', status: 'done', requestsSent: 1 }
        : failed(p.address, 'resume', 1, result.failure),
    );
  }
  return outcomes;
}

function metaOf(p: PendingRequest): NonNullable<IntentRecord['meta']> {
  const meta: NonNullable<IntentRecord['meta']> = {};
  if (p.generation !== undefined) meta.generation = p.generation;
  if (p.spec !== undefined) meta.spec = p.spec;
  if (p.status !== undefined) meta.status = p.status;
  if (p.protect !== undefined) meta.protect = p.protect;
  if (p.supersedes !== undefined) meta.supersedes = p.supersedes;
  if (p.stock !== undefined) meta.stock = p.stock;
  return meta;
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
        if (run.stopping)
          return { address: c.address, action: c.action, status: 'skipped' as const, requestsSent: 0 };
        hooks.changeStarted?.(c);
        const outcome = await runChange(run, c).catch((error: unknown): ChangeOutcome => {
          run.storageFailed(error);
          return { address: c.address, action: c.action, status: 'skipped', requestsSent: 0 };
        });
        hooks.changeFinished?.(c, outcome);
        return outcome;
      }),
    ),
  );
}

async function runChange(run: Execution, change: TemplateChange): Promise<ChangeOutcome> {
  let created: string | undefined;
  let sent = 0;
  const desiredSpec = change.record?.spec as TemplateBody | undefined;
  /** The stock the API reported in this change's latest `detail` request. */
  let apiStock: number | undefined;
  for (const request of change.requests) {
    if (run.stopping)
      return { address: change.address, action: change.action, status: 'skipped', requestsSent: sent };
    let body = resolveBody(request, created);
    const previous = run.state.templates[change.address];
    let meta = request.endpoint === 'createTemplate' ? createMeta(change, previous) : undefined;
    if (request.endpoint === 'detail') {
      // A read, journaled like nothing else: it changes nothing at the API.
      const read = await run.read(body);
      sent++;
      if (!read.ok) return failed(change.address, change.action, sent, read.failure);
      apiStock = typeof read.data.stock === 'number' ? read.data.stock : undefined;
      continue;
    }
    if (request.endpoint === 'updateBudget' && request.stockTarget !== undefined) {
      const target = request.stockTarget;
      if (apiStock === undefined) return failed(change.address, change.action, sent, stockUnknown(body));
      if (apiStock === target) {
        // The API holds the files' value already (changed outside ipass, or an earlier attempt).
        if (previous && previous.stock !== target)
          await run.setEntry(change.address, { ...previous, stock: target });
        continue;
      }
      body = budgetBody(run, change.address, String(body.templateCode), apiStock, target);
      meta = { stock: target };
    }
    const result = await run.send(change.address, request.endpoint, body, meta, (r) => {
      if (!r.ok) return [];
      if (request.endpoint === 'createTemplate') created = (r.data as CreateTemplateResponse).templateCode;
      const onCreate = { spec: desiredSpec ?? body, ...meta };
      return stateAfter(run, change.address, request.endpoint, body, r.data, onCreate, desiredSpec);
    });
    sent++;
    apiStock = undefined;
    if (!result.ok) return failed(change.address, change.action, sent, result.failure);
  }
  const entry = run.state.templates[change.address];
  const after = entry && recordedAfter(entry, change);
  if (entry && after && after !== entry) await run.setEntry(change.address, after);
  return { address: change.address, action: change.action, status: 'done', requestsSent: sent };
}

/** What the state keeps beside the API's answers: `protect`, and the file the template was declared in. */
function recordedAfter(entry: TemplateState, change: TemplateChange): TemplateState {
  if (!change.record) return entry;
  const file = change.source?.file;
  if (entry.protect === change.record.protect && (file === undefined || entry.file === file)) return entry;
  return { ...entry, protect: change.record.protect, ...(file !== undefined ? { file } : {}) };
}

/** The state record of a successful request: the address's entry as the API now has it. */
function stateAfter(
  run: Execution,
  address: string,
  endpoint: EndpointName,
  body: Record<string, unknown>,
  data: unknown,
  createdMeta: CreatedMeta,
  desiredSpec: TemplateBody | undefined,
): JournalRecord[] {
  const entry = run.state.templates[address];
  if (endpoint === 'createTemplate') {
    const response = data as CreateTemplateResponse;
    return [{ t: 'set', address, entry: afterCreate(entry, body, response, createdMeta) }];
  }
  if (!entry) return [];
  return [{ t: 'set', address, entry: afterRequest(entry, endpoint, body, desiredSpec, createdMeta.stock) }];
}

/** The updateBudget that takes the template from the stock the API reported to `target`. */
function budgetBody(
  run: Execution,
  address: string,
  templateCode: string,
  apiStock: number,
  target: number,
): Record<string, unknown> {
  const diff = target - apiStock;
  return {
    requestId: budgetRequestId(run.state.lineage, address, templateCode, apiStock, target, run.state.serial),
    templateCode,
    updateType: diff > 0 ? 'APPEND_BUDGET' : 'SUBTRACT_BUDGET',
    number: Math.abs(diff),
  };
}

function stockUnknown(body: Record<string, unknown>): ApiFailure {
  return {
    kind: 'business',
    code: 'STOCK_NOT_REPORTED',
    message: `AlipayHK's detail of template ${String(body.templateCode)} did not report its stock, so the change to the stock cannot be worked out.`,
    action: 'Run apply again later; if it persists, report it to AlipayHK (detail should carry `stock`).',
    inDoubt: false,
    priorAttemptInDoubt: false,
    endpoint: 'updateBudget',
  };
}

function createMeta(
  change: TemplateChange,
  previous: TemplateState | undefined,
): NonNullable<IntentRecord['meta']> {
  const meta: NonNullable<IntentRecord['meta']> = {};
  if (change.record) {
    meta.spec = change.record.spec as Record<string, unknown>;
    meta.status = change.record.status;
    meta.protect = change.record.protect;
    if (change.record.generation !== undefined) meta.generation = change.record.generation;
  }
  if (change.action === 'replace' && previous) meta.supersedes = previous.templateCode;
  return meta;
}

function resolveBody(request: PlannedRequest, created: string | undefined): Record<string, unknown> {
  if (request.templateCodeFrom !== 'created') return request.body;
  if (!created) throw new Error(`request needs the created template code, but nothing was created before it`);
  return { ...request.body, templateCode: created };
}
