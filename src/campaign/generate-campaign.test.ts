// import generate's file read back by the campaign parser: hostile text from the API (YAML syntax,
// look-alike scalars, line breaks, odd keys) comes back exactly, shared values go to `defaults`,
// keys are unique, missing fields and unmanaged ones are comments.
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FIELDS } from '../plan/plan-import.js';
import { canonical } from './canonical.js';
import { generateCampaign, hongKongIso, type LiveTemplate } from './generate-campaign.js';
import { parseCampaignFile } from './parse-campaign-file.js';

const HOSTILE = [
  ' leading and trailing ',
  'a #b',
  '- not a list',
  '? key',
  '!tag',
  '&anchor',
  '*alias',
  '|',
  '> folded',
  '%directive',
  '@at',
  '`tick`',
  '"double"',
  "'single'",
  'yes',
  'off',
  '1e3',
  '0o17',
  '.inf',
  '~',
  'NULL',
  '2027-01-01',
  '12:30',
  'a: b',
  '{x: 1}',
  '[1, 2]',
  '# comment',
  'tab\there',
  'line\nbreak\n\n  indented',
  'crlf\r\nline',
  'back\\slash',
  '::error::not a command',
  '---',
  '...',
];

function live(i: number, over: Record<string, unknown> = {}): LiveTemplate {
  return {
    templateCode: `8202612070013500000000000000000${i}`,
    status: 'valid',
    stock: 50 + i,
    fields: {
      type: 'COUPON',
      product: 'GIFT_CARD',
      codeType: 'qrcode',
      codeStandard: 'QRCODE',
      startDate: 1_767_232_800_123,
      endDate: 1_830_268_799_000,
      imageUrl: 'https://cdn.example.com/i.png',
      merchantLogo: 'https://cdn.example.com/l.png',
      button: { urlType: 'CODE_PAY_BTN', btnType: 'usage' },
      orderPageLink: 'alipayhk://platformapi/startapp?appId=1',
      categories: ['Food'],
      exposure: 'exposed',
      localeInfo: {
        zh_HK: { name: '卡', description: 'd', shops: 's', brandName: 'b' },
        en_US: { name: 'Same Name', description: HOSTILE.join(' | '), shops: 's', brandName: 'b' },
      },
      passExtInfo: Object.fromEntries(HOSTILE.map((v, k) => [`${v} ${k}`, v])),
      ...over,
    },
  };
}

function readBack(text: string) {
  return parseCampaignFile(text, { file: 'campaigns/x.yaml', dir: '/p/campaigns', cwd: '/p' });
}

describe('generateCampaign', () => {
  it('reads back exactly, hostile values included', () => {
    const templates = [
      live(1),
      live(2, { bizMids: ['2160000000000001'] }),
      live(3, { detailLink: 'https://x' }),
    ];
    const text = generateCampaign({ campaign: 'console', templates, templateFields: TEMPLATE_FIELDS });
    const parsed = readBack(text);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.templates.map((t) => t.key)).toEqual(['same-name', 'same-name-2', 'same-name-3']);
    expect(parsed.imports.map((i) => [i.to, i.templateCode])).toEqual(
      templates.map((t, n) => [`console/${parsed.templates[n]?.key}`, t.templateCode]),
    );
    for (const [n, t] of templates.entries()) {
      const { detailLink: _, ...fields } = t.fields;
      const want = canonical({ ...fields, stock: t.stock });
      expect(canonical(parsed.templates[n]?.desired?.body)).toEqual(want);
    }
    expect(text).toMatch(/^defaults:\n {2}startDate: 2026-01-01T10:00:00\.123\+08:00$/m);
    expect(text).toContain('# detailLink is returned by AlipayHK but not managed by ipass');
    expect(text.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
  });

  it('writes statuses, keeps one template whole, and comments what it cannot fill in', () => {
    const { orderPageLink: _, ...fields } = live(4).fields;
    const text = generateCampaign({
      campaign: 'one',
      templates: [{ ...live(4), status: 'expired', fields }],
      templateFields: TEMPLATE_FIELDS,
    });
    expect(text).not.toContain('defaults:');
    expect(text).toContain('# orderPageLink:   # AlipayHK did not return it: fill it in');
    expect(text).toContain('# status: expired at AlipayHK');
    const paused = generateCampaign({
      campaign: 'one',
      templates: [{ ...live(5), status: 'paused' }],
      templateFields: TEMPLATE_FIELDS,
    });
    expect(readBack(paused).templates[0]?.desired?.status).toBe('paused');
    const chinese = live(6, {
      localeInfo: { zh_HK: { name: '咖啡', description: 'd', shops: 's', brandName: 'b' } },
    });
    const named = generateCampaign({
      campaign: 'one',
      templates: [chinese],
      templateFields: TEMPLATE_FIELDS,
    });
    expect(readBack(named).templates[0]?.key).toBe('template-00000006');
  });

  it('writes dates in Hong Kong time, milliseconds only when there are any', () => {
    expect(hongKongIso(Date.parse('2027-06-01T00:00:00+08:00'))).toBe('2027-06-01T00:00:00+08:00');
    expect(hongKongIso(Date.parse('2027-06-01T00:00:00.5+08:00'))).toBe('2027-06-01T00:00:00.500+08:00');
  });
});
