// `import:` entries in the plan (pure): an address not yet in the state whose entry adopts an existing
// template plans `import` (one `detail`); with the API's view (--refresh) every difference from the
// files follows as an update after the import. A code or address the state manages otherwise is an
// error naming both. The same helpers turn an apply's `detail` answer into the state entry it records.
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };
import type { DesiredTemplate, ImportEntry, TemplateBody } from '../campaign/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TemplateState } from '../state/state-format.js';
import { diffValues, rootField } from './diff.js';
import { heldAsIs } from './held-status.js';
import type { PlannedRequest, Reason, RecordAfter, RemoteTemplate, TemplateChange } from './plan-types.js';
import { type ChangeContext, templateChange } from './template-change.js';
import { IMMUTABLE_FIELDS } from './template-requests.js';

/** Every field a campaign file can give a template (besides status and protect). */
export const TEMPLATE_FIELDS: readonly string[] = Object.keys(
  campaignSchema.definitions.TemplateSpec.properties,
).filter((f) => f !== 'status' && f !== 'protect');

const STATUSES: readonly TemplateState['status'][] = ['valid', 'paused', 'closed', 'frozen', 'expired'];

/** The `import:` entries that adopt a template now; the others are records, or errors. */
export function importTargets(
  imports: readonly ImportEntry[],
  working: ReadonlyMap<string, TemplateState>,
  diagnostics: Diagnostic[],
): Map<string, ImportEntry> {
  const owners = new Map<string, string>();
  for (const [address, t] of working) {
    owners.set(t.templateCode, address);
    for (const s of t.superseded) owners.set(s.templateCode, address);
  }
  const out = new Map<string, ImportEntry>();
  for (const e of imports) {
    const here = working.get(e.to);
    if (here?.templateCode === e.templateCode) continue; // done: the entry stays as a record
    const owner = owners.get(e.templateCode);
    if (here) {
      diagnostics.push({
        severity: 'error',
        code: 'IMPORT_ADDRESS_MANAGED',
        message: `${e.to} already manages template ${here.templateCode}; this entry would adopt ${e.templateCode} there.`,
        hint: 'Import it at an address of its own (a new key), or `ipass state rm` the address first if the state is wrong.',
        position: e.source,
      });
    } else if (owner !== undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'IMPORT_CODE_MANAGED',
        message: `Template ${e.templateCode} is already managed at ${owner}; this entry would adopt it again at ${e.to}.`,
        hint: `A template has one address: delete this entry, or rename ${owner} with a \`moved:\` entry instead.`,
        position: e.source,
      });
    } else out.set(e.to, e);
  }
  return out;
}

/** The content the API reported, shaped like a campaign file's body: fields the files can hold. */
export function importedSpec(remote: RemoteTemplate, body: TemplateBody): TemplateBody {
  const spec: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(body), ...TEMPLATE_FIELDS.filter((f) => f in remote.fields)]);
  for (const key of [...keys].sort()) {
    if (key === 'stock') spec.stock = remote.stock ?? body.stock;
    else if (key in remote.fields) spec[key] = remote.fields[key];
  }
  return spec as TemplateBody;
}

/** The state entry of a template adopted as the API reported it. */
export function importedEntry(
  code: string,
  remote: RemoteTemplate,
  record: Pick<RecordAfter, 'spec' | 'protect'>,
  file: string | undefined,
): TemplateState {
  return {
    templateCode: code,
    status: STATUSES.find((s) => s === remote.status) ?? 'valid',
    stock: remote.stock ?? record.spec.stock,
    protect: record.protect,
    generation: 1,
    requestId: '',
    imported: true,
    ...(file !== undefined ? { file } : {}),
    spec: importedSpec(remote, record.spec),
    superseded: [],
  };
}

/** How an adopted template differs from the files: what an update would change. */
export function importDifferences(entry: TemplateState, record: RecordAfter): Reason[] {
  const reasons = diffValues(entry.spec, record.spec);
  if (entry.status !== record.status && !heldAsIs(entry, record.status))
    reasons.push({ path: 'status', before: entry.status, after: record.status });
  return reasons;
}

/** The `import` change of one address: the read, then (with the API's view) the update it needs. */
export function importChange(
  ctx: ChangeContext,
  d: DesiredTemplate,
  entry: ImportEntry,
  remote: RemoteTemplate | null | undefined,
): TemplateChange {
  const code = entry.templateCode;
  const read: PlannedRequest = { endpoint: 'detail', body: { templateCode: code } };
  const change: TemplateChange = {
    address: d.address,
    source: d.source,
    templateCode: code,
    action: 'import',
    irreversible: false,
    reasons: [{ path: 'templateCode', note: `adopt ${code}, made outside ipass` }],
    requests: [read],
    record: { spec: d.body, status: d.status, protect: d.protect },
  };
  const problem = (message: string, hint: string): TemplateChange => {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'IMPORT_CANNOT_CHANGE',
      message,
      hint,
      position: entry.source,
    });
    return change;
  };
  if (remote === undefined) {
    change.reasons.push({
      path: 'content',
      note: 'compared with the files at apply (`ipass plan --refresh` shows the differences now)',
    });
    return change;
  }
  if (remote === null) {
    ctx.diagnostics.push({
      severity: 'error',
      code: 'IMPORT_UNKNOWN_CODE',
      message: `The API knows no template ${code} (to be imported at ${d.address}) for this merchant.`,
      hint: 'Check the code in the merchant console and the environment (-e); a template of another merchant cannot be adopted.',
      position: entry.source,
    });
    return change;
  }
  const s = importedEntry(code, remote, change.record as RecordAfter, d.file);
  if (s.status === 'closed') {
    change.reasons.push({ path: 'status', note: 'closed at AlipayHK: adopted as closed' });
    if (d.status === 'closed') return change;
    return problem(
      `Template ${code} is closed at AlipayHK, but ${d.address} is ${d.status} in the files; a closed template cannot be reopened.`,
      'Write `status: closed` for it (it is adopted as closed), or leave the template out and create a new one.',
    );
  }
  const inner = templateChange(ctx, d, s);
  const fixed = inner.reasons.filter((r) => IMMUTABLE_FIELDS.includes(rootField(r.path)));
  if (inner.action === 'replace' || fixed.length > 0) {
    change.reasons.push(...fixed);
    return problem(
      `Template ${code} differs from ${d.address} in ${fixed.map((r) => r.path).join(', ')}, which cannot be updated; an import never replaces a template.`,
      'Write the values AlipayHK has (`ipass plan --refresh` shows them) for those fields.',
    );
  }
  change.irreversible = inner.irreversible;
  if (inner.requests.length > 0)
    change.reasons.push({ path: 'content', note: 'differs from the files: updated right after the import' });
  change.reasons.push(...inner.reasons);
  change.requests.push(...inner.requests);
  return change;
}
