// Test harness for the sandbox: in-memory keys, a sandbox on a free port with a settable clock, a
// signed client for it, and valid request bodies to start from (with a path-based field setter).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { FaultConfig } from '../faults.js';
import { type RunningSandbox, type SandboxRegistration, startSandbox } from '../server.js';
import { SignedClient } from './signed-client.js';

/** The sandbox clock of every test: 2027-01-01 00:00 Hong Kong time. */
export const T0 = Date.parse('2027-01-01T00:00:00+08:00');
export const DAY = 86_400_000;

export interface TestKeys {
  clientPrivateKey: KeyObject;
  clientPublicKey: KeyObject;
  sandboxPrivateKey: KeyObject;
  sandboxPublicKey: KeyObject;
}

let keys: TestKeys | undefined;

export function testKeys(): TestKeys {
  if (!keys) {
    const client = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sandbox = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = {
      clientPrivateKey: client.privateKey,
      clientPublicKey: client.publicKey,
      sandboxPrivateKey: sandbox.privateKey,
      sandboxPublicKey: sandbox.publicKey,
    };
  }
  return keys;
}

export function testRegistration(): SandboxRegistration & TestKeys {
  return { clientId: 'SANDBOX_TEST', merchantId: '2160120041113167', keyVersion: 1, ...testKeys() };
}

export interface TestSandbox {
  sandbox: RunningSandbox;
  client: SignedClient;
  /** Set `clock.now` to move the sandbox's time. */
  clock: { now: number };
  close(): Promise<void>;
}

export async function startTestSandbox(
  options: { dataDir?: string; faults?: FaultConfig } = {},
): Promise<TestSandbox> {
  const identity = testRegistration();
  const clock = { now: T0 };
  const sandbox = await startSandbox({ identity, now: () => clock.now, ...options });
  const client = new SignedClient({
    url: sandbox.url,
    clientId: identity.clientId,
    merchantId: identity.merchantId,
    privateKey: identity.clientPrivateKey,
    sandboxPublicKey: identity.sandboxPublicKey,
  });
  return { sandbox, client, clock, close: () => sandbox.close() };
}

let serial = 0;

/** A createTemplate body that succeeds at T0 (starts in 30 days, runs 90). */
export function templateBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  serial += 1;
  return {
    requestId: `req-${process.pid}-${serial}`,
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeType: 'qrcode',
    codeStandard: 'QRCODE',
    startDate: T0 + 30 * DAY,
    endDate: T0 + 120 * DAY,
    imageUrl: 'https://cdn.example.com/card.png',
    merchantLogo: 'https://cdn.example.com/logo.png',
    button: {
      btnType: 'usage',
      urlType: 'CUSTOM_BTN',
      btnUrl: 'https://shop.example.com/use',
      browserOpen: false,
    },
    localeInfo: {
      zh_HK: { name: '咖啡券', description: '一杯咖啡', shops: '全線分店', brandName: '咖啡店' },
      en_US: {
        name: 'Coffee voucher',
        description: 'One coffee',
        shops: 'All shops',
        brandName: 'Coffee Co',
        customTabs: [{ label: 'Menu', type: 'url', value: 'https://shop.example.com/menu' }],
      },
    },
    currentAmountCent: 1000,
    originalAmountCent: 2000,
    currencyCode: 'HKD',
    stock: 100,
    orderPageLink: 'alipayhk://platformapi/startapp?appId=2160003634300010',
    categories: ['CoffeeAndTea'],
    bizMids: ['2160199994945610'],
    exposure: 'exposed',
    ...overrides,
  };
}

/** A createPass body for a COUPON/GIFT_CARD template. */
export function passBody(
  templateCode: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  serial += 1;
  return {
    userId: '2160220037090534',
    templateCode,
    bizSerialId: `serial-${process.pid}-${serial}`,
    bizSerialType: 'OUT_PLAT_FORM',
    startDate: T0 + 30 * DAY,
    endDate: T0 + 120 * DAY,
    bizCreate: T0,
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeInfo: { $codemsg$: '9123912839123712893', $codevalue$: '9123912839123712893' },
    dataInfo: { en_US: { $shopname$: 'Demo shop' } },
    extInfo: '{"cardType":"DIRECT_CARD"}',
    ...overrides,
  };
}

/** A copy of `body` with the dotted `path` set to `value` (undefined deletes it). */
export function withField(
  body: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  const parts = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) {
    const next = Array.isArray(node) ? node[Number(part)] : node[part];
    node = next as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Create a template (asserting SUCCESS) and return its code. */
export async function createTemplate(
  client: SignedClient,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const reply = await client.call('createTemplate', templateBody(overrides));
  if (reply.result?.resultCode !== 'SUCCESS') throw new Error(`createTemplate failed: ${reply.text}`);
  return reply.json.templateCode as string;
}
