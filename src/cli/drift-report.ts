// What `ipass drift` reports: each field where AlipayHK differs from the campaign files ("the files
// say X, AlipayHK has Y"), from a plan made after reading every managed template, and its renderers
// (text, markdown for an issue, JSON). Stock taken by issued passes is not drift: the API's stock is
// the budget, and what passes took is its availableStock, which is never compared.
import type { CampaignSet } from '../campaign/types.js';
import { formatValue } from '../plan/format-values.js';
import { mdCode, mdText } from '../plan/markdown-text.js';
import type { LastSweep, Plan } from '../plan/plan-types.js';

export type DriftEntry = LastSweep['drift'][number];

/** The plan's drift, each with what the files say (absent for an address no longer in them). */
export function driftEntries(plan: Plan, desired: CampaignSet): DriftEntry[] {
  const byAddress = new Map(desired.templates.map((t) => [t.address, t]));
  return plan.drift.map((d) => {
    const t = byAddress.get(d.address);
    const entry: DriftEntry = {
      address: d.address,
      templateCode: d.templateCode,
      path: d.path,
      remote: d.remote,
    };
    if (!t) return entry;
    const body = t.body as Record<string, unknown>;
    const files = d.path === 'status' ? t.status : d.path === 'templateCode' ? d.state : body[d.path];
    return { ...entry, files };
  });
}

const say = (d: DriftEntry): string =>
  `the files say ${'files' in d ? formatValue(d.path, d.files) : '(not in the files)'}, AlipayHK has ${formatValue(d.path, d.remote)}`;

export function driftText(environment: string, sweep: LastSweep): string[] {
  const n = sweep.drift.length;
  if (n === 0)
    return [
      `No drift in ${environment}: the ${sweep.templates} managed templates at AlipayHK are as the files say (read at ${sweep.at}).`,
    ];
  const templates = new Set(sweep.drift.map((d) => d.address)).size;
  return [
    `Drift in ${environment}: AlipayHK differs from the campaign files (read ${sweep.templates} templates at ${sweep.at}):`,
    ...sweep.drift.map((d) => `  ! ${d.address} (${d.templateCode})  ${d.path}: ${say(d)}`),
    '',
    `${n} field${n === 1 ? '' : 's'} in ${templates} template${templates === 1 ? '' : 's'} changed outside ipass. \`ipass apply --refresh=all\` puts them back as the files say; or change the files to keep them.`,
  ];
}

export function driftMarkdown(environment: string, sweep: LastSweep): string[] {
  const n = sweep.drift.length;
  if (n === 0)
    return [
      `**No drift** in ${mdCode(environment)}: ${sweep.templates} templates read at ${mdText(sweep.at)}.`,
    ];
  return [
    `**Drift** in ${mdCode(environment)}: AlipayHK differs from the campaign files in ${n} field${n === 1 ? '' : 's'} (${sweep.templates} templates read at ${mdText(sweep.at)}).`,
    '',
    '| Address | Template | Field | The files say | AlipayHK has |',
    '|---|---|---|---|---|',
    ...sweep.drift.map(
      (d) =>
        `| ${mdCode(d.address, true)} | ${mdCode(d.templateCode, true)} | ${mdCode(d.path, true)} | ${'files' in d ? mdCode(formatValue(d.path, d.files), true) : '(not in the files)'} | ${mdCode(formatValue(d.path, d.remote), true)} |`,
    ),
    '',
    'Changed outside ipass. `ipass apply --refresh=all` puts these back as the files say; or change the files to keep them.',
  ];
}
