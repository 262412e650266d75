// `ipass import generate`'s file (pure): live templates, as `detail` reported them, → a campaign file
// with an `import:` entry each: fields in the order of the createTemplate document, dates in Hong Kong
// time, values every template shares lifted into `defaults`, keys made from the English name. Emitted
// with the `yaml` library, so any value the API returns is quoted as YAML needs.
import { Document, isMap, type YAMLMap } from 'yaml';
import { canonical } from './canonical.js';
import { formatHongKongTime } from './dates.js';
import { slug } from './message-words.js';

/** createTemplate's fields in the order its document lists them (seed 002). */
const FIELD_ORDER = [
  'startDate',
  'endDate',
  'type',
  'product',
  'codeType',
  'codeStandard',
  'imageUrl',
  'button',
  'localeInfo',
  'merchantLogo',
  'currentAmountCent',
  'originalAmountCent',
  'currencyCode',
  'stock',
  'orderPageLink',
  'categories',
  'bizMids',
  'exposure',
  'passExtInfo',
] as const;
const REQUIRED = new Set([
  'startDate',
  'endDate',
  'type',
  'product',
  'codeType',
  'codeStandard',
  'imageUrl',
  'button',
  'localeInfo',
  'merchantLogo',
  'stock',
  'orderPageLink',
  'categories',
  'exposure',
]);
const BUTTON_ORDER = ['btnType', 'urlType', 'btnUrl', 'browserOpen'];
const LOCALE_ORDER = ['en_US', 'zh_HK'];
const TEXT_ORDER = ['name', 'subName', 'description', 'shops', 'brandName', 'customTabs'];
const TAB_ORDER = ['label', 'type', 'value'];

type Obj = Record<string, unknown>;

/** A template as `detail` reported it: content fields by API name, status and stock apart. */
export interface LiveTemplate {
  templateCode: string;
  status: string;
  stock?: number;
  fields: Record<string, unknown>;
}

const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys in the given order first, then any others as they came. */
function ordered(value: unknown, order: readonly string[]): unknown {
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const k of order) if (Object.hasOwn(value, k)) out[k] = value[k];
  for (const [k, v] of Object.entries(value)) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** ISO-8601 in Hong Kong time; milliseconds kept when there are any, so the instant is exact. */
export function hongKongIso(ms: number): string {
  const text = formatHongKongTime(ms);
  const rest = ((ms % 1000) + 1000) % 1000;
  return rest === 0 ? text : `${text.slice(0, 19)}.${String(rest).padStart(3, '0')}+08:00`;
}

function fieldValue(field: string, value: unknown): unknown {
  if ((field === 'startDate' || field === 'endDate') && typeof value === 'number') return hongKongIso(value);
  if (field === 'button') return ordered(value, BUTTON_ORDER);
  if (field !== 'localeInfo' || !isObj(value)) return value;
  const locales = ordered(value, LOCALE_ORDER) as Obj;
  for (const [locale, text] of Object.entries(locales)) {
    const t = ordered(text, TEXT_ORDER);
    if (isObj(t) && Array.isArray(t.customTabs))
      t.customTabs = t.customTabs.map((tab) => ordered(tab, TAB_ORDER));
    locales[locale] = t;
  }
  return locales;
}

interface Drafted {
  key: string;
  code: string;
  body: Obj;
  notes: string[];
}

/** One template's body and the comments it needs (fields not returned, statuses not written). */
function draft(remote: LiveTemplate, known: ReadonlySet<string>): Omit<Drafted, 'key'> {
  const body: Obj = {};
  const notes: string[] = [];
  const fields: Obj = { ...remote.fields };
  if (remote.stock !== undefined) fields.stock = remote.stock;
  for (const field of FIELD_ORDER) {
    if (Object.hasOwn(fields, field)) body[field] = fieldValue(field, fields[field]);
    else if (REQUIRED.has(field)) notes.push(`${field}:   # AlipayHK did not return it: fill it in`);
  }
  for (const [field, value] of Object.entries(fields)) {
    if (Object.hasOwn(body, field) || (FIELD_ORDER as readonly string[]).includes(field)) continue;
    if (known.has(field)) body[field] = value;
    else notes.push(`${field} is returned by AlipayHK but not managed by ipass (left as it is)`);
  }
  if (remote.status === 'paused' || remote.status === 'closed') body.status = remote.status;
  else if (remote.status === 'expired')
    notes.push('status: expired at AlipayHK (its endDate passed); ipass leaves it so');
  else if (remote.status === 'frozen')
    notes.push('status: frozen at AlipayHK (held for review); ipass leaves it so');
  return { code: remote.templateCode, body, notes };
}

/** Keys from the English name (else the Chinese one, else the code), unique within the file. */
function keyOf(d: Omit<Drafted, 'key'>, taken: Set<string>): string {
  const locales = isObj(d.body.localeInfo) ? d.body.localeInfo : {};
  const name = [locales.en_US, locales.zh_HK].map((l) => (isObj(l) ? String(l.name ?? '') : ''));
  const english = name[0] ?? '';
  // slug() answers `my-key` for a name with no latin letters or digits: the code's end then.
  let base = /[a-z0-9]/i.test(english) ? slug(english) : `template-${d.code.slice(-8).toLowerCase()}`;
  base = base.slice(0, 56).replace(/-+$/, '');
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/** Fields every template has with the same value (two or more templates). */
function shared(drafts: readonly Drafted[]): Obj {
  const defaults: Obj = {};
  if (drafts.length < 2) return defaults;
  for (const field of FIELD_ORDER) {
    const first = drafts[0]?.body[field];
    if (first !== undefined && drafts.every((d) => same(d.body[field], first))) defaults[field] = first;
  }
  return defaults;
}

export interface GenerateInput {
  campaign: string;
  templates: readonly LiveTemplate[];
  /** Fields a campaign file can give a template. */
  templateFields: readonly string[];
}

export function generateCampaign(input: GenerateInput): string {
  const known = new Set(input.templateFields);
  const taken = new Set<string>();
  const drafts: Drafted[] = input.templates.map((t) => {
    const d = draft(t, known);
    return { ...d, key: keyOf(d, taken) };
  });
  const defaults = shared(drafts);
  const templates: Obj = {};
  for (const d of drafts) {
    for (const field of Object.keys(defaults)) delete d.body[field];
    templates[d.key] = d.body;
  }
  const doc = new Document({
    campaign: input.campaign,
    ...(Object.keys(defaults).length > 0 ? { defaults } : {}),
    templates,
    import: drafts.map((d) => ({ to: `${input.campaign}/${d.key}`, templateCode: d.code })),
  });
  doc.commentBefore = [
    ' Written by `ipass import generate` from live templates (read with `detail`; nothing was changed).',
    ' Review it and open a pull request: the plan shows `<= import` for each template below, and after',
    ' the apply these templates are managed here like any other. The `import:` entries may stay as a record.',
  ].join('\n');
  for (const d of drafts) {
    const node = doc.getIn(['templates', d.key], true);
    if (d.notes.length > 0 && isMap(node))
      (node as YAMLMap).commentBefore = d.notes.map((n) => ` ${n}`).join('\n');
  }
  const importNode = doc.get('import', true);
  if (importNode && typeof importNode === 'object' && 'items' in importNode)
    for (const item of (importNode as { items: unknown[] }).items) if (isMap(item)) item.flow = true;
  return doc.toString({ lineWidth: 0 });
}
