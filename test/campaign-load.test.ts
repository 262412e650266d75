// The loader end to end on files in a temp folder: what the planner receives (bodies, defaults,
// positions, pass batches, renames, inputHash) and how files are found.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCampaigns } from '../src/campaign/load-campaigns.js';

const NOW = Date.parse('2026-11-22T12:00:00+08:00');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipass-load-'));
  mkdirSync(join(dir, 'campaigns/lists'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, text: string): void => writeFileSync(join(dir, path), text);
const load = (extra: Partial<Parameters<typeof loadCampaigns>[0]> = {}) =>
  loadCampaigns({ cwd: dir, rootDir: dir, patterns: ['campaigns'], now: NOW, ...extra });

const TEMPLATE = `    codeType: qrcode
    codeStandard: QRCODE
    imageUrl: https://cdn.example.com/a.png
    stock: 100
    localeInfo:
      en_US: { name: Coffee, description: Ten off }
`;

const SUMMER = `campaign: summer
defaults:
  type: COUPON
  product: GIFT_CARD
  startDate: 2027-06-01T00:00:00+08:00
  endDate: 1819727999000
  merchantLogo: https://cdn.example.com/logo.png
  orderPageLink: alipayhk://platformapi/startapp?appId=1
  exposure: exposed
  categories: [Food, Others]
  button: { btnType: usage, urlType: CODE_PAY_BTN }
  localeInfo:
    en_US: { shops: All shops, brandName: Brand }
templates:
  coffee:
${TEMPLATE}    categories: [CoffeeAndTea]
    protect: true
  tea:
${TEMPLATE}    status: paused
    button: { urlType: CUSTOM_BTN, btnUrl: https://example.com/tea }
passes:
  gift:
    template: coffee
    recipients: lists/gift.csv
    codeInfo: { $codevalue$: "G-{{userId}}" }
    dataInfo: { en_US: { $name$: "{{name}}" } }
  partner:
    template: summer/tea
    recipients: lists/gift.csv
    startDate: 2027-07-01T00:00:00+08:00
    codeInfo: { $codevalue$: "P-{{bizSerialId}}" }
  external:
    templateCode: "82022031100135000000000000626075"
    type: CARD
    product: MEMBER_CARD
    recipients: lists/gift.csv
    codeInfo: { $codevalue$: "E-{{openId}}" }
moved:
  - { from: summer/old-coffee, to: summer/coffee }
`;

describe('loadCampaigns', () => {
  beforeEach(() => {
    write('campaigns/summer.yaml', SUMMER);
    write('campaigns/lists/gift.csv', 'userId,openId,name\n2160220037090534,,Chan\n');
  });

  it('merges defaults under each template and normalizes the createTemplate body', async () => {
    const { set, diagnostics } = await load();
    expect(diagnostics).toEqual([]);
    const [coffee, tea] = set.templates;
    expect(coffee?.address).toBe('summer/coffee');
    expect(coffee?.protect).toBe(true);
    expect(coffee?.status).toBe('valid');
    expect(coffee?.body.categories).toEqual(['CoffeeAndTea']);
    expect(coffee?.body.startDate).toBe(Date.parse('2027-06-01T00:00:00+08:00'));
    expect(coffee?.body.endDate).toBe(1819727999000);
    expect(coffee?.body.localeInfo).toEqual({
      en_US: { brandName: 'Brand', description: 'Ten off', name: 'Coffee', shops: 'All shops' },
    });
    expect(coffee?.body).not.toHaveProperty('protect');
    expect(coffee?.body).not.toHaveProperty('currencyCode');
    expect(Object.keys(coffee?.body ?? {})).toEqual(Object.keys(coffee?.body ?? {}).sort());
    expect(tea?.status).toBe('paused');
    expect(tea?.protect).toBe(false);
    expect(tea?.body).not.toHaveProperty('status');
    expect(tea?.body.button).toEqual({
      btnType: 'usage',
      btnUrl: 'https://example.com/tea',
      urlType: 'CUSTOM_BTN',
    });
    expect(tea?.body.categories).toEqual(['Food', 'Others']);
  });

  it('records where each field is written: in the template, or in defaults', async () => {
    const { set } = await load();
    const coffee = set.templates[0];
    expect(coffee?.source).toEqual({ file: join('campaigns', 'summer.yaml'), line: 15, col: 3 });
    expect(coffee?.fields.stock?.line).toBe(19);
    expect(coffee?.fields.startDate?.line).toBe(5);
    expect(coffee?.fields.protect?.line).toBe(23);
  });

  it('serializes equal specs identically whatever the key order', async () => {
    const first = await load();
    write(
      'campaigns/summer.yaml',
      SUMMER.replace(
        '    codeType: qrcode\n    codeStandard: QRCODE\n',
        '    codeStandard: QRCODE\n    codeType: qrcode\n',
      ),
    );
    const second = await load();
    expect(JSON.stringify(second.set.templates.map((t) => t.body))).toBe(
      JSON.stringify(first.set.templates.map((t) => t.body)),
    );
  });

  it('resolves pass batches: template by key, by address or by templateCode, recipients, inherited type', async () => {
    const { set } = await load();
    const byKey = Object.fromEntries(set.passes.map((p) => [p.key, p]));
    expect(byKey.gift?.template).toEqual({ address: 'summer/coffee' });
    expect(byKey.gift?.type).toBe('COUPON');
    expect(byKey.gift?.product).toBe('GIFT_CARD');
    expect(byKey.gift?.recipients).toBe(join(dir, 'campaigns/lists/gift.csv'));
    expect(byKey.gift?.recipientsDisplay).toBe(join('campaigns', 'lists', 'gift.csv'));
    expect(byKey.gift?.dataInfo).toEqual({ en_US: { $name$: '{{name}}' } });
    expect(byKey.gift).not.toHaveProperty('startDate');
    expect(byKey.partner?.template).toEqual({ address: 'summer/tea' });
    expect(byKey.partner?.startDate).toBe(Date.parse('2027-07-01T00:00:00+08:00'));
    expect(byKey.external?.template).toEqual({ templateCode: '82022031100135000000000000626075' });
    expect(byKey.external?.type).toBe('CARD');
    expect(set.moved).toEqual([
      { from: 'summer/old-coffee', to: 'summer/coffee', source: expect.any(Object) },
    ]);
  });

  it('hashes the inputs: stable, and changed by a campaign or recipients edit', async () => {
    const a = await load();
    const b = await load();
    expect(b.set.inputHash).toBe(a.set.inputHash);
    write('campaigns/lists/gift.csv', 'userId,openId,name\n2160220037090534,,Chan\n2160220037090535,,Lee\n');
    const c = await load();
    expect(c.set.inputHash).not.toBe(a.set.inputHash);
    write('campaigns/summer.yaml', `${SUMMER}# a comment\n`);
    const d = await load();
    expect(d.set.inputHash).not.toBe(c.set.inputHash);
  });

  it('still returns what loaded when another file has errors', async () => {
    write('campaigns/broken.yaml', 'templates:\n  x: { stock: -1 }\n');
    const { set, diagnostics, counts } = await load();
    expect(
      diagnostics.some(
        (d) => d.severity === 'error' && d.position?.file === join('campaigns', 'broken.yaml'),
      ),
    ).toBe(true);
    expect(set.templates.map((t) => t.address)).toEqual(['summer/coffee', 'summer/tea']);
    expect(counts).toEqual({ files: 2, templates: 3, passes: 3 });
  });
});

describe('finding campaign files', () => {
  it('takes folders (all *.yaml and *.yml inside) and globs relative to the config folder', async () => {
    write('campaigns/a.yaml', '');
    write('campaigns/lists/b.yml', '');
    write('campaigns/lists/c.txt', 'not yaml');
    expect((await load()).set.files).toEqual([
      join('campaigns', 'a.yaml'),
      join('campaigns', 'lists', 'b.yml'),
    ]);
    expect((await load({ patterns: ['campaigns/*.yaml'] })).set.files).toEqual([join('campaigns', 'a.yaml')]);
  });

  it('uses explicit paths (relative to the working directory) instead of the config patterns', async () => {
    write('campaigns/a.yaml', '');
    write('other.yaml', '');
    const { set, diagnostics } = await load({ paths: ['other.yaml', 'missing.yaml'] });
    expect(set.files).toEqual(['other.yaml']);
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['error', 'PATH_NOT_FOUND'],
      ['warning', 'CAMPAIGN_EMPTY'],
    ]);
  });

  it('reports a configured campaigns folder that does not exist, and warns when nothing is found', async () => {
    expect((await load({ patterns: ['nowhere'] })).diagnostics.map((d) => d.code)).toEqual([
      'CAMPAIGNS_NOT_FOUND',
    ]);
    expect(
      (await load({ patterns: ['campaigns/*.yml'] })).diagnostics.map((d) => [d.severity, d.code]),
    ).toEqual([['warning', 'NO_CAMPAIGN_FILES']]);
  });
});
