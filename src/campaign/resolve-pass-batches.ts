// Finish the pass batches once every file is read: the template they name exists and has the same
// type/product, the recipients file exists with a userId/openId column, every {{column}} exists. Pure.

import { closest } from '../diagnostics/closest.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { ErrorCode } from '../diagnostics/error-codes.js';
import { describeRefusal, refusalCode } from '../diagnostics/file-refusal.js';
import { excerpt, excerptList } from '../diagnostics/terminal-text.js';
import { describeEncoding } from '../diagnostics/text-encoding.js';
import type { ParsedTemplate } from './normalize-template.js';
import type { PassBatchDraft } from './pass-batch-draft.js';
import type { RecipientsInfo } from './recipients-header.js';
import type { DesiredPassBatch } from './types.js';

type Report = (
  code: ErrorCode,
  field: string,
  message: string,
  hint: string,
  position?: SourcePosition,
) => void;

/** Placeholders that need no column (the passes derive them). */
const BUILT_IN_PLACEHOLDERS = ['bizSerialId'];

export function resolvePassBatch(
  batch: PassBatchDraft,
  templates: ReadonlyMap<string, ParsedTemplate>,
  recipients: ReadonlyMap<string, RecipientsInfo>,
  /** A template address in a campaign whose file could not be read: not reported as missing. */
  unknowable: (address: string) => boolean = () => false,
): { desired: DesiredPassBatch | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const at = (field: string): SourcePosition => batch.fields[field] ?? batch.source;
  const error: Report = (code, field, message, hint, position) => {
    const where = position ?? at(field);
    diagnostics.push({
      severity: 'error',
      code,
      message,
      hint,
      position: where,
      path: `/passes/${batch.key}/${field}`,
    });
  };
  const { type, product } = kindOf(batch, templates, unknowable, error);
  if (type === 'TICKET' && batch.dataInfo === undefined) {
    error(
      'PASS_DATA_INFO_REQUIRED',
      'type',
      `Pass batch ${batch.key} issues TICKET passes, which need \`dataInfo\`.`,
      'Add `dataInfo:` with the ticket details per locale, e.g. { en_US: { ... } }.',
    );
  }
  checkRecipients(batch, batch.recipients, 'recipients', recipients, error);
  const revoked = batch.revoked && 'path' in batch.revoked ? batch.revoked : undefined;
  if (revoked) checkRecipients(batch, revoked.path, 'revoked', recipients, error);

  const info = batch.recipients === undefined ? undefined : recipients.get(batch.recipients);
  const revokedInfo = revoked && recipients.get(revoked.path);
  if (!batch.ok || diagnostics.length > 0 || !batch.template || !type || !product || info?.status !== 'ok') {
    return { desired: undefined, diagnostics };
  }
  // The real path, checked inside the project: what the passes read.
  const desired = desiredOf(batch, batch.template, info.real, type, product);
  if (batch.revoked && 'all' in batch.revoked) desired.revoked = { all: true };
  else if (revoked && revokedInfo?.status === 'ok')
    desired.revoked = { path: revokedInfo.real, display: revoked.display };
  return { desired, diagnostics };
}

/** The batch's type and product: its own, else its template's (undefined type: not usable). */
function kindOf(
  batch: PassBatchDraft,
  templates: ReadonlyMap<string, ParsedTemplate>,
  unknowable: (address: string) => boolean,
  error: Report,
): { type: string | undefined; product: string | undefined } {
  let type = batch.type;
  let product = batch.product;

  if (batch.template && 'address' in batch.template) {
    const address = batch.template.address;
    const template = templates.get(address);
    if (!template && unknowable(address)) {
      type = undefined; // its file is broken and reported; the batch is not usable either
    } else if (!template) {
      const guess = closest(address, [...templates.keys()]);
      error(
        'PASS_TEMPLATE_NOT_FOUND',
        'template',
        `Pass batch ${batch.key} names template ${address}, which no campaign file defines.`,
        guess
          ? `Did you mean ${guess}? A bare key means a template in this file; write "campaign/key" for another file.`
          : 'Add the template, fix the name ("campaign/key" for another file), or use `templateCode:` for a template ipass does not manage.',
      );
    } else {
      for (const [field, mine, theirs] of [
        ['type', batch.type, template.type],
        ['product', batch.product, template.product],
      ] as const) {
        if (mine !== undefined && theirs !== undefined && mine !== theirs) {
          error(
            'PASS_TEMPLATE_TYPE_MISMATCH',
            field,
            `Pass batch ${batch.key} has ${field} ${mine}, but its template ${address} has ${field} ${theirs}.`,
            `Set \`${field}: ${theirs}\`, or leave it out to use the template's.`,
          );
        }
      }
      type ??= template.type;
      product ??= template.product;
    }
  }
  return { type, product };
}

function desiredOf(
  batch: PassBatchDraft,
  template: DesiredPassBatch['template'],
  recipients: string,
  type: string,
  product: string,
): DesiredPassBatch {
  const desired: DesiredPassBatch = {
    address: batch.address,
    campaign: batch.campaign,
    key: batch.key,
    file: batch.file,
    source: batch.source,
    template,
    recipients,
    recipientsDisplay: batch.recipientsDisplay,
    type,
    product,
    codeInfo: batch.codeInfo,
    fields: batch.fields,
  };
  if (batch.dataInfo !== undefined) desired.dataInfo = batch.dataInfo;
  if (batch.extInfo !== undefined) desired.extInfo = batch.extInfo;
  if (batch.publishScene !== undefined) desired.publishScene = batch.publishScene;
  if (batch.startDate !== undefined) desired.startDate = batch.startDate;
  if (batch.endDate !== undefined) desired.endDate = batch.endDate;
  return desired;
}

/** The recipients file, or the `revoked:` file (which has no placeholders to check). */
function checkRecipients(
  batch: PassBatchDraft,
  path: string | undefined,
  field: 'recipients' | 'revoked',
  recipients: ReadonlyMap<string, RecipientsInfo>,
  error: Report,
): void {
  if (path === undefined) return;
  const info = recipients.get(path);
  const shown = field === 'recipients' ? batch.recipientsDisplay : displayOf(batch.revoked);
  if (!info) return;
  if (info.status === 'outside') {
    error(info.problem.code, 'recipients', info.problem.message, info.problem.hint);
    return;
  }
  if (info.status === 'refused') {
    const { refusal } = info;
    const special = refusal.kind === 'not-regular' || refusal.kind === 'too-large';
    error(
      refusalCode(refusal, 'RECIPIENTS_NOT_FOUND'),
      field,
      `The recipients file ${shown} of pass batch ${batch.key} ${special ? 'is refused' : 'cannot be read'}: it ${describeRefusal(refusal)}.`,
      special
        ? `Point \`${field}:\` at a regular CSV file inside the project (one row per recipient).`
        : 'The path is relative to the campaign file; check its spelling, or create the CSV (header row with userId or openId).',
    );
    return;
  }
  if (info.status === 'bad-encoding') {
    const { problem } = info;
    error(
      'RECIPIENTS_ENCODING',
      field,
      `The recipients file ${shown} is ${describeEncoding(problem)}; recipients files are read as UTF-8.`,
      problem.kind === 'binary'
        ? `Point \`${field}:\` at the CSV file itself (a spreadsheet such as .xlsx is not CSV): in Excel, File > Save As > "CSV UTF-8 (Comma delimited)".`
        : 'Save it again as UTF-8: in Excel, File > Save As > "CSV UTF-8 (Comma delimited)" (plain "CSV" may be Big5 and "Unicode Text" is UTF-16).',
      { file: shown, line: problem.line, col: problem.col },
    );
    return;
  }
  if (info.status === 'bad-header') {
    error(
      'RECIPIENTS_NO_ID_COLUMN',
      field,
      `The header row of ${shown} cannot be read as CSV (${excerpt(info.reason)}).`,
      'Make the first line the column names separated by commas, e.g. userId,name.',
    );
    return;
  }
  const header = info.header.filter((c) => c !== '');
  if (!header.includes('userId') && !header.includes('openId')) {
    const guess = closest('userId', header) ?? closest('openId', header);
    error(
      'RECIPIENTS_NO_ID_COLUMN',
      field,
      header.length === 0
        ? `The recipients file ${shown} has no header row.`
        : `The header row of ${shown} (${excerptList(header)}) has no userId or openId column.`,
      guess
        ? `Did you mean userId? Rename the column "${excerpt(guess)}" to userId (AlipayHK user id) or openId.`
        : 'Make the first line name the columns, with userId (AlipayHK user id) or openId among them, e.g. userId,name.',
    );
    return;
  }
  if (field === 'revoked') return;
  const known = [...header, ...BUILT_IN_PLACEHOLDERS];
  for (const p of batch.placeholders) {
    if (known.includes(p.name)) continue;
    const guess = closest(p.name, known);
    error(
      'PASS_UNKNOWN_PLACEHOLDER',
      p.field,
      `{{${excerpt(p.name)}}} names no column of ${shown}.`,
      `${guess ? `Did you mean {{${excerpt(guess)}}}? ` : ''}Columns: ${excerptList(header)}.`,
      p.position,
    );
  }
}

const displayOf = (revoked: PassBatchDraft['revoked']): string =>
  revoked && 'display' in revoked ? revoked.display : '';
