// What a plan says about the passes a batch issued already: which ones an update reaches (their
// content, as the ledger records it, differs from what the files now give), which ones `revoked:`
// closes, and which are left alone because they are used, closed or of unknown content.
import type { DesiredPassBatch } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type {
  PassClosePlan,
  PassesNotActive,
  PassFieldChange,
  PassSampleContent,
  PassUpdatePlan,
} from '../plan/plan-types.js';
import { type KeyTable, LedgerStatus } from '../state/key-table.js';
import { CONTENT_KNOWN, changeable, Life, lifeOf, type PassContent } from '../state/pass-life.js';
import { type BatchContent, contentChange, parseBatchContent, passContent } from './pass-content.js';
import { type CompiledContent, type CompiledValue, compileValue, fill, fillContent } from './placeholders.js';
import { describeUser, lookupFor, type Recipient, type RecipientLayout } from './recipient-rows.js';
import type { RevokedRows } from './revoked-rows.js';
import { revokedSource } from './revoked-rows.js';

const none = (): PassesNotActive => ({ used: 0, closed: 0, closedOrUsed: 0, notActive: 0 });

/** Count a pass that is not active any more under its kind. */
export function countNotActive(counts: PassesNotActive, life: Life): void {
  if (life === Life.used) counts.used++;
  else if (life === Life.closed) counts.closed++;
  else if (life === Life.closedOrUsed) counts.closedOrUsed++;
  else if (life === Life.notActive) counts.notActive++;
}

export const carriedContent = (table: KeyTable, slot: number): PassContent => ({
  code: table.hash(slot, 0),
  data: table.hash(slot, 1),
  end: table.hash(slot, 2),
});

export class LifePlanner {
  private readonly update: PassUpdatePlan = {
    count: 0,
    dataInfo: 0,
    validity: 0,
    inDoubt: 0,
    fields: [],
    skipped: none(),
    contentUnknown: 0,
  };
  private close: PassClosePlan | undefined;
  private codeChanged = 0;
  /** The batch's content as the ledger recorded it, with its dataInfo compiled. */
  private readonly before: { dataInfo: CompiledValue | undefined; old: BatchContent } | undefined;

  constructor(
    private readonly batch: DesiredPassBatch,
    private readonly table: KeyTable,
    ledgerContent: string | undefined,
    private readonly revoked: RevokedRows | undefined,
  ) {
    const source = revokedSource(batch);
    if (source !== undefined) this.close = { count: 0, source, inDoubt: 0, neverIssued: 0, already: none() };
    const old = parseBatchContent(ledgerContent);
    this.before = old && { dataInfo: old.dataInfo === null ? undefined : compileValue(old.dataInfo), old };
  }

  /** Is this issued pass to be closed rather than updated? */
  revokes(id: string): boolean {
    return (
      this.batch.revoked !== undefined && ('all' in this.batch.revoked || this.revoked?.ids.has(id) === true)
    );
  }

  /** A readable row of the recipients file that the ledger has as issued. */
  issuedRow(slot: number, recipient: Recipient, layout: RecipientLayout, compiled: CompiledContent): void {
    if (this.revokes(recipient.bizSerialId)) {
      if (this.batch.revoked && 'all' in this.batch.revoked) this.closeSlot(slot);
      return;
    }
    const byte = this.table.life(slot);
    if ((byte & CONTENT_KNOWN) === 0) {
      this.update.contentUnknown++;
      return;
    }
    const filled = fillContent(compiled, lookupFor(layout, recipient));
    const wanted = passContent(filled.codeInfo, filled.dataInfo, this.batch.endDate);
    const carried = carriedContent(this.table, slot);
    const change = contentChange(carried, wanted, this.batch.endDate !== undefined);
    if (change.code) this.codeChanged++;
    if (!change.data && !change.validity) return;
    if (!changeable(byte)) {
      countNotActive(this.update.skipped, lifeOf(byte));
      return;
    }
    const u = this.update;
    u.count++;
    if (change.data) u.dataInfo++;
    if (change.validity) u.validity++;
    if (lifeOf(byte) === Life.updateInDoubt) u.inDoubt++;
    if (u.example) return;
    const after: PassSampleContent = {};
    if (filled.dataInfo !== undefined) after.dataInfo = filled.dataInfo;
    if (this.batch.endDate !== undefined) after.endDate = this.batch.endDate;
    const before = this.sampleBefore(recipient, layout, carried);
    u.example = { line: recipient.line, user: describeUser(recipient), after, ...(before ? { before } : {}) };
  }

  /** Close the revoked file's rows (call once the ledger is read). */
  revokedRows(): void {
    if (!this.close || !this.revoked) return;
    for (const r of this.revoked.rows) {
      const slot = this.table.find(r.bizSerialId);
      if (slot === -1 || this.table.status(slot) !== LedgerStatus.issued) this.close.neverIssued++;
      else this.closeSlot(slot);
    }
  }

  finish(): { update?: PassUpdatePlan; close?: PassClosePlan; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const b = this.batch;
    if (this.codeChanged > 0) {
      diagnostics.push({
        severity: 'error',
        code: 'PASS_CODE_INFO_CHANGED',
        message: `codeInfo of ${b.address} changed for ${this.codeChanged} pass(es) already issued; a pass's code is what shops scan and cannot be updated.`,
        hint: 'Put codeInfo back as it was. To give customers passes with new codes, add a new pass batch (a new key), and take the old passes back with `revoked:` if they must go.',
        position: b.fields.codeInfo ?? b.source,
      });
    }
    if (this.close && this.close.neverIssued > 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'PASS_REVOKED_NOT_ISSUED',
        message: `${this.close.neverIssued} revoked recipient(s) of ${b.address} were never issued a pass by this batch: nothing to close for them, and they are not issued one.`,
        hint: 'Check that the revoked file lists the right people (same userId/openId, or bizSerialId, as when the passes were issued).',
        position: b.fields.revoked ?? b.source,
      });
    }
    const u = this.update;
    if (u.count > 0) u.fields = this.fieldChanges();
    const show =
      u.count > 0 || u.skipped.used + u.skipped.closed + u.skipped.closedOrUsed + u.skipped.notActive > 0;
    return { ...(show ? { update: u } : {}), ...(this.close ? { close: this.close } : {}), diagnostics };
  }

  private closeSlot(slot: number): void {
    const c = this.close;
    if (!c) return;
    const byte = this.table.life(slot);
    if (!changeable(byte)) countNotActive(c.already, lifeOf(byte));
    else {
      c.count++;
      if (lifeOf(byte) === Life.closeInDoubt) c.inDoubt++;
    }
  }

  /** The pass's content before, from the batch's recorded content, when it is what the pass carries. */
  private sampleBefore(
    recipient: Recipient,
    layout: RecipientLayout,
    carried: PassContent,
  ): PassSampleContent | undefined {
    if (!this.before) return undefined;
    const { dataInfo, old } = this.before;
    const filled = dataInfo ? fill(dataInfo.node, lookupFor(layout, recipient)) : undefined;
    const check = passContent(undefined, filled, old.endDate ?? undefined);
    if (check.data !== carried.data) return undefined;
    const out: PassSampleContent = {};
    if (filled !== undefined) out.dataInfo = filled;
    if (old.endDate !== null && check.end === carried.end) out.endDate = old.endDate;
    return out;
  }

  /** The batch's fields that changed since its recorded content, path by path. */
  private fieldChanges(): PassFieldChange[] {
    const old = this.before?.old;
    if (!old) return [];
    const out: PassFieldChange[] = [];
    diffValues('dataInfo', old.dataInfo ?? undefined, this.batch.dataInfo, out);
    if (this.batch.endDate !== undefined && old.endDate !== this.batch.endDate)
      out.push({ path: 'endDate', before: old.endDate ?? undefined, after: this.batch.endDate });
    return out;
  }
}

function diffValues(path: string, before: unknown, after: unknown, out: PassFieldChange[]): void {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) diffValues(`${path}.${k}`, before[k], after[k], out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before, after });
}
