// A throw-away ipass project on disk: a config whose environment "dev" points at a standalone
// sandbox, and campaign files written from small template descriptions.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxInfo } from './sandbox-process.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ipass-${prefix}-`));
}

export interface EnvironmentOptions {
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Default: unbounded (a remote environment's own default, 20/s, would slow the tests down). */
  requestsPerSecond?: number;
  /** More config lines for the environment. */
  extra?: string;
}

/**
 * The config lines naming the sandbox's keys. ipass reads no file outside the project, so the keys
 * are copied into <dir>/keys/ and named relative to the config.
 */
export function sandboxKeyLines(dir: string, sandbox: SandboxInfo): string[] {
  mkdirSync(join(dir, 'keys'), { recursive: true });
  copyFileSync(sandbox.privateKeyPath, join(dir, 'keys', 'sandbox-client-private.pem'));
  copyFileSync(sandbox.sandboxPublicKeyPath, join(dir, 'keys', 'sandbox-public.pem'));
  return [
    '    privateKey: file:keys/sandbox-client-private.pem',
    '    alipayPublicKey: file:keys/sandbox-public.pem',
  ];
}

/** A config whose environment "dev" is the given standalone sandbox. */
export function writeConfig(dir: string, sandbox: SandboxInfo, options: EnvironmentOptions = {}): void {
  writeFileSync(
    join(dir, 'ipass.config.yaml'),
    [
      'campaigns: campaigns',
      'defaultEnvironment: dev',
      'environments:',
      '  dev:',
      `    endpoint: ${sandbox.url}`,
      `    clientId: ${sandbox.clientId}`,
      `    merchantId: "${sandbox.merchantId}"`,
      ...sandboxKeyLines(dir, sandbox),
      `    concurrency: ${options.concurrency ?? 16}`,
      `    requestsPerSecond: ${options.requestsPerSecond ?? 100000}`,
      `    timeoutMs: ${options.timeoutMs ?? 2000}`,
      `    maxRetries: ${options.maxRetries ?? 2}`,
      options.extra ?? '',
    ].join('\n'),
  );
}

export interface TemplateSpec {
  name?: string;
  stock?: number;
  status?: 'valid' | 'paused' | 'closed';
  codeType?: string;
  codeStandard?: string;
  protect?: boolean;
  start?: string;
}

/** One valid template, YAML, indented under `templates:`. */
export function templateYaml(key: string, t: TemplateSpec = {}): string {
  const lines = [
    `  ${key}:`,
    '    type: COUPON',
    '    product: GIFT_CARD',
    `    codeType: ${t.codeType ?? 'qrcode'}`,
    `    codeStandard: ${t.codeStandard ?? 'QRCODE'}`,
    `    startDate: ${t.start ?? '2027-06-01T00:00:00+08:00'}`,
    '    endDate: 2027-08-31T23:59:59+08:00',
    '    imageUrl: https://cdn.example.com/i.png',
    '    merchantLogo: https://cdn.example.com/logo.png',
    '    exposure: exposed',
    '    categories: [Food]',
    '    orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010',
    '    button: { btnType: usage, urlType: CODE_PAY_BTN }',
    `    stock: ${t.stock ?? 100}`,
    '    localeInfo:',
    `      en_US: { name: "${t.name ?? `Voucher ${key}`}", description: Test voucher, shops: All shops, brandName: Test }`,
  ];
  if (t.status) lines.push(`    status: ${t.status}`);
  if (t.protect !== undefined) lines.push(`    protect: ${t.protect}`);
  return lines.join('\n');
}

export function writeCampaign(
  dir: string,
  campaign: string,
  templates: Record<string, TemplateSpec>,
  extra = '',
): void {
  mkdirSync(join(dir, 'campaigns'), { recursive: true });
  const body = Object.entries(templates).map(([key, t]) => templateYaml(key, t));
  writeFileSync(
    join(dir, 'campaigns', `${campaign}.yaml`),
    [`campaign: ${campaign}`, 'templates:', ...body, extra].join('\n'),
  );
}
