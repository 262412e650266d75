import { describe, expect, it } from 'vitest';
import type { TemplateBody } from '../campaign/types.js';
import { checkPolicies, type PolicyTemplate } from './policies.js';
import { hostAllowed, hostOf, templateUrls } from './policy-hosts.js';

const at = { file: 'campaigns/a.yaml', line: 3, col: 3 };
const body = (over: Record<string, unknown> = {}): TemplateBody =>
  ({
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeType: 'qrcode',
    codeStandard: 'QRCODE',
    startDate: 1,
    endDate: 2,
    stock: 100,
    imageUrl: 'https://cdn.example.com/i.png',
    merchantLogo: 'https://cdn.example.com/l.png',
    ...over,
  }) as TemplateBody;
const template = (over: Record<string, unknown>, before?: TemplateBody): PolicyTemplate => ({
  address: 'c/t',
  body: body(over),
  fields: { stock: { ...at, line: 9 }, currentAmountCent: { ...at, line: 10 } },
  source: at,
  before,
});

describe('allowedUrlHosts matching', () => {
  it('matches exact hosts and sub-domains of a wildcard, never the bare domain or a look-alike', () => {
    const hosts = ['cdn.example.com', '*.example.org'];
    expect(hostAllowed('cdn.example.com', hosts)).toBe(true);
    expect(hostAllowed('img.cdn.example.com', hosts)).toBe(false);
    expect(hostAllowed('a.example.org', hosts)).toBe(true);
    expect(hostAllowed('a.b.example.org', hosts)).toBe(true);
    expect(hostAllowed('example.org', hosts)).toBe(false);
    expect(hostAllowed('evilexample.org', hosts)).toBe(false);
    expect(hostAllowed('example.org.evil.test', hosts)).toBe(false);
    expect(hostAllowed('a.example.org', ['*.EXAMPLE.org'])).toBe(true);
  });

  it('reads the host of an address: lower case, without port, credentials or a trailing dot', () => {
    expect(hostOf('https://CDN.Example.com:8443/x')).toBe('cdn.example.com');
    expect(hostOf('https://user:pw@cdn.example.com./x')).toBe('cdn.example.com');
    expect(hostOf('not a url')).toBeUndefined();
  });

  it('finds images, logos, buttons and every custom tab', () => {
    const urls = templateUrls({
      imageUrl: 'https://a.test/i',
      merchantLogo: 'https://b.test/l',
      button: { btnUrl: 'https://c.test/b' },
      localeInfo: { en_US: { customTabs: [{ value: 'https://d.test/t' }] }, zh_HK: { name: 'x' } },
    });
    expect([...urls.keys()]).toEqual([
      'imageUrl',
      'merchantLogo',
      'button.btnUrl',
      'localeInfo.en_US.customTabs[0].value',
    ]);
  });

  it('checks the logo too, and only addresses that change', () => {
    const policies = { allowedUrlHosts: { hosts: ['cdn.example.com'] as [string], level: 'deny' as const } };
    const logo = template({ merchantLogo: 'https://evil.test/l.png' });
    const found = checkPolicies({ policies, templates: [logo], batches: [], allowed: new Set() });
    expect(found.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'POLICY_DENIED',
        'Policy allowedUrlHosts: `merchantLogo` of c/t points to evil.test, which is not an allowed host (cdn.example.com).',
      ],
    ]);
    const live = template({ merchantLogo: 'https://evil.test/l.png' }, logo.body);
    expect(
      checkPolicies({ policies, templates: [live], batches: [], allowed: new Set() }).diagnostics,
    ).toEqual([]);
  });
});

describe('checkPolicies', () => {
  it('a deny allowed on purpose becomes a warning and an override; warn stays a warning', () => {
    const policies = {
      maxDiscountPercent: { limit: 50, level: 'deny' as const },
      maxStock: { limit: 10, level: 'warn' as const },
    };
    const t = template({ currentAmountCent: 333, originalAmountCent: 1000 });
    const result = checkPolicies({
      policies,
      templates: [t],
      batches: [],
      allowed: new Set(['maxDiscountPercent']),
    });
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.position?.line])).toEqual([
      ['POLICY_OVERRIDDEN', 'warning', 10],
      ['POLICY_WARNING', 'warning', 9],
    ]);
    expect(result.overrides).toEqual([
      {
        rule: 'maxDiscountPercent',
        addresses: ['c/t'],
        message: 'c/t sells at HKD 3.33, 66.7% off its original HKD 10.00; the limit is 50%.',
      },
    ]);
  });

  it('checks a value of an existing template only when it changes', () => {
    const policies = { maxStock: { limit: 10, level: 'deny' as const } };
    const before = body({ stock: 500 });
    const same = checkPolicies({
      policies,
      templates: [template({ stock: 500 }, before)],
      batches: [],
      allowed: new Set(),
    });
    expect(same.diagnostics).toEqual([]);
    const raised = checkPolicies({
      policies,
      templates: [template({ stock: 600 }, before)],
      batches: [],
      allowed: new Set(),
    });
    expect(raised.diagnostics.map((d) => d.code)).toEqual(['POLICY_DENIED']);
  });

  it('counts passes per apply over every batch, at the largest batch', () => {
    const policies = { maxPassesPerApply: { limit: 10, level: 'deny' as const } };
    const batches = [
      { address: 'c/small', toIssue: 4, source: { ...at, line: 20 } },
      { address: 'c/big', toIssue: 7, source: { ...at, line: 30 } },
      { address: 'c/done', toIssue: 0, source: { ...at, line: 40 } },
    ];
    const [d] = checkPolicies({ policies, templates: [], batches, allowed: new Set() }).diagnostics;
    expect(d?.message).toBe(
      'Policy maxPassesPerApply: this apply would issue 11 passes (c/big 7, c/small 4); the limit is 10.',
    );
    expect(d?.position?.line).toBe(30);
  });
});
