// The config's `policies:` through the built CLI, rule by rule, against a standalone sandbox: a `deny`
// stops validate, plan and apply (POLICY_DENIED naming the rule, the address and the values, at the
// field's line) and nothing reaches the sandbox; `warn` is POLICY_WARNING and the plan goes on; an
// environment's rule wins over the top-level one; `--allow-policy RULE` overrides on purpose and the
// plan (text and JSON) and the apply say so; a value already live is not checked again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeConfig } from '../helpers/project.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const DAY = 86_400_000;
const hk = (days: number): string =>
  `${new Date(Date.now() + days * DAY + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`;

interface Spec {
  stock?: number;
  current?: number;
  original?: number;
  image?: string;
  btnUrl?: string;
}

function templateYaml(key: string, t: Spec = {}): string {
  return [
    `  ${key}:`,
    `    startDate: ${hk(30)}`,
    `    endDate: ${hk(120)}`,
    `    stock: ${t.stock ?? 100}`,
    `    imageUrl: ${t.image ?? 'https://cdn.example.com/i.png'}`,
    ...(t.current === undefined ? [] : [`    currentAmountCent: ${t.current}`]),
    ...(t.original === undefined ? [] : [`    originalAmountCent: ${t.original}`]),
    ...(t.btnUrl ? [`    button: { btnType: usage, urlType: CUSTOM_BTN, btnUrl: "${t.btnUrl}" }`] : []),
  ].join('\n');
}

const DEFAULTS = `defaults:
  type: COUPON
  product: GIFT_CARD
  codeType: qrcode
  codeStandard: QRCODE
  merchantLogo: https://img.example.com/logo.png
  exposure: exposed
  categories: [Food]
  orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010
  button: { btnType: usage, urlType: CODE_PAY_BTN }
  currencyCode: HKD
  localeInfo:
    en_US: { name: Latte voucher, description: Ten off, shops: All shops, brandName: Brand }
`;

interface Diag {
  severity: string;
  code: string;
  message: string;
  hint: string;
  file: string;
  line: number;
}

describe('policies: business guardrails in the config', () => {
  const dir = tempDir('policies');
  let sandbox: SandboxProcess;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });
  const config = (policies: string, devPolicies = ''): void =>
    writeConfig(dir, sandbox.info, {
      extra: devPolicies ? `    policies:\n${devPolicies}\n${policies}` : policies,
    });
  const campaign = (templates: Record<string, Spec>, extra = ''): void => {
    const body = Object.entries(templates).map(([k, t]) => templateYaml(k, t));
    writeFileSync(
      join(dir, 'campaigns/promo.yaml'),
      `campaign: promo\n${DEFAULTS}templates:\n${body.join('\n')}\n${extra}`,
    );
  };
  const requests = async (): Promise<number> => {
    const stats = await sandbox.get<{ requests: Record<string, number> }>('/__sandbox/stats');
    return Object.values(stats.requests ?? {}).reduce((a, b) => a + (typeof b === 'number' ? b : 0), 0);
  };
  const validate = async (): Promise<{ code: number | null; diagnostics: Diag[] }> => {
    const v = await cli('validate', '--format', 'json');
    return { code: v.code, diagnostics: JSON.parse(v.stdout).diagnostics as Diag[] };
  };
  /** validate, plan and apply all stop on the rule; the sandbox hears nothing. */
  const denied = async (rule: string): Promise<Diag> => {
    const before = await requests();
    const v = await validate();
    expect(v.code).toBe(1);
    const found = v.diagnostics.find((d) => d.code === 'POLICY_DENIED');
    expect(found, JSON.stringify(v.diagnostics)).toMatchObject({
      severity: 'error',
      file: 'campaigns/promo.yaml',
      message: expect.stringContaining(`Policy ${rule}:`),
      hint: expect.stringContaining(`--allow-policy ${rule}`),
    });
    const p = await cli('plan');
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(
      new RegExp(`campaigns/promo\\.yaml:\\d+:\\d+: error POLICY_DENIED: Policy ${rule}:`),
    );
    expect(p.stdout).toMatch(/error, so it cannot be applied/);
    expect(p.stdout).not.toContain('no changes');
    const a = await cli('apply', '--auto-approve');
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('error POLICY_DENIED:');
    expect(await requests()).toBe(before);
    return found as Diag;
  };

  beforeAll(async () => {
    mkdirSync(join(dir, 'campaigns'), { recursive: true });
    sandbox = await startSandboxProcess(join(dir, 'sandbox-data'), dir);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('maxDiscountPercent: deny names the template and both prices', async () => {
    config('policies:\n  maxDiscountPercent: { limit: 50, level: deny }');
    campaign({ latte: { current: 200, original: 4000 } });
    const d = await denied('maxDiscountPercent');
    expect(d.message).toBe(
      'Policy maxDiscountPercent: promo/latte sells at HKD 2.00, 95% off its original HKD 40.00; the limit is 50%.',
    );
    campaign({ latte: { current: 2000, original: 4000 } });
    expect((await validate()).code).toBe(0);
  });

  it('maxStock at warn: a warning, and the plan goes on', async () => {
    config('policies:\n  maxStock: { limit: 1000, level: warn }');
    campaign({ latte: { stock: 100000 } });
    const v = await validate();
    expect(v.code).toBe(0);
    expect(v.diagnostics).toMatchObject([
      {
        severity: 'warning',
        code: 'POLICY_WARNING',
        message: expect.stringContaining('stock 100,000; the limit is 1,000'),
      },
    ]);
    const p = await cli('plan', '--detailed-exitcode');
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('warning POLICY_WARNING: Policy maxStock:');
  });

  it('an environment wins over the top-level rules, rule by rule', async () => {
    // Top level: maxStock warn and minPriceCent deny; environment dev: maxStock deny.
    config(
      'policies:\n  maxStock: { limit: 1000, level: warn }\n  minPriceCent: { limit: 100, level: deny }',
      '      maxStock: { limit: 5000, level: deny }',
    );
    campaign({ latte: { stock: 10000, current: 2800, original: 3800 } });
    const d = await denied('maxStock');
    expect(d.message).toContain('the limit is 5,000');
    campaign({ latte: { stock: 4000, current: 50, original: 3800 } });
    const p = await denied('minPriceCent');
    expect(p.message).toBe(
      'Policy minPriceCent: `currentAmountCent` of promo/latte is 50 cents (HKD 0.50); the lowest allowed is 100 (HKD 1.00).',
    );
  });

  it('maxPriceCent: each amount', async () => {
    config('policies:\n  maxPriceCent: { limit: 100000, level: deny }');
    campaign({ latte: { current: 2800, original: 250000 } });
    const d = await denied('maxPriceCent');
    expect(d.message).toContain('`originalAmountCent` of promo/latte is 250,000 cents (HKD 2,500.00)');
  });

  it('allowedUrlHosts: exact hosts and *.wildcards; images, logos, buttons, tabs', async () => {
    config('policies:\n  allowedUrlHosts: { hosts: [cdn.example.com, "*.example.com"], level: deny }');
    campaign({ latte: { image: 'https://CDN.example.com/i.png', btnUrl: 'https://a.b.example.com/go' } });
    expect((await validate()).code).toBe(0); // case-insensitive; the wildcard covers a.b.example.com
    campaign({ latte: { btnUrl: 'https://example.com.evil.test/go' } });
    const d = await denied('allowedUrlHosts');
    expect(d.message).toBe(
      'Policy allowedUrlHosts: `button.btnUrl` of promo/latte points to example.com.evil.test, which is not an allowed host (cdn.example.com, *.example.com).',
    );
    campaign({ latte: { image: 'https://example.com/i.png' } });
    expect((await denied('allowedUrlHosts')).message).toContain(
      '`imageUrl` of promo/latte points to example.com,',
    );
    writeFileSync(
      join(dir, 'campaigns/promo.yaml'),
      `campaign: promo\n${DEFAULTS}templates:\n${templateYaml('latte')}\n    localeInfo:\n      en_US:\n        customTabs: [{ label: Menu, type: url, value: "https://menu.other.test/" }]\n`,
    );
    expect((await denied('allowedUrlHosts')).message).toContain(
      '`localeInfo.en_US.customTabs[0].value` of promo/latte',
    );
  });

  it('maxPassesPerApply: the passes one apply issues, over all batches', async () => {
    config('policies:\n  maxPassesPerApply: { limit: 3, level: deny }');
    const users = (from: number, n: number) =>
      `userId\n${Array.from({ length: n }, (_, i) => `21602200370905${String(from + i).padStart(2, '0')}`).join('\n')}\n`;
    writeFileSync(join(dir, 'campaigns/a.csv'), users(10, 3));
    writeFileSync(join(dir, 'campaigns/b.csv'), users(20, 2));
    const batch = (key: string, csv: string) =>
      `  ${key}:\n    template: latte\n    recipients: ${csv}\n    codeInfo: { $codemsg$: "L-{{userId}}", $codevalue$: "L-{{userId}}" }\n`;
    campaign({ latte: {} }, `passes:\n${batch('gift-a', 'a.csv')}${batch('gift-b', 'b.csv')}`);
    const d = await denied('maxPassesPerApply');
    expect(d.message).toBe(
      'Policy maxPassesPerApply: this apply would issue 5 passes (promo/gift-a 3, promo/gift-b 2); the limit is 3.',
    );
    writeFileSync(join(dir, 'campaigns/b.csv'), 'userId\n');
    expect((await validate()).code).toBe(0);
  });

  it('--allow-policy overrides on purpose; plan, saved plan and apply say so; live values are not checked again', async () => {
    config('policies:\n  maxDiscountPercent: { limit: 50, level: deny }');
    campaign({ deal: { current: 100, original: 1000 } });
    const plain = await cli('plan');
    expect(plain.code).toBe(1);

    const p = await cli('plan', '--allow-policy', 'maxDiscountPercent');
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain('warning POLICY_OVERRIDDEN: Policy maxDiscountPercent overridden on purpose');
    expect(p.stdout).toContain('Policy overridden on purpose (--allow-policy): maxDiscountPercent.');
    const json = await cli('plan', '--allow-policy', 'maxDiscountPercent', '--format', 'json');
    expect(JSON.parse(json.stdout).policyOverrides).toEqual([
      {
        rule: 'maxDiscountPercent',
        addresses: ['promo/deal'],
        message: 'promo/deal sells at HKD 1.00, 90% off its original HKD 10.00; the limit is 50%.',
      },
    ]);

    // A saved plan with an override is applied only with the same --allow-policy.
    const saved = await cli('plan', '--allow-policy', 'maxDiscountPercent', '--out', 'plan.json');
    expect(saved.code, saved.stderr).toBe(0);
    const before = await requests();
    const refused = await cli('apply', 'plan.json');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error POLICY_DENIED:');
    expect(await requests()).toBe(before);
    const a = await cli('apply', 'plan.json', '--allow-policy', 'maxDiscountPercent');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain(
      'Applied with policy rules overridden on purpose (--allow-policy): maxDiscountPercent (promo/deal).',
    );

    // Live now: a change of another field is not stopped by the discount applied on purpose.
    campaign({ deal: { current: 100, original: 1000, stock: 150 } });
    const later = await cli('plan', '--detailed-exitcode');
    expect(later.code, later.stderr).toBe(2);
    expect(later.stderr).not.toContain('POLICY');
    // A new price is checked again.
    campaign({ deal: { current: 50, original: 1000 } });
    expect((await cli('plan')).code).toBe(1);

    const typo = await cli('apply', '--allow-policy', 'maxDiscount', '--auto-approve');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      'error BAD_FLAG: --allow-policy takes a policy rule name, not "maxDiscount".',
    );
  });

  it('a policy that is not written as the schema says is a config error at its line', async () => {
    config('policies:\n  maxStock: { limit: 100, level: block }');
    campaign({ latte: {} });
    const v = await cli('validate');
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/ipass\.config\.yaml:\d+:\d+: error CONFIG_/);
  });
});
