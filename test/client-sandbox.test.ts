// The real IpassClient against the real sandbox over HTTP on 127.0.0.1: a verified success for every
// endpoint, one row per result code the sandbox can answer (kind, code, doubt, attempts), and scripted
// faults: retried only where safe, and a commit-then-drop on createPass never issues a second pass.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResult, ClientEvent, FailureKind } from '../src/api/api-result.js';
import { IpassClient, type IpassClientOptions } from '../src/api/client.js';
import type { EndpointName, EndpointTypes } from '../src/api/endpoints.js';
import type { FaultKind, SandboxStats } from '../src/sandbox/index.js';
import { RESULT_CODES, type ResultCode } from '../src/sandbox/result-codes.js';
import {
  createTemplate,
  DAY,
  passBody,
  startTestSandbox,
  T0,
  type TestSandbox,
  templateBody,
  testRegistration,
  withField,
} from '../src/sandbox/testing/harness.js';

const MAX_RETRIES = 2;
const id = testRegistration();
type Body = Record<string, unknown>;
type AnyResult = ApiResult<unknown>;

// ---------------------------------------------------------------------------------------------------
// What went over the wire, from undici's diagnostics channels: request headers and body per attempt,
// and the response headers (absent when the attempt got no answer).

interface Exchange {
  headers: Record<string, string>;
  body: string;
  response?: { status: number; headers: Record<string, string> };
}

interface UndiciRequest {
  headers: string[];
  body: unknown;
}

const wire: Exchange[] = [];
const byRequest = new WeakMap<object, Exchange>();

function pairs(flat: readonly (string | Buffer)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i]).toLowerCase()] = String(flat[i + 1]);
  return out;
}

const onCreate = (message: unknown): void => {
  const { request } = message as { request: UndiciRequest };
  const exchange: Exchange = { headers: pairs(request.headers), body: String(request.body ?? '') };
  byRequest.set(request, exchange);
  wire.push(exchange);
};
const onHeaders = (message: unknown): void => {
  const { request, response } = message as {
    request: UndiciRequest;
    response: { statusCode: number; headers: Buffer[] };
  };
  const exchange = byRequest.get(request);
  if (exchange) exchange.response = { status: response.statusCode, headers: pairs(response.headers) };
};

beforeAll(() => {
  subscribe('undici:request:create', onCreate);
  subscribe('undici:request:headers', onHeaders);
});
afterAll(() => {
  unsubscribe('undici:request:create', onCreate);
  unsubscribe('undici:request:headers', onHeaders);
});

// One clock for every client of this file, one second further at each read: every attempt has its
// own Request-Time, so the exchanges of one call are found by the times its attempt events name. It
// starts at the sandbox's time: a signed answer far from when its request was sent is not trusted.
let tick = 0;
const clientClock = (): Date => new Date(T0 + 1000 * tick++);
let budgets = 0;
const budgetId = (): string => `budget-${process.pid}-${++budgets}`;

// ---------------------------------------------------------------------------------------------------
// A scene: one sandbox, clients made for it (recording their events), and setup helpers that use
// the harness's signed client so that only the call under test goes through IpassClient.

interface Scene {
  t: TestSandbox;
  events: ClientEvent[];
  client(over?: Partial<IpassClientOptions>): IpassClient;
  /** A dispatcher that rewrites every request before it is sent (a broken proxy or transport). */
  tampered(change: (o: Dispatcher.DispatchOptions) => Dispatcher.DispatchOptions): Dispatcher;
  template(over?: Body): Promise<string>;
  pass(templateCode: string, over?: Body): Promise<{ passId: string; body: Body }>;
  /** The exchanges of the calls whose attempt events are in `events`. */
  exchanges(): Exchange[];
  stats(): Promise<SandboxStats>;
  close(): Promise<void>;
}

function send<E extends EndpointName>(client: IpassClient, endpoint: E, body: Body): Promise<AnyResult> {
  return client.call(endpoint, body as EndpointTypes[E]['request']);
}

function scene(t: TestSandbox): Scene {
  const events: ClientEvent[] = [];
  const owned: { close(): Promise<void> }[] = [];
  return {
    t,
    events,
    client(over = {}) {
      const client = new IpassClient({
        baseUrl: t.sandbox.url,
        clientId: id.clientId,
        merchantId: id.merchantId,
        privateKey: id.clientPrivateKey,
        keyVersion: id.keyVersion,
        alipayPublicKey: id.sandboxPublicKey,
        timeoutMs: 5000,
        maxRetries: MAX_RETRIES,
        concurrency: 1,
        requestsPerSecond: Number.POSITIVE_INFINITY,
        retryBaseMs: 1,
        retryMaxMs: 1,
        sleep: async () => {},
        now: clientClock,
        onEvent: (event) => events.push(event),
        ...over,
      });
      owned.push(client);
      return client;
    },
    tampered(change) {
      const agent = new Agent();
      owned.push(agent);
      return agent.compose((dispatch) => (options, handler) => dispatch(change(options), handler));
    },
    template: (over = {}) => createTemplate(t.client, over),
    async pass(templateCode, over = {}) {
      const body = passBody(templateCode, over);
      const reply = await t.client.call('createPass', body);
      if (reply.result?.resultCode !== 'SUCCESS') throw new Error(`createPass failed: ${reply.text}`);
      return { passId: reply.json.passId as string, body };
    },
    exchanges() {
      const times = new Set(events.flatMap((e) => (e.type === 'attempt' ? [e.requestTime] : [])));
      return wire.filter((x) => times.has(x.headers['request-time'] ?? ''));
    },
    stats: () => t.client.inspect<SandboxStats>('stats'),
    async close() {
      await Promise.all(owned.map((o) => o.close()));
      await t.close();
    },
  };
}

const attemptsIn = (events: readonly ClientEvent[]): number =>
  events.filter((e) => e.type === 'attempt').length;

// ---------------------------------------------------------------------------------------------------

describe('every endpoint succeeds through the client, with response verification on', () => {
  let s: Scene;
  beforeAll(async () => {
    s = scene(await startTestSandbox());
  });
  afterAll(() => s.close());
  beforeEach(() => {
    s.events.length = 0;
  });

  interface SuccessRow {
    request(s: Scene): Promise<Body>;
    /** Checks what the client returned against the request and the sandbox's store. */
    check(data: Record<string, unknown>, request: Body, s: Scene): void;
  }

  const SUCCESS: Record<EndpointName, SuccessRow> = {
    createTemplate: {
      request: async () => templateBody(),
      check(data, request, s) {
        expect(data).toEqual({ templateCode: expect.stringMatching(/^8\d{8}00135\d{18}$/), status: 'valid' });
        const stored = s.t.sandbox.store.template(data.templateCode as string);
        expect(stored).toMatchObject({ requestId: request.requestId, stock: 100, status: 'valid' });
      },
    },
    updateTemplate: {
      async request(s) {
        const templateCode = await s.template();
        return withField({ ...templateBody(), templateCode }, 'localeInfo.en_US.name', 'Tea voucher');
      },
      check(data, request, s) {
        expect(data).toEqual({ templateCode: request.templateCode, status: 'valid' });
        const stored = s.t.sandbox.store.template(request.templateCode as string);
        expect(stored?.content.localeInfo).toEqual(request.localeInfo);
      },
    },
    switchStatus: {
      request: async (s) => ({ templateCode: await s.template(), status: 'paused' }),
      check(data, request, s) {
        expect(data).toEqual({ status: 'paused' });
        expect(s.t.sandbox.store.template(request.templateCode as string)?.status).toBe('paused');
      },
    },
    detail: {
      async request(s) {
        const templateCode = await s.template({ stock: 40 });
        await s.pass(templateCode);
        return { templateCode };
      },
      check(data, request) {
        const sent = templateBody();
        expect(data).toMatchObject({
          templateCode: request.templateCode,
          status: 'valid',
          type: 'COUPON',
          product: 'GIFT_CARD',
          codeType: 'qrcode',
          codeStandard: 'QRCODE',
          startDate: sent.startDate,
          endDate: sent.endDate,
          localeInfo: sent.localeInfo,
          button: sent.button,
          categories: sent.categories,
          stock: 40,
          availableStock: 39,
        });
        expect(data).not.toHaveProperty('result');
      },
    },
    updateBudget: {
      request: async (s) => ({
        requestId: budgetId(),
        templateCode: await s.template(),
        updateType: 'APPEND_BUDGET',
        number: 5,
      }),
      check(data, request, s) {
        expect(data).toEqual({});
        expect(s.t.sandbox.store.template(request.templateCode as string)?.stock).toBe(105);
      },
    },
    createPass: {
      request: async (s) => passBody(await s.template()),
      check(data, request, s) {
        expect(data).toEqual({ passId: expect.stringMatching(/^\d{8}19027\d{18}$/) });
        const stored = s.t.sandbox.store.pass(request.templateCode as string, request.bizSerialId as string);
        expect(stored).toMatchObject({ passId: data.passId, status: 'active', userId: request.userId });
      },
    },
    updatePass: {
      async request(s) {
        const templateCode = await s.template();
        const { passId, body } = await s.pass(templateCode);
        return { userId: body.userId, templateCode, passId, status: 'USED', bizDate: T0 };
      },
      check(data, request, s) {
        expect(data).toEqual({});
        const stored = s.t.sandbox.store.passes(request.templateCode as string);
        expect(stored.map((p) => [p.passId, p.status])).toEqual([[request.passId, 'used']]);
      },
    },
  };

  it.each(Object.entries(SUCCESS))('%s', async (endpoint, row) => {
    const request = await row.request(s);
    const result = await send(s.client(), endpoint as EndpointName, request);
    if (!result.ok) expect.fail(`${endpoint}: ${JSON.stringify(result.failure)}`);
    expect(result.attempts).toBe(1);
    expect(result.result).toMatchObject({ resultCode: 'SUCCESS', resultStatus: 'S' });
    expect(result.tracerId).toMatch(/^[0-9a-f]{12}\d{12}$/);
    expect(result.data).not.toHaveProperty('resultInfo');
    row.check(result.data as Record<string, unknown>, request, s);
    const [exchange, ...more] = s.exchanges();
    expect(more).toEqual([]);
    expect(exchange?.response?.headers.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=/);
  });

  it('a response that does not verify with the configured key is never a success', async () => {
    const client = s.client({ alipayPublicKey: id.clientPublicKey });
    const result = await send(client, 'createTemplate', templateBody());
    expect(result).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'verification', code: 'RESPONSE_SIGNATURE_INVALID', inDoubt: true },
    });
  });
});

// ---------------------------------------------------------------------------------------------------

/** One result code: the request that provokes it (sent through a client of the scene) and its kind. */
interface CodeRow {
  kind: FailureKind;
  send(s: Scene): Promise<AnyResult>;
  /** The sandbox answers this code without a signature. */
  unsigned?: true;
}

/** Codes in the sandbox's list that no request can provoke, and why. */
const NEVER_ANSWERED: Partial<Record<ResultCode, string>> = {
  PROCESS_FAIL: 'listed for completeness; no sandbox rule answers it',
};

const business = (run: CodeRow['send']): CodeRow => ({ kind: 'business', send: run });
/** A createTemplate body with one field changed. */
const badTemplate = (path: string, value: unknown): CodeRow =>
  business((s) => send(s.client(), 'createTemplate', withField(templateBody(), path, value)));
/** A detail of an existing template by a client built with `over`. */
const detailBy = (kind: FailureKind, over: Partial<IpassClientOptions>): CodeRow => ({
  kind,
  send: async (s) => send(s.client(over), 'detail', { templateCode: await s.template() }),
});
/** A createTemplate through a transport that rewrites the request. */
const tamperedCreate = (change: (o: Dispatcher.DispatchOptions) => Dispatcher.DispatchOptions): CodeRow => ({
  kind: 'client-bug',
  send: (s) => send(s.client({ dispatcher: s.tampered(change) }), 'createTemplate', templateBody()),
});
const passWith = (over: Body): CodeRow =>
  business(async (s) => send(s.client(), 'createPass', passBody(await s.template(), over)));
/** updatePass USED on a pass issued (and first changed by `first`) by the harness. */
const usePass = (first?: 'USED' | 'CLOSED', user?: string): CodeRow =>
  business(async (s) => {
    const { passId, body } = await s.pass(await s.template());
    if (first) await s.t.client.call('updatePass', { userId: body.userId, passId, status: first });
    return send(s.client(), 'updatePass', { userId: user ?? body.userId, passId, status: 'USED' });
  });

const CODE_ROWS: Record<Exclude<ResultCode, 'SUCCESS' | 'PROCESS_FAIL'>, CodeRow> = {
  PARAM_ILLEGAL: badTemplate('stock', 0),
  UNKNOWN_EXCEPTION: {
    kind: 'unknown',
    async send(s) {
      const templateCode = await s.template();
      s.t.sandbox.setFaults({ script: [{ endpoint: 'detail', fault: 'unknown', times: MAX_RETRIES + 1 }] });
      return send(s.client(), 'detail', { templateCode });
    },
  },
  SYSTEM_ERROR: {
    kind: 'unknown',
    send: (s) => withFullDisk(s.t, () => send(s.client(), 'createTemplate', templateBody())),
  },
  // gateway
  INVALID_SIGNATURE: { ...detailBy('credentials', { privateKey: id.sandboxPrivateKey }), unsigned: true },
  INVALID_CLIENT: detailBy('credentials', { clientId: 'SANDBOX_NOT_REGISTERED' }),
  KEY_NOT_FOUND: detailBy('credentials', { keyVersion: 2 }),
  ACCESS_DENIED: detailBy('credentials', { merchantId: '2160999999999999' }),
  INVALID_API: {
    kind: 'client-bug',
    send: (s) => send(s.client({ baseUrl: `${s.t.sandbox.url}/gateway` }), 'createTemplate', templateBody()),
  },
  METHOD_NOT_SUPPORTED: tamperedCreate((o) => ({ ...o, method: 'PUT' })),
  MEDIA_TYPE_NOT_ACCEPTABLE: tamperedCreate((o) => ({
    ...o,
    headers: { ...(o.headers as Record<string, string>), 'Content-Type': 'text/plain' },
  })),
  // templates
  PASS_TEMPLATE_BTN_URL_ILLEGAL: badTemplate('button.btnUrl', 'not a url'),
  PASS_TEMPLATE_IMAGE_URL_ILLEGAL: badTemplate('imageUrl', 'ftp://cdn.example.com/a.png'),
  PASS_TEMPLATE_NAME_ILLEGAL: badTemplate('localeInfo.en_US.name', 'n'.repeat(51)),
  PASS_TEMPLATE_DESCRIPTION_ILLEGAL: badTemplate('localeInfo.en_US.description', ' '),
  PASS_TEMPLATE_BRAND_NAME_ILLEGAL: badTemplate('localeInfo.en_US.brandName', 'b'.repeat(65)),
  PASS_TEMPLATE_SHOP_ILLEGAL: badTemplate('localeInfo.en_US.shops', 's'.repeat(801)),
  PASS_TEMPLATE_TAG_LABEL_ILLEGAL: badTemplate('localeInfo.en_US.customTabs.0.label', 'l'.repeat(41)),
  PASS_TEMPLATE_TAG_VALUE_ILLEGAL: badTemplate('localeInfo.en_US.customTabs.0.value', 'menu.html'),
  PASS_TEMPLATE_START_TIME_LESS_CURRENT: badTemplate('startDate', T0 - DAY),
  PASS_TEMPLATE_START_TIME_EXCEED: business((s) =>
    send(s.client(), 'createTemplate', templateBody({ startDate: T0 + 731 * DAY, endDate: T0 + 800 * DAY })),
  ),
  PASS_TEMPLATE_TIME_INTERVAL_ILLEGAL: badTemplate('endDate', T0 + 30 * DAY),
  PASS_TEMPLATE_END_TIME_EXCEED: badTemplate('endDate', T0 + (30 + 1826) * DAY),
  PASS_TEMPLATE_IMAGE_INVALID: badTemplate('merchantLogo', 'https://cdn.example.com/__sensitive__.png'),
  PASS_TEMPLATE_CUSTOMTAB_URL_INVALID: badTemplate(
    'localeInfo.en_US.customTabs.0.value',
    'https://shop.example.com/__sensitive__',
  ),
  PASS_TEMPLATE_BTN_URL_INVALID: badTemplate('button.btnUrl', 'https://shop.example.com/__sensitive__'),
  PASS_TEMPLATE_CONTENT_INVALID: badTemplate('localeInfo.zh_HK.description', '__sensitive__'),
  PASS_TEMPLATE_HAS_NOT_EXIT: business((s) =>
    send(s.client(), 'detail', { templateCode: '82027010100135999999999999999999' }),
  ),
  PASS_TEMPLATE_STATUS_ILLEGAL: business(async (s) =>
    send(s.client(), 'switchStatus', { templateCode: await s.template(), status: 'expired' }),
  ),
  STATE_MACHINE_ILLEGAL: business(async (s) =>
    send(s.client(), 'switchStatus', { templateCode: await s.template(), status: 'valid' }),
  ),
  PASS_TEMPLATE_STOCK_NOT_ENOUGH: business(async (s) => {
    const templateCode = await s.template({ stock: 1 });
    await s.pass(templateCode);
    return send(s.client(), 'createPass', passBody(templateCode));
  }),
  // passes
  USER_NOT_EXIST: passWith({ userId: '2999000000000001' }),
  USER_NOT_EXSITS: usePass(undefined, '2999000000000001'),
  PASS_HAS_EXIST: business(async (s) => {
    const { body } = await s.pass(await s.template());
    return send(s.client(), 'createPass', body);
  }),
  PASS_TYPE_NOT_MATCH: passWith({ type: 'CARD' }),
  PASS_PRODUCT_TYPE_NOT_MATCH: passWith({ product: 'MEMBER_CARD' }),
  PASS_HAS_NOT_EXIST: business((s) =>
    send(s.client(), 'updatePass', {
      userId: '2160220037090534',
      passId: '2027010119027999999999999999999',
      status: 'USED',
    }),
  ),
  PASS_USED_OCCUPIED: usePass('USED'),
  PASS_UPDATE_FAIL: usePass('CLOSED'),
};

/**
 * Runs `fn` while the sandbox's journal descriptor points at /dev/full, so every journal write fails
 * (ENOSPC) as on a full disk; the journal is reopened on the same descriptor afterwards. Linux only.
 */
async function withFullDisk<T>(t: TestSandbox, fn: () => Promise<T>): Promise<T> {
  const info = await t.client.inspect<{ dataDir: string | null }>('info');
  if (info.dataDir === null) throw new Error('the sandbox of this row needs a dataDir');
  const journal = realpathSync(join(info.dataDir, 'journal.jsonl'));
  const fd = readdirSync('/proc/self/fd')
    .map(Number)
    .find((n) => {
      try {
        return readlinkSync(`/proc/self/fd/${n}`) === journal;
      } catch {
        return false;
      }
    });
  if (fd === undefined) throw new Error(`no open descriptor for ${journal}`);
  closeSync(fd);
  const full = openSync('/dev/full', 'a');
  try {
    expect(full).toBe(fd);
    return await fn();
  } finally {
    closeSync(full);
    expect(openSync(journal, 'a')).toBe(fd);
  }
}

const sandboxCodeList = (): string[] => [...RESULT_CODES];

describe('every result code the sandbox answers, through the client', () => {
  let s: Scene;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ipass-client-sandbox-'));
    s = scene(await startTestSandbox({ dataDir }));
  });
  afterAll(async () => {
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    s.events.length = 0;
  });
  afterEach(() => {
    s.t.sandbox.setFaults({});
  });

  it('has a row for every code in the sandbox list (SUCCESS is the success table)', () => {
    const codes = sandboxCodeList();
    const covered = ['SUCCESS', ...Object.keys(CODE_ROWS), ...Object.keys(NEVER_ANSWERED)];
    expect(covered.sort()).toEqual(codes.sort());
  });

  it('no sandbox module answers the codes that have no row', () => {
    const dir = new URL('../src/sandbox/', import.meta.url);
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'result-codes.ts')
      .map((f) => readFileSync(new URL(f, dir), 'utf8'));
    for (const code of Object.keys(NEVER_ANSWERED)) {
      expect(sources.filter((text) => text.includes(`'${code}'`))).toEqual([]);
    }
  });

  it.each(Object.entries(CODE_ROWS))('%s', async (code, row) => {
    const before = (await s.stats()).results[code] ?? 0;
    const result = await row.send(s);
    if (result.ok) expect.fail(`${code}: the call succeeded`);
    const retried = row.kind === 'unknown';
    const attempts = retried ? MAX_RETRIES + 1 : 1;
    expect({ ...result.failure, attempts: result.attempts }).toMatchObject({
      kind: row.kind,
      code,
      // An unsigned answer proves nothing: whatever its code, the request may have been applied.
      inDoubt: retried || row.unsigned === true,
      priorAttemptInDoubt: retried,
      attempts,
    });
    expect(attemptsIn(s.events)).toBe(attempts);
    // Every attempt reached the sandbox and was answered this code, signed unless the row says not.
    expect(((await s.stats()).results[code] ?? 0) - before).toBe(attempts);
    const answers = s.exchanges().map((x) => x.response?.headers.signature !== undefined);
    expect(answers).toEqual(Array(attempts).fill(!row.unsigned));
  });
});

// ---------------------------------------------------------------------------------------------------

describe('faults: retries only where safe', () => {
  let s: Scene;
  beforeAll(async () => {
    s = scene(await startTestSandbox());
  });
  afterAll(() => s.close());
  beforeEach(() => {
    s.events.length = 0;
  });
  afterEach(() => {
    s.t.sandbox.setFaults({});
  });

  const TIMEOUT_MS = 500;
  const FAULT_CODES: [Exclude<FaultKind, 'drop-after-commit'>, string][] = [
    ['unknown', 'UNKNOWN_EXCEPTION'],
    ['http500', 'HTTP_500'],
    ['timeout', 'TIMEOUT'],
  ];
  const clientFor = (fault: FaultKind, over: Partial<IpassClientOptions> = {}) =>
    s.client(fault === 'timeout' ? { timeoutMs: TIMEOUT_MS, ...over } : over);
  const responseCodes = () => s.events.flatMap((e) => (e.type === 'response' ? [e.code] : []));

  /** The attempts of the last call sent the same bytes, each with its own Request-Time and signature. */
  function expectResentUnchanged(attempts: number): Exchange[] {
    const sent = s.exchanges();
    expect(sent).toHaveLength(attempts);
    expect(new Set(sent.map((x) => x.body)).size).toBe(1);
    expect(new Set(sent.map((x) => x.headers['request-time'])).size).toBe(attempts);
    expect(new Set(sent.map((x) => x.headers.signature)).size).toBe(attempts);
    return sent;
  }

  it.each(FAULT_CODES)('%s once, then success: retried with the same body, one pass', async (fault, code) => {
    const templateCode = await s.template();
    s.t.sandbox.setFaults({ script: [{ endpoint: 'createPass', fault, times: 1 }] });
    const body = passBody(templateCode);
    const result = await send(clientFor(fault), 'createPass', body);
    if (!result.ok) expect.fail(JSON.stringify(result.failure));
    expect(result.attempts).toBe(2);
    expect(responseCodes()).toEqual([code, 'SUCCESS']);
    expect(s.events.filter((e) => e.type === 'retry').map((e) => e.code)).toEqual([code]);
    expect(s.t.sandbox.store.passes(templateCode).map((p) => ({ passId: p.passId }))).toEqual([result.data]);
    const [first] = expectResentUnchanged(2);
    expect(JSON.parse(first?.body ?? '{}')).toMatchObject({ bizSerialId: body.bizSerialId });
  });

  it.each(FAULT_CODES)(
    '%s every time: gives up, kind unknown, in doubt, nothing applied',
    async (fault, code) => {
      const templateCode = await s.template();
      s.t.sandbox.setFaults({ script: [{ endpoint: 'createPass', fault, times: 10 }] });
      const maxRetries = fault === 'timeout' ? 1 : MAX_RETRIES;
      const result = await send(clientFor(fault, { maxRetries }), 'createPass', passBody(templateCode));
      expect(result).toMatchObject({
        ok: false,
        attempts: maxRetries + 1,
        failure: { kind: 'unknown', code, inDoubt: true, priorAttemptInDoubt: true },
      });
      expect(attemptsIn(s.events)).toBe(maxRetries + 1);
      expect(s.t.sandbox.store.passCount(templateCode)).toBe(0);
      expectResentUnchanged(maxRetries + 1);
    },
  );

  it('drop-after-commit on createPass: the retry reads PASS_HAS_EXIST after doubt, one pass', async () => {
    const templateCode = await s.template();
    s.t.sandbox.setFaults({ script: [{ endpoint: 'createPass', fault: 'drop-after-commit', times: 1 }] });
    const body = passBody(templateCode);
    const result = await send(s.client(), 'createPass', body);
    expect(result).toMatchObject({
      ok: false,
      attempts: 2,
      failure: { kind: 'business', code: 'PASS_HAS_EXIST', inDoubt: true, priorAttemptInDoubt: true },
    });
    expect(responseCodes()).toEqual(['CONNECTION_ERROR', 'PASS_HAS_EXIST']);
    const passes = s.t.sandbox.store.passes(templateCode);
    expect(passes.map((p) => p.bizSerialId)).toEqual([body.bizSerialId]);
    expectResentUnchanged(2);
  });

  it('drop-after-commit on createTemplate: the retry with the same requestId returns the first template', async () => {
    s.t.sandbox.setFaults({ script: [{ endpoint: 'createTemplate', fault: 'drop-after-commit', times: 1 }] });
    const before = s.t.sandbox.store.templates().length;
    const body = templateBody();
    const result = await send(s.client(), 'createTemplate', body);
    if (!result.ok) expect.fail(JSON.stringify(result.failure));
    expect(result.attempts).toBe(2);
    const created = s.t.sandbox.store.templates().filter((t) => t.requestId === body.requestId);
    expect(created.map((t) => t.templateCode)).toEqual([
      (result.data as { templateCode: string }).templateCode,
    ]);
    expect(s.t.sandbox.store.templates()).toHaveLength(before + 1);
    expectResentUnchanged(2);
  });

  it('drop-after-commit on updateBudget: applied once', async () => {
    const templateCode = await s.template({ stock: 100 });
    s.t.sandbox.setFaults({ script: [{ endpoint: 'updateBudget', fault: 'drop-after-commit', times: 1 }] });
    const request = { requestId: budgetId(), templateCode, updateType: 'APPEND_BUDGET', number: 7 };
    const result = await send(s.client(), 'updateBudget', request);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(s.t.sandbox.store.template(templateCode)?.stock).toBe(107);
    expectResentUnchanged(2);
  });

  it('an F result ends the call at once, with retries left and faults still pending', async () => {
    const templateCode = await s.template();
    s.t.sandbox.setFaults({ script: [{ endpoint: 'createPass', fault: 'unknown', times: 2 }] });
    const unknownUser = passBody(templateCode, { userId: '2999000000000001' });
    const business = await send(s.client({ maxRetries: 6 }), 'createPass', unknownUser);
    expect(business).toMatchObject({
      ok: false,
      attempts: 3,
      failure: { kind: 'business', code: 'USER_NOT_EXIST', priorAttemptInDoubt: true },
    });
    expect(responseCodes()).toEqual(['UNKNOWN_EXCEPTION', 'UNKNOWN_EXCEPTION', 'USER_NOT_EXIST']);

    // A gateway F consumes no fault, and is not retried into the ones waiting.
    const pending = { script: [{ fault: 'unknown' as const, times: 3 }] };
    s.t.sandbox.setFaults(pending);
    const denied = await send(s.client({ maxRetries: 6, merchantId: '2160999999999999' }), 'detail', {
      templateCode,
    });
    expect(denied).toMatchObject({ ok: false, attempts: 1, failure: { code: 'ACCESS_DENIED' } });
    expect(await s.t.client.inspect('faults')).toEqual(pending);
  });

  it('events carry no request body, signature or business id', async () => {
    const templateCode = await s.template();
    s.t.sandbox.setFaults({ script: [{ endpoint: 'createPass', fault: 'unknown', times: 1 }] });
    const body = passBody(templateCode, { bizSerialId: 'serial-must-not-leak-7f3a' });
    const result = await send(s.client(), 'createPass', body);
    expect(result.ok).toBe(true);
    expect(s.events.map((e) => e.type)).toEqual(['attempt', 'response', 'retry', 'attempt', 'response']);
    const text = JSON.stringify(s.events);
    const secrets = s.exchanges().flatMap((x) => {
      const value = /signature=([^,]+)/.exec(x.headers.signature ?? '')?.[1];
      return [x.body, value ?? 'no signature was sent', decodeURIComponent(value ?? '').slice(0, 40)];
    });
    for (const secret of [...secrets, body.bizSerialId as string, body.userId as string]) {
      expect(text).not.toContain(secret);
    }
  });
});
