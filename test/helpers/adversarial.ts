// Campaign files and recipients files with one text field set to a chosen text, and the CPU time the
// checks `ipass validate` makes take on them (load, schema, rules, recipients rows), in this process.
// The linear-time property test uses it; `npm run bench` measures the same thing on the built code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCampaigns } from '../../src/campaign/load-campaigns.js';
import { summarizePassBatches } from '../../src/passes/summarize.js';
import { emptyState } from '../../src/state/state-format.js';

export const SIZE = 64 * 1024;

/** `piece` repeated to exactly SIZE characters. */
export function fill(piece: string, size = SIZE): string {
  return piece.repeat(Math.ceil(size / piece.length)).slice(0, size);
}

/** Every text field a campaign or recipients file has, as where the text goes. */
export const FIELDS = [
  'campaign',
  'name',
  'subName',
  'description',
  'shops',
  'brandName',
  'zhName',
  'tabLabel',
  'tabValue',
  'imageUrl',
  'merchantLogo',
  'orderPageLink',
  'btnUrl',
  'startDate',
  'endDate',
  'currencyCode',
  'category',
  'passExtInfo',
  'templateKey',
  'codeMsg',
  'dataInfo',
  'extInfo',
  'templateRef',
  'publishScene',
  'recipientsPath',
  'movedFrom',
  'removed',
  'csvName',
  'csvUserId',
  'csvHeader',
] as const;
export type Field = (typeof FIELDS)[number];

const q = (text: string): string => JSON.stringify(text);

/** The project files with `text` in `field` (everything else valid). */
export function adversarialProject(field: Field, text: string): Record<string, string> {
  const v = (f: Field, normal: string): string => (f === field ? q(text) : normal);
  const campaign = `campaign: ${v('campaign', 'hostile')}
templates:
  ${field === 'templateKey' ? q(text) : 'coffee'}:
    type: COUPON
    product: GIFT_CARD
    codeType: qrcode
    codeStandard: QRCODE
    startDate: ${v('startDate', '2099-06-01T00:00:00+08:00')}
    endDate: ${v('endDate', '2099-08-31T23:59:59+08:00')}
    imageUrl: ${v('imageUrl', 'https://cdn.example.com/i.png')}
    merchantLogo: ${v('merchantLogo', 'https://cdn.example.com/l.png')}
    exposure: exposed
    categories: [${v('category', 'Food')}]
    currencyCode: ${v('currencyCode', 'HKD')}
    orderPageLink: ${v('orderPageLink', 'alipayhk://platformapi/startapp?appId=1')}
    button: { btnType: usage, urlType: CUSTOM_BTN, btnUrl: ${v('btnUrl', 'https://example.com/b')} }
    stock: 100
    passExtInfo: { note: ${v('passExtInfo', 'x')} }
    localeInfo:
      en_US:
        name: ${v('name', 'Coffee')}
        subName: ${v('subName', 'Ten off')}
        description: ${v('description', 'Ten off any coffee')}
        shops: ${v('shops', 'All shops')}
        brandName: ${v('brandName', 'Brand')}
        customTabs:
          - { label: ${v('tabLabel', 'Shops')}, type: url, value: ${v('tabValue', 'https://example.com/s')} }
      zh_HK: { name: ${v('zhName', '咖啡券')} }
passes:
  gift:
    template: ${v('templateRef', 'coffee')}
    recipients: ${v('recipientsPath', 'welcome.csv')}
    publishScene: ${v('publishScene', 'FREE_GIVE')}
    codeInfo: { $codemsg$: ${v('codeMsg', '"{{ name }}"')}, $codevalue$: "{{userId}}" }
    dataInfo: { en_US: { $shopname$: ${v('dataInfo', '"Shop {{name}}"')} } }
    extInfo: { note: ${v('extInfo', 'x')} }
moved:
  - { from: ${v('movedFrom', 'hostile/old')}, to: hostile/coffee }
removed:
  - ${v('removed', 'hostile/gone')}
`;
  const header = field === 'csvHeader' ? `userId,name,${q(text)}` : 'userId,name';
  const row = `${field === 'csvUserId' ? q(text) : '2160220037090534'},${field === 'csvName' ? q(text) : 'Chan'}${field === 'csvHeader' ? ',x' : ''}`;
  return {
    'ipass.config.yaml': 'campaigns: campaigns\n',
    'campaigns/hostile.yaml': campaign,
    'campaigns/welcome.csv': `${header}\n${row}\n2160220037090535,Wong${field === 'csvHeader' ? ',y' : ''}\n`,
  };
}

/** CPU time (ms) of validating the project in this process: the files read, checked and every row read. */
export async function validateCpuMs(files: Record<string, string>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ipass-linear-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const start = process.cpuUsage();
    const loaded = await loadCampaigns({ cwd: dir, rootDir: dir, patterns: ['campaigns'], now: Date.now() });
    await summarizePassBatches({
      batches: loaded.set.passes,
      state: emptyState('dev', '00000000-0000-0000-0000-000000000000'),
      ledgers: undefined,
      environment: 'dev',
    });
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The least of `runs` measurements: the run the machine disturbed least. */
export async function leastCpuMs(files: Record<string, string>, runs = 3): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) least = Math.min(least, await validateCpuMs(files));
  return least;
}
