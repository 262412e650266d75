// What customers holding passes see of a change (pure): for a close, replace, pause or rename, how
// many passes issued through ipass are held on the template and what becomes of them, in one line.
// AlipayHK's documents say what the statuses mean, not what happens to passes already issued.
import type { StateFile } from '../state/state-format.js';
import { formatCount } from './format-values.js';
import type { CustomerImpact, PassBatchSummary, TemplateChange } from './plan-types.js';

/**
 * Passes issued per template code: each batch's ledger (via its summary) counts for the template its
 * latest rows went to; a batch no longer in the files counts with what the state recorded for it.
 */
export function passesHeld(
  state: StateFile,
  summaries: ReadonlyMap<string, PassBatchSummary>,
): Map<string, number> {
  const held = new Map<string, number>();
  const add = (code: string | undefined, n: number): void => {
    if (code !== undefined && n > 0) held.set(code, (held.get(code) ?? 0) + n);
  };
  for (const [address, s] of summaries) {
    add(s.ledgerTemplateCode ?? state.passBatches[address]?.templateCode, s.issuedTotal);
  }
  for (const [address, b] of Object.entries(state.passBatches)) {
    if (b && !summaries.has(address)) add(b.templateCode, b.issued);
  }
  return held;
}

const NOT_DOCUMENTED =
  "AlipayHK's documents do not say what happens to passes already issued (ipass does not withdraw them)";

function holding(n: number, what: string): string {
  return `Customers hold ${formatCount(n)} pass${n === 1 ? '' : 'es'} of ${what} (issued through ipass)`;
}

/** The line for one change, or undefined when the change does not touch what customers hold. */
export function customerImpact(
  change: TemplateChange,
  held: ReadonlyMap<string, number>,
  renameOf?: { from: string; templateCode: string },
): CustomerImpact | undefined {
  const count = (codes: readonly string[]): number => codes.reduce((n, c) => n + (held.get(c) ?? 0), 0);
  const closes = change.requests.flatMap((r) =>
    r.endpoint === 'switchStatus' && 'templateCode' in r.body && r.body.status === 'closed'
      ? [r.body.templateCode]
      : [],
  );
  const code = change.templateCode;

  if (change.action === 'import') {
    const closing = closes.length > 0 ? ' It is closed right after the import, which is permanent.' : '';
    return {
      passes: 0,
      text: `Adopted from outside ipass: passes issued outside ipass (merchant console, other systems) are unknown to it, so no count of passes customers hold is given for this template.${closing}`,
    };
  }
  if (change.action === 'replace' && code !== undefined) {
    const n = count(closes);
    const text =
      n > 0
        ? `${holding(n, `the current template ${code}`)}; they stay on it and do not move to the new template. ${code} is closed for good, and ${NOT_DOCUMENTED}.`
        : `No passes of the current template ${code} were issued through ipass; it is closed for good and a new template takes its place.`;
    return { passes: n, text };
  }
  if (closes.length > 0) {
    const n = count(closes);
    const what =
      closes.length === 1 && closes[0] === code ? 'this template' : `template ${closes.join(', ')}`;
    const text =
      n > 0
        ? `${holding(n, what)}; closing is permanent, and ${NOT_DOCUMENTED}.`
        : `No passes of ${what} were issued through ipass; closing is permanent.`;
    return { passes: n, text };
  }
  const pausing = change.requests.some((r) => r.endpoint === 'switchStatus' && r.body.status === 'paused');
  if (pausing && code !== undefined) {
    const n = count([code]);
    const text =
      n > 0
        ? `${holding(n, 'this template')}; pausing takes the template offline for now ("temporarily offline"), and AlipayHK's documents do not say whether passes already issued can be used meanwhile.`
        : 'No passes of this template were issued through ipass; pausing takes it offline for now.';
    return { passes: n, text };
  }
  if (change.movedFrom !== undefined && code !== undefined) {
    const n = count([code]);
    const text =
      n > 0
        ? `${holding(n, `template ${code}`)}; a rename changes only ipass's records, so the template and those passes stay as they are.`
        : `A rename changes only ipass's records; template ${code} stays as it is.`;
    return { passes: n, text };
  }
  if (change.action === 'create' && renameOf) {
    const n = count([renameOf.templateCode]);
    const passes = n > 0 ? `, of which customers hold ${formatCount(n)} pass${n === 1 ? '' : 'es'}` : '';
    return {
      passes: n,
      text: `Looks like a rename of ${renameOf.from} (same content, template ${renameOf.templateCode}${passes}): without a \`moved:\` entry a second template is created. If it is a rename, add \`moved: [{ from: ${renameOf.from}, to: ${change.address} }]\`.`,
    };
  }
  return undefined;
}
