// Template lifecycle in the sandbox over HTTP: the switchStatus machine (every from/to pair),
// updateTemplate, updateBudget accounting and requestId replay, and what detail returns.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemplate,
  DAY,
  passBody,
  startTestSandbox,
  T0,
  type TestSandbox,
  templateBody,
  withField,
} from '../src/sandbox/testing/harness.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());
afterEach(() => {
  t.clock.now = T0;
});

async function call(endpoint: Parameters<TestSandbox['client']['call']>[0], body: Record<string, unknown>) {
  const reply = await t.client.call(endpoint, body);
  expect(reply.verified).toBe(true);
  return reply;
}
const codeOf = async (
  endpoint: Parameters<TestSandbox['client']['call']>[0],
  body: Record<string, unknown>,
) => (await call(endpoint, body)).result?.resultCode;
const statusOf = async (templateCode: string) =>
  (await call('detail', { templateCode })).json.status as string;

/** A template in the given status; `expired` ones end tomorrow and the clock is moved past that. */
async function templateIn(status: string): Promise<string> {
  if (status === 'frozen')
    return createTemplate(t.client, withField(templateBody(), 'localeInfo', frozenLocale()));
  if (status === 'expired') {
    const code = await createTemplate(t.client, { startDate: T0 + DAY, endDate: T0 + 2 * DAY });
    t.clock.now = T0 + 3 * DAY;
    return code;
  }
  const code = await createTemplate(t.client);
  if (status !== 'valid')
    expect(await codeOf('switchStatus', { templateCode: code, status })).toBe('SUCCESS');
  return code;
}

function frozenLocale() {
  return { en_US: { name: 'Held __frozen__', description: 'd', shops: 's', brandName: 'b' } };
}

describe('switchStatus state machine', () => {
  // other-endpoints.md §1: the only allowed transitions.
  const ALLOWED = new Set(['frozen>valid', 'valid>paused', 'valid>closed', 'paused>valid', 'paused>closed']);
  const pairs = ['valid', 'frozen', 'paused', 'expired', 'closed'].flatMap((from) =>
    ['valid', 'paused', 'closed'].map((to) => ({
      from,
      to,
      code: ALLOWED.has(`${from}>${to}`) ? 'SUCCESS' : 'STATE_MACHINE_ILLEGAL',
    })),
  );

  it.each(pairs)('$from → $to: $code', async ({ from, to, code }) => {
    const templateCode = await templateIn(from);
    expect(await statusOf(templateCode)).toBe(from);
    const reply = await call('switchStatus', { templateCode, status: to });
    expect(reply.result?.resultCode).toBe(code);
    if (code === 'SUCCESS') expect(reply.json.status).toBe(to);
    expect(await statusOf(templateCode)).toBe(code === 'SUCCESS' ? to : from);
  });

  it.each(['expired', 'frozen', 'VALID', '', 42])(
    'target %j is PASS_TEMPLATE_STATUS_ILLEGAL',
    async (status) => {
      const templateCode = await templateIn('valid');
      expect(await codeOf('switchStatus', { templateCode, status })).toBe('PASS_TEMPLATE_STATUS_ILLEGAL');
    },
  );

  it('answers PASS_TEMPLATE_HAS_NOT_EXIT for an unknown template, PARAM_ILLEGAL without a code', async () => {
    expect(
      await codeOf('switchStatus', { templateCode: '82027010100135999999999999999999', status: 'paused' }),
    ).toBe('PASS_TEMPLATE_HAS_NOT_EXIT');
    expect(await codeOf('switchStatus', { status: 'paused' })).toBe('PARAM_ILLEGAL');
  });
});

describe('updateTemplate', () => {
  const updateOf = (templateCode: string, overrides: Record<string, unknown> = {}) => {
    const {
      requestId: _r,
      type: _t,
      product: _p,
      codeType: _c,
      codeStandard: _s,
      stock: _k,
      ...content
    } = templateBody();
    return { templateCode, ...content, ...overrides };
  };

  it('replaces the whole content: changed fields change, omitted optional fields are cleared', async () => {
    const templateCode = await templateIn('valid');
    const body = withField(
      updateOf(templateCode, { currencyCode: undefined }),
      'localeInfo.en_US.name',
      'New name',
    );
    delete body.currencyCode;
    const reply = await call('updateTemplate', body);
    expect(reply.result?.resultCode).toBe('SUCCESS');
    expect(reply.json).toMatchObject({ templateCode, status: 'valid' });
    const detail = (await call('detail', { templateCode })).json;
    expect(detail.localeInfo.en_US.name).toBe('New name');
    expect(detail.currencyCode).toBeUndefined();
  });

  it('applies createTemplate field rules', async () => {
    const templateCode = await templateIn('valid');
    const body = withField(updateOf(templateCode), 'localeInfo.en_US.name', 'n'.repeat(51));
    expect(await codeOf('updateTemplate', body)).toBe('PASS_TEMPLATE_NAME_ILLEGAL');
    expect(await codeOf('updateTemplate', updateOf(templateCode, { imageUrl: 'x' }))).toBe(
      'PASS_TEMPLATE_IMAGE_URL_ILLEGAL',
    );
    expect(await codeOf('updateTemplate', updateOf(templateCode, { endDate: T0 + 10 * DAY }))).toBe(
      'PASS_TEMPLATE_TIME_INTERVAL_ILLEGAL',
    );
  });

  it('allows repeating type/product/codeType/codeStandard but not changing them; ignores stock', async () => {
    const templateCode = await templateIn('valid');
    const same = updateOf(templateCode, {
      type: 'COUPON',
      product: 'GIFT_CARD',
      codeType: 'qrcode',
      stock: 7,
    });
    expect(await codeOf('updateTemplate', same)).toBe('SUCCESS');
    expect((await call('detail', { templateCode })).json.stock).toBe(100);
    for (const change of [
      { type: 'CARD' },
      { product: 'MEMBER_CARD' },
      { codeType: 'barcode' },
      { codeStandard: 'CODE128' },
    ]) {
      expect(await codeOf('updateTemplate', updateOf(templateCode, change)), JSON.stringify(change)).toBe(
        'PARAM_ILLEGAL',
      );
    }
  });

  it('keeps a started template updatable with its start unchanged, but not moved into the past', async () => {
    const templateCode = await templateIn('valid');
    t.clock.now = T0 + 40 * DAY; // after its start (T0 + 30 days)
    expect(await codeOf('updateTemplate', updateOf(templateCode))).toBe('SUCCESS');
    expect(await codeOf('updateTemplate', updateOf(templateCode, { startDate: T0 + 35 * DAY }))).toBe(
      'PASS_TEMPLATE_START_TIME_LESS_CURRENT',
    );
  });

  it.each(['paused', 'frozen'])('allows updating a %s template', async (status) => {
    const templateCode = await templateIn(status);
    expect(await codeOf('updateTemplate', updateOf(templateCode))).toBe('SUCCESS');
  });

  it.each(['closed', 'expired'])(
    'refuses a %s template with PASS_TEMPLATE_STATUS_ILLEGAL',
    async (status) => {
      const templateCode = await templateIn(status);
      const body = updateOf(templateCode, { startDate: T0 + 1 * DAY, endDate: T0 + 20 * DAY });
      expect(await codeOf('updateTemplate', body)).toBe('PASS_TEMPLATE_STATUS_ILLEGAL');
    },
  );

  it('answers PASS_TEMPLATE_HAS_NOT_EXIT for an unknown template', async () => {
    expect(await codeOf('updateTemplate', updateOf('82027010100135999999999999999999'))).toBe(
      'PASS_TEMPLATE_HAS_NOT_EXIT',
    );
  });
});

describe('updateBudget', () => {
  let n = 0;
  const budget = (templateCode: string, updateType: string, number: number, requestId = `budget-${++n}`) =>
    codeOf('updateBudget', { requestId, templateCode, updateType, number });
  const stockOf = async (templateCode: string) => {
    const { stock, availableStock } = (await call('detail', { templateCode })).json;
    return { stock, availableStock };
  };
  const issue = async (templateCode: string, count: number) => {
    t.clock.now = T0 + 31 * DAY;
    for (let i = 0; i < count; i += 1)
      expect(await codeOf('createPass', passBody(templateCode))).toBe('SUCCESS');
  };

  it('appends, subtracts (both spellings) and overrides the remaining budget', async () => {
    const templateCode = await templateIn('valid');
    expect(await budget(templateCode, 'APPEND_BUDGET', 50)).toBe('SUCCESS');
    expect(await stockOf(templateCode)).toEqual({ stock: 150, availableStock: 150 });
    expect(await budget(templateCode, 'SUBTRACT_BUDGET', 30)).toBe('SUCCESS');
    expect(await budget(templateCode, 'SUBTRACT__BUDGET', 20)).toBe('SUCCESS');
    expect(await stockOf(templateCode)).toEqual({ stock: 100, availableStock: 100 });
    await issue(templateCode, 3);
    expect(await stockOf(templateCode)).toEqual({ stock: 100, availableStock: 97 });
    expect(await budget(templateCode, 'OVERRIDE_BUDGET', 10)).toBe('SUCCESS');
    expect(await stockOf(templateCode)).toEqual({ stock: 13, availableStock: 10 });
  });

  it('enforces number 1…999,999, total ≤ 1,000,000 and never below the passes issued', async () => {
    const templateCode = await templateIn('valid');
    await issue(templateCode, 2);
    expect(await budget(templateCode, 'APPEND_BUDGET', 0)).toBe('PARAM_ILLEGAL');
    expect(await budget(templateCode, 'APPEND_BUDGET', 1_000_000)).toBe('PARAM_ILLEGAL');
    expect(await budget(templateCode, 'APPEND_BUDGET', 999_901)).toBe('PARAM_ILLEGAL');
    expect(await budget(templateCode, 'APPEND_BUDGET', 999_900)).toBe('SUCCESS');
    expect(await budget(templateCode, 'OVERRIDE_BUDGET', 999_999)).toBe('PARAM_ILLEGAL');
    expect(await budget(templateCode, 'SUBTRACT_BUDGET', 999_999)).toBe('PARAM_ILLEGAL');
    expect(await budget(templateCode, 'SUBTRACT_BUDGET', 999_998)).toBe('SUCCESS');
    expect(await stockOf(templateCode)).toEqual({ stock: 2, availableStock: 0 });
  });

  it('refuses to subtract below issued, unknown types, missing ids and unknown templates', async () => {
    const templateCode = await templateIn('valid');
    await issue(templateCode, 5);
    expect(await budget(templateCode, 'SUBTRACT_BUDGET', 96)).toBe('PARAM_ILLEGAL');
    expect(await budget(templateCode, 'SUBTRACT_BUDGET', 95)).toBe('SUCCESS');
    expect(await stockOf(templateCode)).toEqual({ stock: 5, availableStock: 0 });
    expect(await budget(templateCode, 'ADD_BUDGET', 1)).toBe('PARAM_ILLEGAL');
    expect(await codeOf('updateBudget', { templateCode, updateType: 'APPEND_BUDGET', number: 1 })).toBe(
      'PARAM_ILLEGAL',
    );
    expect(await budget('82027010100135999999999999999999', 'APPEND_BUDGET', 1)).toBe(
      'PASS_TEMPLATE_HAS_NOT_EXIT',
    );
  });

  it.each(['closed', 'expired'])(
    'refuses a %s template with PASS_TEMPLATE_STATUS_ILLEGAL',
    async (status) => {
      const templateCode = await templateIn(status);
      expect(await budget(templateCode, 'APPEND_BUDGET', 1)).toBe('PASS_TEMPLATE_STATUS_ILLEGAL');
    },
  );

  it('answers a replayed requestId with SUCCESS and applies it once, even after the template closed', async () => {
    const templateCode = await templateIn('valid');
    expect(await budget(templateCode, 'APPEND_BUDGET', 10, 'same-request')).toBe('SUCCESS');
    expect(await budget(templateCode, 'APPEND_BUDGET', 10, 'same-request')).toBe('SUCCESS');
    expect(await budget(templateCode, 'APPEND_BUDGET', 99, 'same-request')).toBe('SUCCESS');
    expect(await stockOf(templateCode)).toEqual({ stock: 110, availableStock: 110 });
    expect(await codeOf('switchStatus', { templateCode, status: 'closed' })).toBe('SUCCESS');
    expect(await budget(templateCode, 'APPEND_BUDGET', 10, 'same-request')).toBe('SUCCESS');
    expect(await budget(templateCode, 'APPEND_BUDGET', 10, 'other-request')).toBe(
      'PASS_TEMPLATE_STATUS_ILLEGAL',
    );
  });
});

describe('detail', () => {
  it('returns the stored content, status, stock, availableStock and both codeStandard spellings', async () => {
    const body = templateBody({
      codeType: 'barcode',
      codeStandard: 'EAN-13',
      passExtInfo: { availableStoreIds: ['s1'] },
    });
    const created = await call('createTemplate', body);
    const templateCode = created.json.templateCode as string;
    const detail = await call('detail', { templateCode });
    expect(detail.json.result).toEqual({
      resultCode: 'SUCCESS',
      resultStatus: 'S',
      resultMessage: 'success',
    });
    const { requestId: _r, stock: _s, ...content } = body;
    expect(detail.json).toMatchObject({
      ...content,
      templateCode,
      status: 'valid',
      codeStandard: 'EAN-13',
      codeStandrad: 'EAN-13',
      stock: 100,
      availableStock: 100,
    });
  });

  it('reports expired once the clock passes endDate (but closed stays closed)', async () => {
    const templateCode = await createTemplate(t.client, { startDate: T0 + DAY, endDate: T0 + 2 * DAY });
    const closedCode = await createTemplate(t.client, { startDate: T0 + DAY, endDate: T0 + 2 * DAY });
    expect(await codeOf('switchStatus', { templateCode: closedCode, status: 'closed' })).toBe('SUCCESS');
    t.clock.now = T0 + 2 * DAY + 1;
    expect(await statusOf(templateCode)).toBe('expired');
    expect(await statusOf(closedCode)).toBe('closed');
  });

  it('answers PASS_TEMPLATE_HAS_NOT_EXIT for an unknown code', async () => {
    expect(await codeOf('detail', { templateCode: '82027010100135999999999999999999' })).toBe(
      'PASS_TEMPLATE_HAS_NOT_EXIT',
    );
  });
});
