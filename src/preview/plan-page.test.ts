import { describe, expect, it } from 'vitest';
import type { TemplateBody } from '../campaign/types.js';
import type { Plan, TemplateChange } from '../plan/plan-types.js';
import { emptyState, type StateFile } from '../state/state-format.js';
import { afterSide, beforeSide, planPreviewPages } from './plan-page.js';

const spec: TemplateBody = {
  codeStandard: 'QRCODE',
  codeType: 'qrcode',
  endDate: 2,
  startDate: 1,
  product: 'GIFT_CARD',
  stock: 100,
  type: 'COUPON',
  localeInfo: { en_US: { name: 'Old <name>' } },
};

function state(): StateFile {
  const s = emptyState('dev', 'l');
  s.templates['c/old'] = {
    templateCode: 'T1',
    status: 'valid',
    stock: 250,
    protect: false,
    generation: 1,
    requestId: 'r',
    spec,
    superseded: [],
  };
  return s;
}

function plan(changes: TemplateChange[], drift: Plan['drift'] = []): Plan {
  return {
    formatVersion: 1,
    environment: 'dev',
    state: { lineage: 'l', serial: 3, exists: true },
    inputHash: 'h',
    refreshed: drift.length > 0,
    changes,
    passBatches: [],
    drift,
    diagnostics: [],
    summary: {
      create: 0,
      update: 1,
      stock: 0,
      status: 0,
      replace: 0,
      close: 0,
      move: 0,
      noop: 0,
      passes: 0,
      resume: 0,
    },
  };
}

const after = { ...spec, localeInfo: { en_US: { name: 'New name' } } };
const moved: TemplateChange = {
  address: 'c/new',
  movedFrom: 'c/old',
  action: 'update',
  irreversible: false,
  templateCode: 'T1',
  reasons: [{ path: 'localeInfo.en_US.name', before: 'Old <name>', after: 'New name' }],
  requests: [],
  record: { spec: after, status: 'valid', protect: false },
};

describe('plan preview', () => {
  it('takes "before" from the recorded spec of the address moved from, with the stock and drift of the state', () => {
    const drift = [
      { address: 'c/new', templateCode: 'T1', path: 'status', state: 'valid', remote: 'paused' },
    ];
    const before = beforeSide(plan([moved], drift), state(), moved);
    expect(before).toEqual({ body: { ...spec, stock: 250 }, status: 'paused' });
    expect(afterSide(moved, before)).toEqual({ body: after, status: 'valid' });
  });

  it('shows a close without a record as the same card, closed', () => {
    const close: TemplateChange = { ...moved, address: 'c/old', action: 'close', irreversible: true };
    delete close.record;
    delete close.movedFrom;
    const before = beforeSide(plan([close]), state(), close);
    expect(afterSide(close, before)).toEqual({ body: { ...spec, stock: 250 }, status: 'closed' });
  });

  it('escapes the texts of both sides and marks the changed field', () => {
    const html = planPreviewPages(plan([moved]), state(), 'index.html')[0]?.html ?? '';
    expect(html).toContain('Old &lt;name&gt;');
    expect(html).not.toContain('Old <name>');
    expect(html).toMatch(
      /class="field lc-name changed" data-field="localeInfo\.en_US\.name"><span class="txt">New name/,
    );
    expect(html).toMatch(
      /class="field lc-name" data-field="localeInfo\.en_US\.name"><span class="txt">Old &lt;name&gt;/,
    );
  });
});
