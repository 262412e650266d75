// Passes in the sandbox over HTTP: createPass rules and codes, stock consumption, PASS_HAS_EXIST,
// and the updatePass state model (every from-state and change).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createTemplate,
  DAY,
  passBody,
  startTestSandbox,
  T0,
  type TestSandbox,
  templateBody,
} from '../src/sandbox/testing/harness.js';

let t: TestSandbox;
let template: string;
beforeAll(async () => {
  t = await startTestSandbox();
  template = await createTemplate(t.client, { stock: 1000 });
});
afterAll(() => t.close());
afterEach(() => {
  t.clock.now = T0;
});

async function create(body: Record<string, unknown>) {
  const reply = await t.client.call('createPass', body);
  expect(reply.verified).toBe(true);
  return reply;
}
const codeOf = async (body: Record<string, unknown>) => (await create(body)).result?.resultCode;
const update = async (body: Record<string, unknown>) => {
  const reply = await t.client.call('updatePass', body);
  expect(reply.verified).toBe(true);
  return reply.result?.resultCode;
};
const without = (body: Record<string, unknown>, ...fields: string[]) => {
  const copy = { ...body };
  for (const f of fields) delete copy[f];
  return copy;
};

describe('createPass rules', () => {
  const cases: Array<[string, (b: Record<string, unknown>) => Record<string, unknown>, string]> = [
    ['valid body', (b) => b, 'SUCCESS'],
    [
      'openId instead of userId',
      (b) => ({ ...without(b, 'userId'), openId: 'fj398457jd8iue98d8w7w93j' }),
      'SUCCESS',
    ],
    ['no userId or openId', (b) => without(b, 'userId'), 'PARAM_ILLEGAL'],
    ['userId of 33 characters', (b) => ({ ...b, userId: '1'.repeat(33) }), 'PARAM_ILLEGAL'],
    ['userId starting 2999', (b) => ({ ...b, userId: '2999000000000001' }), 'USER_NOT_EXIST'],
    ['userId of 15 digits', (b) => ({ ...b, userId: '216022003709053' }), 'USER_NOT_EXIST'],
    [
      'openId starting unknown',
      (b) => ({ ...without(b, 'userId'), openId: 'unknown-user' }),
      'USER_NOT_EXIST',
    ],
    ['openId with a !', (b) => ({ ...without(b, 'userId'), openId: 'who!' }), 'USER_NOT_EXIST'],
    ['both ids, one unknown', (b) => ({ ...b, openId: 'unknown-user' }), 'USER_NOT_EXIST'],
    ['no bizSerialId', (b) => without(b, 'bizSerialId'), 'PARAM_ILLEGAL'],
    ['bizSerialId of 128', (b) => ({ ...b, bizSerialId: String(b.bizSerialId).padEnd(128, 'x') }), 'SUCCESS'],
    ['bizSerialId of 129', (b) => ({ ...b, bizSerialId: 'x'.repeat(129) }), 'PARAM_ILLEGAL'],
    ['bizSerialType other', (b) => ({ ...b, bizSerialType: 'IN_PLAT_FORM' }), 'PARAM_ILLEGAL'],
    ['startDate as text', (b) => ({ ...b, startDate: '2027-02-01' }), 'PARAM_ILLEGAL'],
    ['start not before end', (b) => ({ ...b, endDate: b.startDate }), 'PARAM_ILLEGAL'],
    ['no bizCreate', (b) => without(b, 'bizCreate'), 'PARAM_ILLEGAL'],
    ['no codeInfo', (b) => without(b, 'codeInfo'), 'PARAM_ILLEGAL'],
    ['codeInfo as a JSON string', (b) => ({ ...b, codeInfo: '{"$codevalue$":"1"}' }), 'SUCCESS'],
    ['codeInfo over 512', (b) => ({ ...b, codeInfo: { $codevalue$: 'x'.repeat(520) } }), 'PARAM_ILLEGAL'],
    ['dataInfo a list', (b) => ({ ...b, dataInfo: [] }), 'PARAM_ILLEGAL'],
    ['extInfo an object', (b) => ({ ...b, extInfo: { cardType: 'SALES_CARD' } }), 'PARAM_ILLEGAL'],
    ['extInfo not JSON', (b) => ({ ...b, extInfo: 'cardType=SALES_CARD' }), 'PARAM_ILLEGAL'],
    ['publishScene FREE_GIVE', (b) => ({ ...b, publishScene: 'FREE_GIVE' }), 'SUCCESS'],
    ['publishScene other', (b) => ({ ...b, publishScene: 'SELL' }), 'PARAM_ILLEGAL'],
    ['no type or product', (b) => without(b, 'type', 'product'), 'SUCCESS'],
    ['type CARD on a COUPON template', (b) => ({ ...b, type: 'CARD' }), 'PASS_TYPE_NOT_MATCH'],
    [
      'product MEMBER_CARD on GIFT_CARD',
      (b) => ({ ...b, product: 'MEMBER_CARD' }),
      'PASS_PRODUCT_TYPE_NOT_MATCH',
    ],
    [
      'unknown template',
      (b) => ({ ...b, templateCode: '82027010100135999999999999999999' }),
      'PASS_TEMPLATE_HAS_NOT_EXIT',
    ],
  ];

  it.each(cases.map(([name, change, code]) => ({ name, change, code })))(
    '$name → $code',
    async ({ change, code }) => {
      expect(await codeOf(change(passBody(template)))).toBe(code);
    },
  );

  it('requires dataInfo for TICKET templates', async () => {
    const ticket = await createTemplate(t.client, { type: 'TICKET', product: 'MOVIE' });
    const body = passBody(ticket, { type: 'TICKET', product: 'MOVIE' });
    expect(await codeOf(without(body, 'dataInfo'))).toBe('PARAM_ILLEGAL');
    expect(await codeOf(body)).toBe('SUCCESS');
  });

  it('answers a passId of at most 32 digits, different for each pass', async () => {
    const a = (await create(passBody(template))).json.passId as string;
    const b = (await create(passBody(template))).json.passId as string;
    expect(a).toMatch(/^\d{1,32}$/);
    expect(b).toMatch(/^\d{1,32}$/);
    expect(a).not.toBe(b);
  });

  it.each(['paused', 'closed'])('refuses a %s template with PASS_TEMPLATE_STATUS_ILLEGAL', async (status) => {
    const code = await createTemplate(t.client);
    expect((await t.client.call('switchStatus', { templateCode: code, status })).result?.resultCode).toBe(
      'SUCCESS',
    );
    expect(await codeOf(passBody(code))).toBe('PASS_TEMPLATE_STATUS_ILLEGAL');
  });

  it('refuses frozen and expired templates with PASS_TEMPLATE_STATUS_ILLEGAL', async () => {
    const frozen = templateBody();
    (frozen.localeInfo as { en_US: { name: string } }).en_US.name = 'Held __frozen__';
    const frozenCode = (await t.client.call('createTemplate', frozen)).json.templateCode as string;
    expect(await codeOf(passBody(frozenCode))).toBe('PASS_TEMPLATE_STATUS_ILLEGAL');
    const short = await createTemplate(t.client, { startDate: T0 + DAY, endDate: T0 + 2 * DAY });
    t.clock.now = T0 + 3 * DAY;
    expect(await codeOf(passBody(short))).toBe('PASS_TEMPLATE_STATUS_ILLEGAL');
  });
});

describe('createPass stock and duplicates', () => {
  it('consumes one unit per pass and answers PASS_TEMPLATE_STOCK_NOT_ENOUGH when none is left', async () => {
    const code = await createTemplate(t.client, { stock: 2 });
    expect(await codeOf(passBody(code))).toBe('SUCCESS');
    expect(await codeOf(passBody(code))).toBe('SUCCESS');
    expect(await codeOf(passBody(code))).toBe('PASS_TEMPLATE_STOCK_NOT_ENOUGH');
    const detail = await t.client.call('detail', { templateCode: code });
    expect(detail.json).toMatchObject({ stock: 2, availableStock: 0 });
    const budget = { requestId: `more-${code}`, templateCode: code, updateType: 'APPEND_BUDGET', number: 1 };
    expect((await t.client.call('updateBudget', budget)).result?.resultCode).toBe('SUCCESS');
    expect(await codeOf(passBody(code))).toBe('SUCCESS');
    expect(t.sandbox.store.passCount(code)).toBe(3);
  });

  it('answers PASS_HAS_EXIST (F) for a repeated bizSerialId and issues it once', async () => {
    const code = await createTemplate(t.client, { stock: 10 });
    const body = passBody(code);
    const first = await create(body);
    expect(first.result?.resultCode).toBe('SUCCESS');
    const again = await create({ ...body, userId: '2160220037090999' });
    expect(again.result).toMatchObject({ resultCode: 'PASS_HAS_EXIST', resultStatus: 'F' });
    expect(again.json.passId).toBeUndefined();
    expect((await t.client.call('detail', { templateCode: code })).json.availableStock).toBe(9);
    expect(t.sandbox.store.pass(code, body.bizSerialId as string)?.passId).toBe(first.json.passId);
  });

  it('answers PASS_HAS_EXIST for a repeat even once the template paused or ran out of stock', async () => {
    const code = await createTemplate(t.client, { stock: 1 });
    const body = passBody(code);
    expect(await codeOf(body)).toBe('SUCCESS');
    expect(await codeOf(body)).toBe('PASS_HAS_EXIST');
    await t.client.call('switchStatus', { templateCode: code, status: 'paused' });
    expect(await codeOf(body)).toBe('PASS_HAS_EXIST');
  });

  it('keys duplicates on the template: the same bizSerialId on another template is a new pass', async () => {
    const other = await createTemplate(t.client);
    const body = passBody(template);
    expect(await codeOf(body)).toBe('SUCCESS');
    expect(await codeOf({ ...body, templateCode: other })).toBe('SUCCESS');
  });

  it('lists passes through the inspection route, in full or as a count', async () => {
    const code = await createTemplate(t.client);
    const body = passBody(code);
    const passId = (await create(body)).json.passId;
    const listed = await t.client.inspect<{ count: number; passes: Array<Record<string, unknown>> }>(
      `passes?templateCode=${code}`,
    );
    expect(listed.count).toBe(1);
    expect(listed.passes[0]).toMatchObject({
      passId,
      bizSerialId: body.bizSerialId,
      userId: body.userId,
      status: 'active',
    });
    expect(await t.client.inspect(`passes?templateCode=${code}&count=1`)).toEqual({ count: 1 });
  });
});

describe('updatePass', () => {
  async function passIn(state: string): Promise<{ passId: string; userId: string }> {
    const body = passBody(template);
    const passId = (await create(body)).json.passId as string;
    const userId = body.userId as string;
    const change = { active: undefined, used: 'USED', closed: 'CLOSED', refunded: 'REFUND' }[state];
    if (change) expect(await update({ userId, passId, status: change })).toBe('SUCCESS');
    return { passId, userId };
  }
  const statusIn = (passId: string) =>
    t.sandbox.store.passes(template).find((p) => p.passId === passId)?.status;

  // other-endpoints.md §5: only an active pass changes; a used one is PASS_USED_OCCUPIED.
  const RESULTS: Record<string, Record<string, [string, string]>> = {
    active: {
      USED: ['SUCCESS', 'used'],
      CLOSED: ['SUCCESS', 'closed'],
      REFUND: ['SUCCESS', 'refunded'],
      UPDATE: ['SUCCESS', 'active'],
    },
    used: {
      USED: ['PASS_USED_OCCUPIED', 'used'],
      CLOSED: ['PASS_USED_OCCUPIED', 'used'],
      REFUND: ['PASS_USED_OCCUPIED', 'used'],
      UPDATE: ['PASS_USED_OCCUPIED', 'used'],
    },
    closed: {
      USED: ['PASS_UPDATE_FAIL', 'closed'],
      CLOSED: ['PASS_UPDATE_FAIL', 'closed'],
      REFUND: ['PASS_UPDATE_FAIL', 'closed'],
      UPDATE: ['PASS_UPDATE_FAIL', 'closed'],
    },
    refunded: {
      USED: ['PASS_UPDATE_FAIL', 'refunded'],
      CLOSED: ['PASS_UPDATE_FAIL', 'refunded'],
      REFUND: ['PASS_UPDATE_FAIL', 'refunded'],
      UPDATE: ['PASS_UPDATE_FAIL', 'refunded'],
    },
  };
  const rows = Object.entries(RESULTS).flatMap(([from, changes]) =>
    Object.entries(changes).map(([change, [code, to]]) => ({ from, change, code, to })),
  );

  it.each(rows)('$from pass, $change → $code ($to)', async ({ from, change, code, to }) => {
    const { passId, userId } = await passIn(from);
    const extra =
      change === 'UPDATE' ? { updateDetailType: 'UPDATE_DATA_INFO', dataInfo: { en_US: {} } } : {};
    expect(await update({ userId, passId, status: change, ...extra })).toBe(code);
    expect(statusIn(passId)).toBe(to);
  });

  it('checks the request: status, updateDetailType, user, pass and template', async () => {
    const { passId, userId } = await passIn('active');
    const other = await createTemplate(t.client);
    expect(await update({ userId, passId, status: 'DELETE' })).toBe('PARAM_ILLEGAL');
    expect(await update({ userId, passId, status: 'UPDATE' })).toBe('PARAM_ILLEGAL');
    expect(await update({ passId, status: 'USED' })).toBe('PARAM_ILLEGAL');
    expect(await update({ userId, status: 'USED' })).toBe('PARAM_ILLEGAL');
    expect(await update({ userId: '2999000000000001', passId, status: 'USED' })).toBe('USER_NOT_EXSITS');
    expect(await update({ userId: '2160220037090999', passId, status: 'USED' })).toBe('PASS_HAS_NOT_EXIST');
    expect(await update({ userId, passId: '1'.repeat(31), status: 'USED' })).toBe('PASS_HAS_NOT_EXIST');
    expect(await update({ userId, passId, templateCode: other, status: 'USED' })).toBe('PASS_HAS_NOT_EXIST');
    expect(
      await update({ userId, passId, templateCode: '82027010100135999999999999999999', status: 'USED' }),
    ).toBe('PASS_TEMPLATE_HAS_NOT_EXIT');
    expect(statusIn(passId)).toBe('active');
    expect(await update({ userId, passId, templateId: template, status: 'USED' })).toBe('SUCCESS');
  });

  it('moves the end date with UPDATE_VALIDITY', async () => {
    const { passId, userId } = await passIn('active');
    const endDate = T0 + 200 * DAY;
    expect(
      await update({ userId, passId, status: 'UPDATE', updateDetailType: 'UPDATE_VALIDITY', endDate }),
    ).toBe('SUCCESS');
    expect(t.sandbox.store.passes(template).find((p) => p.passId === passId)?.endDate).toBe(endDate);
  });

  it('replaces dataInfo with UPDATE_DATA_INFO and counts updates per pass', async () => {
    const { passId, userId } = await passIn('active');
    const dataInfo = { en_US: { $shopname$: 'Harbour Roast' } };
    const kind = { status: 'UPDATE', updateDetailType: 'UPDATE_DATA_INFO' };
    expect(await update({ userId, passId, ...kind })).toBe('PARAM_ILLEGAL');
    expect(await update({ userId, passId, ...kind, dataInfo })).toBe('SUCCESS');
    const pass = t.sandbox.store.passes(template).find((p) => p.passId === passId);
    expect(pass).toMatchObject({ status: 'active', updates: 1, dataInfo });
    expect(await update({ userId, passId, ...kind, dataInfo })).toBe('SUCCESS'); // the same again
    expect(t.sandbox.store.passes(template).find((p) => p.passId === passId)?.updates).toBe(1);
    const validity = { status: 'UPDATE', updateDetailType: 'UPDATE_VALIDITY' };
    expect(await update({ userId, passId, ...validity })).toBe('PARAM_ILLEGAL');
  });

  it('marks passes used through POST /__sandbox/passes/use, as a customer redeeming them', async () => {
    const { passId, userId } = await passIn('active');
    const closed = await passIn('closed');
    const use = async (body: unknown) => {
      const res = await fetch(`${t.sandbox.url}/__sandbox/passes/use`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [res.status, await res.json()];
    };
    expect(await use({ passIds: [passId, closed.passId, 'nope'] })).toEqual([
      200,
      { used: [passId], notActive: [closed.passId], unknown: ['nope'] },
    ]);
    expect(statusIn(passId)).toBe('used');
    expect(await update({ userId, passId, status: 'CLOSED' })).toBe('PASS_USED_OCCUPIED');
    expect((await use({ passIds: 'x' }))[0]).toBe(400);
  });
});
