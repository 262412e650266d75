// A kill -9 can land between any two journal writes. For every such point, fold the journal written
// so far (as the next apply does) and check that nothing the API already did is forgotten: each
// template it created is either in the state at its address or still pending re-send under the
// same requestId (never planned again under a new one, which would create a second template), and
// a moved entry is at exactly one of its two addresses.
import { describe, expect, it } from 'vitest';
import type { ApiCaller } from '../api/api-caller.js';
import type { ApiResult } from '../api/api-result.js';
import type { EndpointName } from '../api/endpoints.js';
import type { DesiredTemplate, TemplateBody } from '../campaign/types.js';
import { planTemplates } from '../plan/plan-templates.js';
import { desiredTemplate } from '../plan/testing/desired.js';
import { templateBody } from '../sandbox/testing/harness.js';
import type { JournalWriter, LedgerStore } from '../state/backend.js';
import { foldJournal, type JournalRecord } from '../state/journal-records.js';
import { emptyState, type StateFile } from '../state/state-format.js';
import { Execution } from './execution.js';
import { resolvePending } from './resume.js';
import { executeTemplateChanges } from './template-executor.js';

const pos = { file: 'campaigns/c.yaml', line: 1, col: 1 };

function desired(key: string, stock = 100): DesiredTemplate {
  const { requestId: _, ...body } = templateBody({ stock });
  return desiredTemplate(key, body as TemplateBody, pos);
}

/** Each append/appendMany call is one write(2): a kill lands between two of them. */
class RecordingJournal implements JournalWriter {
  readonly writes: JournalRecord[][] = [];
  async append(record: JournalRecord): Promise<void> {
    this.writes.push([record]);
  }
  async appendMany(records: readonly JournalRecord[]): Promise<void> {
    this.writes.push([...records]);
  }
  async close(): Promise<void> {}
  upTo(count: number): JournalRecord[] {
    return this.writes.slice(0, count).flat();
  }
}

/** Template changes never touch a pass ledger. */
const noLedgers = {} as LedgerStore;

interface Commit {
  requestId: string;
  templateCode: string;
  /** Journal writes made before the API applied it. */
  afterWrites: number;
}

/** The API as seen by the executor: creates commit; every third one's answer is lost after the commit. */
class FakeApi {
  readonly commits: Commit[] = [];
  /** requestIds whose answer was lost after the commit. */
  readonly lost: string[] = [];
  private codes = 0;
  constructor(private readonly journal: RecordingJournal) {}

  async call(endpoint: EndpointName, request: object): Promise<ApiResult<never>> {
    await Promise.resolve();
    const body = request as Record<string, unknown>;
    if (endpoint !== 'createTemplate') return this.ok({});
    const requestId = String(body.requestId);
    let commit = this.commits.find((c) => c.requestId === requestId);
    if (!commit) {
      this.codes += 1;
      commit = { requestId, templateCode: `T${this.codes}`, afterWrites: this.journal.writes.length };
      this.commits.push(commit);
      if (this.codes % 3 === 0) {
        this.lost.push(requestId);
        return this.lostAnswer(endpoint);
      }
    }
    return this.ok({ templateCode: commit.templateCode, status: 'valid' });
  }

  private ok(data: object): ApiResult<never> {
    const result = { resultStatus: 'S', resultCode: 'SUCCESS', resultMsg: 'success' } as const;
    return { ok: true, data: data as never, result, tracerId: undefined, attempts: 1 };
  }

  private lostAnswer(endpoint: EndpointName): ApiResult<never> {
    const failure = {
      kind: 'unknown',
      code: 'CONNECTION_ERROR',
      message: 'the connection closed before the answer',
      action: 'run apply again',
      inDoubt: true,
      priorAttemptInDoubt: true,
      endpoint,
    } as const;
    return { ok: false, failure, attempts: 3 };
  }
}

/** Every create the API applied before the kill is known to the folded state, at its address. */
function checkKillAfter(start: StateFile, journal: RecordingJournal, api: FakeApi, writes: number): void {
  const { state } = foldJournal(start, journal.upTo(writes));
  for (const commit of api.commits.filter((c) => c.afterWrites <= writes)) {
    const inState = Object.values(state.templates).some((t) => t?.templateCode === commit.templateCode);
    const pending = state.pending.some((p) => p.body.requestId === commit.requestId);
    expect(
      inState || pending,
      `after ${writes} writes, ${commit.templateCode} (${commit.requestId}) is forgotten`,
    ).toBe(true);
  }
}

describe('a kill between any two journal writes', () => {
  it('forgets no created template, no replaced template, and never loses a moved entry', async () => {
    const start = emptyState('dev', 'lineage-1');
    const existing = (templateCode: string, spec: TemplateBody) => ({
      templateCode,
      status: 'valid' as const,
      stock: spec.stock,
      protect: false,
      generation: 1,
      requestId: `r-${templateCode}`,
      spec: spec as unknown as Record<string, unknown>,
      superseded: [],
    });
    const moved = desired('new-name');
    start.templates['c/old-name'] = existing('T-OLD', moved.body);
    // A changed code type cannot be updated: a new template is created and T-REP closed.
    const replaced = desired('replaced');
    start.templates['c/replaced'] = existing('T-REP', { ...replaced.body, codeType: 'barcode' });
    const templates = [moved, replaced, ...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => desired(k))];
    const { changes } = planTemplates({
      templates,
      moved: [{ from: 'c/old-name', to: 'c/new-name', source: pos }],
      state: start,
      now: Date.now(),
    });
    expect(changes.filter((c) => c.action === 'create')).toHaveLength(7);
    expect(changes.find((c) => c.address === 'c/replaced')?.action).toBe('replace');

    const journal = new RecordingJournal();
    const api = new FakeApi(journal);
    const run = new Execution(api as ApiCaller, journal, structuredClone(start), noLedgers);
    await executeTemplateChanges(run, changes, 3);
    expect(api.commits).toHaveLength(8);

    for (let writes = 0; writes <= journal.writes.length; writes++) {
      checkKillAfter(start, journal, api, writes);
      const { state } = foldJournal(start, journal.upTo(writes));
      const at = ['c/old-name', 'c/new-name'].filter((a) => state.templates[a]?.templateCode === 'T-OLD');
      expect(at, `after ${writes} writes`).toHaveLength(1);
      // The replaced template stays known (current or superseded) until it is closed, or it would
      // stay live and never be closed.
      const r = state.templates['c/replaced'];
      const knows = r?.templateCode === 'T-REP' || r?.superseded.some((x) => x.templateCode === 'T-REP');
      expect(knows, `after ${writes} writes, T-REP is forgotten`).toBe(true);
    }

    // The next apply re-sends what was in doubt; a kill during that is just as safe.
    const after = foldJournal(start, journal.upTo(journal.writes.length)).state;
    expect(after.pending.map((p) => p.body.requestId).sort()).toEqual([...api.lost].sort());
    expect(api.lost).toHaveLength(2);
    const resumeJournal = new RecordingJournal();
    const resumeApi = new FakeApi(resumeJournal);
    resumeApi.commits.push(...api.commits.map((c) => ({ ...c, afterWrites: 0 })));
    await resolvePending(
      new Execution(resumeApi as ApiCaller, resumeJournal, structuredClone(after), noLedgers),
      after.pending,
    );
    for (let writes = 0; writes <= resumeJournal.writes.length; writes++) {
      checkKillAfter(after, resumeJournal, resumeApi, writes);
    }
    const finished = foldJournal(after, resumeJournal.upTo(resumeJournal.writes.length)).state;
    expect(finished.pending).toEqual([]);
    const codes = Object.values(finished.templates).map((t) => t?.templateCode);
    expect(new Set(codes).size).toBe(9);
  });
});
