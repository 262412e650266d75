import { describe, expect, it } from 'vitest';
import { passRequest } from './pass-request.js';
import { compileContent } from './placeholders.js';
import { layoutOf, readRow } from './recipient-rows.js';

describe('passRequest', () => {
  it('builds the createPass body in the documented order, {{column}} values filled in', () => {
    const content = compileContent({
      codeInfo: { $codemsg$: 'C-{{code}}' },
      dataInfo: { en_US: { $username$: '{{name}}' } },
      extInfo: { cardType: 'DIRECT_CARD', ref: '{{bizSerialId}}' },
    });
    const layout = layoutOf(['userId', 'openId', 'code', 'name'], ['code', 'name', 'bizSerialId']).layout;
    if (!layout) throw new Error('layout');
    const recipient = readRow(layout, 'c/b', content, ['2160220037090534', 'oid', '42', 'Ann'], 2).recipient;
    if (!recipient) throw new Error('row');
    const base = {
      templateCode: 'T1',
      startDate: 10,
      endDate: 20,
      type: 'COUPON',
      product: 'GIFT_CARD',
      publishScene: 'FREE_GIVE',
    };
    const body = passRequest(base, content, layout, recipient, 15);
    expect(Object.keys(body)).toEqual([
      'userId',
      'openId',
      'templateCode',
      'bizSerialId',
      'bizSerialType',
      'startDate',
      'endDate',
      'bizCreate',
      'type',
      'product',
      'codeInfo',
      'dataInfo',
      'extInfo',
      'publishScene',
    ]);
    expect(body).toMatchObject({
      userId: '2160220037090534',
      openId: 'oid',
      bizSerialType: 'OUT_PLAT_FORM',
      bizCreate: 15,
      codeInfo: { $codemsg$: 'C-42' },
      dataInfo: { en_US: { $username$: 'Ann' } },
    });
    expect(body.extInfo).toBe(JSON.stringify({ cardType: 'DIRECT_CARD', ref: recipient.bizSerialId }));
  });
});
