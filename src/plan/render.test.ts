import { describe, expect, it } from 'vitest';
import type { TemplateBody } from '../campaign/types.js';
import { displayHongKongTime, formatMoney, formatReason, formatSummary } from './format-values.js';
import { summarize } from './make-plan.js';
import type { Plan, TemplateChange } from './plan-types.js';
import { MARKDOWN_LIMIT, renderPlanMarkdown } from './render-markdown.js';
import { describeBatch, renderPlanText } from './render-text.js';

const spec = { currencyCode: 'HKD', stock: 5 } as unknown as TemplateBody;

function change(i: number, over: Partial<TemplateChange> = {}): TemplateChange {
  return {
    address: `summer-2027/t-${String(i).padStart(5, '0')}`,
    action: 'update',
    irreversible: false,
    templateCode: `CODE${i}`,
    reasons: [
      { path: 'localeInfo.en_US.name', before: 'Coffee', after: `Coffee ${i}` },
      { path: 'currentAmountCent', before: 1000, after: 1250 },
    ],
    requests: [],
    record: { spec, status: 'valid', protect: false },
    ...over,
  };
}

function planOf(changes: TemplateChange[]): Plan {
  return {
    formatVersion: 1,
    environment: 'production',
    state: { lineage: 'l', serial: 3, exists: true },
    inputHash: 'h',
    refreshed: false,
    changes,
    passBatches: [
      {
        address: 'summer-2027/gift',
        action: 'issue',
        template: { address: 'summer-2027/t-00001' },
        recipients: 5000,
        alreadyIssued: 1000,
        toIssue: 4000,
        removed: 2,
        failedBefore: 0,
      },
    ],
    drift: [],
    diagnostics: [],
    summary: summarize(changes, 4000, 0),
  };
}

describe('value formatting', () => {
  it('shows dates in Hong Kong time and money as currency', () => {
    expect(displayHongKongTime(Date.parse('2027-06-01T00:00:00+08:00'))).toBe('2027-06-01 00:00 HKT');
    expect(formatMoney(123456, 'HKD')).toBe('HKD 1,234.56');
    expect(
      formatReason({
        path: 'startDate',
        before: Date.parse('2027-05-31T16:00:00Z'),
        after: Date.parse('2027-06-30T16:00:00Z'),
      }),
    ).toBe('startDate: 2027-06-01 00:00 HKT → 2027-07-01 00:00 HKT');
    expect(formatReason({ path: 'currentAmountCent', before: 1000, after: 1250 }, 'HKD')).toBe(
      'currentAmountCent: HKD 10.00 → HKD 12.50',
    );
    expect(
      formatSummary(summarize([change(1), change(2, { action: 'close', irreversible: true })], 3, 0)),
    ).toBe('1 to update, 1 to close, 3 passes to issue');
  });
});

describe('pass batch lines', () => {
  it('say what is re-sent: failed before, and an unknown outcome (absent in older saved plans)', () => {
    const batch = planOf([]).passBatches[0];
    if (!batch) throw new Error('fixture has a batch');
    expect(describeBatch({ ...batch, removed: 0, failedBefore: 3, inDoubt: 40 })).toBe(
      'issue 4,000 passes (1,000 already issued, left as they are; 3 failed before, tried again; 40 with an unknown outcome, sent again with the same bizSerialId)',
    );
    const { inDoubt: _, ...older } = { ...batch, inDoubt: 0 };
    expect(describeBatch(older)).toBe(
      'issue 4,000 passes (1,000 already issued, left as they are; 2 removed from the file: reported, not revoked (`revoked:` takes passes back))',
    );
  });
});

describe('text rendering', () => {
  it('marks each action with its symbol, lists changed fields, flags irreversible changes, ends with counts', () => {
    const text = renderPlanText(
      planOf([
        change(1),
        change(2, { action: 'replace', irreversible: true }),
        change(3, { action: 'noop', reasons: [] }),
      ]),
      { color: false },
    );
    expect(text).toContain('  ~ summer-2027/t-00001  update CODE1');
    expect(text).toContain('      currentAmountCent: HKD 10.00 → HKD 12.50');
    expect(text).toContain('  ± summer-2027/t-00002  replace CODE2 (irreversible)');
    expect(text).not.toContain('t-00003');
    expect(text).toContain(
      '  + summer-2027/gift  issue 4,000 passes (1,000 already issued, left as they are; 2 removed from the file: reported, not revoked (`revoked:` takes passes back))',
    );
    expect(text.trimEnd().split('\n').at(-2)).toBe('Plan: 1 to update, 1 to replace, 4,000 passes to issue.');
    expect(text).not.toContain('\u001b[');
    expect(renderPlanText(planOf([change(1)]), { color: true })).toContain('\u001b[33m');
  });
});

describe('markdown rendering', () => {
  it('leads with the summary line, then one table: a row per change, irreversible first, no codes', () => {
    const md = renderPlanMarkdown(planOf([change(1), change(2, { action: 'close', irreversible: true })]));
    expect(md.split('\n').slice(0, 7)).toEqual([
      '**ipass plan** for `production`: 1 to update, 1 to close, 4,000 passes to issue (⚠️ 1 irreversible).',
      '',
      '| | Address | Action | What changes |',
      '|---|---|---|---|',
      '| ⚠️ - | `summer-2027/t-00002` | **close (irreversible)** | localeInfo.en\\_US.name: "Coffee" → "Coffee 2"; currentAmountCent: HKD 10.00 → HKD 12.50 |',
      '| ~ | `summer-2027/t-00001` | update | localeInfo.en\\_US.name: "Coffee" → "Coffee 1"; currentAmountCent: HKD 10.00 → HKD 12.50 |',
      '| + | `summer-2027/gift` | issue | issue 4,000 passes (1,000 already issued, left as they are; 2 removed from the file: reported, not revoked (\\`revoked:\\` takes passes back)); 5,000 recipients |',
    ]);
    expect(md).not.toContain('CODE');
    // Nothing is long: no details.
    expect(md).not.toContain('<details>');
  });

  it('a create says what it will be; long values are shortened in the row and shown in full below', () => {
    const long = `${'Show this voucher at any shop. '.repeat(4)}The end.`;
    const create = change(3, {
      action: 'create',
      reasons: [
        { path: 'type', note: 'COUPON / GIFT_CARD, code qrcode (QRCODE)' },
        { path: 'name', note: 'en_US "Latte"' },
        { path: 'currentAmountCent', after: 2800 },
        { path: 'originalAmountCent', after: 3800 },
        { path: 'stock', after: 1000 },
        { path: 'startDate', after: Date.parse('2027-06-01T00:00:00+08:00') },
        { path: 'endDate', after: Date.parse('2027-08-31T23:59:00+08:00') },
      ],
      record: {
        spec: {
          currencyCode: 'HKD',
          stock: 1000,
          currentAmountCent: 2800,
          originalAmountCent: 3800,
          startDate: Date.parse('2027-06-01T00:00:00+08:00'),
          endDate: Date.parse('2027-08-31T23:59:00+08:00'),
        } as unknown as TemplateBody,
        status: 'valid',
        protect: false,
      },
    });
    const update = change(4, {
      reasons: [{ path: 'localeInfo.en_US.description', before: 'Short.', after: long }],
    });
    const md = renderPlanMarkdown(planOf([create, update]));
    expect(md).toContain(
      '| + | `summer-2027/t-00003` | create | COUPON / GIFT\\_CARD, code qrcode (QRCODE) · en\\_US "Latte" · HKD 28.00 (original HKD 38.00), stock 1,000, 2027-06-01 00:00 HKT → 2027-08-31 23:59 HKT |',
    );
    expect(md).toContain(
      'localeInfo.en\\_US.description: "Short." → "Show this voucher at any shop. Show this voucher at any sho…"',
    );
    expect(md).toContain('<details><summary>summer-2027/t-00004: localeInfo.en_US.description</summary>');
    expect(md).toContain(`  after:  ${JSON.stringify(long)}`);
    expect(md.match(/<details>/g)).toHaveLength(1);
  });

  it('never exceeds the comment limit, and says what it left out', () => {
    const many = Array.from({ length: 3000 }, (_, i) => change(i));
    const md = renderPlanMarkdown(planOf(many));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md.split('\n')[0]).toContain('3,000 to update');
    expect(md).toMatch(/more not shown|more changes are not shown/);
    const small = renderPlanMarkdown(planOf(many.slice(0, 5)), 1200);
    expect(small.length).toBeLessThanOrEqual(1200);
  });
});

describe('markdown: user text and irreversible changes', () => {
  const tricky = 'Buy *now* | <b>bold</b> `tick` [link](https://example.com) ~~gone~~ $5 & $6';
  const markdownPlan = () =>
    planOf([
      change(1, {
        reasons: [{ path: 'localeInfo.en_US.name', before: 'Coffee', after: tricky }],
        customerImpact: { passes: 0, text: `Note ${tricky}` },
      }),
      change(2, {
        action: 'close',
        irreversible: true,
        customerImpact: { passes: 1204, text: 'Customers hold 1,204 passes of this template.' },
      }),
    ]);

  it('renders user text as written: no emphasis, HTML, links, math, or extra table cells', async () => {
    const { marked } = await import('marked');
    const md = renderPlanMarkdown(markdownPlan());
    const html = await marked.parse(md, { gfm: true });
    // (A bare URL is still linked, as GitHub does; the [text](url) around it is not.)
    expect(html).not.toMatch(/<em>|<strong>now|<b>|>link<\/a>|<del>|<code>tick<\/code>/);
    // Every table row keeps its four cells.
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(
      (m) => (m[1]?.match(/<t[dh][ >]/g) ?? []).length,
    );
    expect(rows.length).toBeGreaterThan(2);
    expect(new Set(rows)).toEqual(new Set([4]));
    const text = html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(text).toContain('Buy *now* | <b>bold</b> `tick` [link](https://example.com) ~~gone~~ $5 & $6');
  });

  it('counts the irreversible changes in the summary, and puts their rows first, marked', () => {
    const md = renderPlanMarkdown(markdownPlan());
    const lines = md.split('\n');
    expect(lines[0]).toContain('(⚠️ 1 irreversible)');
    expect(lines[4]).toMatch(
      /^\| ⚠️ - \| `summer-2027\/t-00002` \| \*\*close \(irreversible\)\*\* \| \*\*Customers hold 1,204 passes of this template\.\*\*; /,
    );
    expect(lines[5]).toMatch(/^\| ~ \| `summer-2027\/t-00001` \| update \| /);
  });

  it('says a plan with errors cannot be applied, never "no changes"', () => {
    const plan = planOf([]);
    plan.passBatches = [];
    plan.summary = summarize([], 0, 0);
    plan.diagnostics = [{ severity: 'error', code: 'TEMPLATE_MISSING_FROM_FILES', message: 'gone' }];
    const md = renderPlanMarkdown(plan);
    expect(md.split('\n')[0]).toBe('**ipass plan** for `production`: **1 error, so it cannot be applied**.');
    expect(md).not.toContain('no changes');
  });
});
