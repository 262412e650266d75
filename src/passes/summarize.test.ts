import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesiredPassBatch } from '../campaign/types.js';
import { encodeFailureCode } from '../state/failure-code.js';
import { FileBackend } from '../state/file/file-backend.js';
import { FileLedgerWriter } from '../state/file/ledger-writer.js';
import { defaultLedgerPath } from '../state/ledger-format.js';
import { emptyState } from '../state/state-format.js';
import { deriveBizSerialId } from './biz-serial-id.js';
import { batchHashOf, rowHashOf } from './held-back.js';
import { batchContentJson } from './pass-content.js';
import { layoutOf } from './recipient-rows.js';
import { MAX_ROW_DIAGNOSTICS, summarizePassBatches } from './summarize.js';

/** A userId of the shape AlipayHK user ids have (16 digits), ending in `n`. */
const U = (n: string): string => `2160220037${n.padStart(6, '0')}`;

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/passes');
const at = { file: 'campaigns/c.yaml', line: 1, col: 1 };

function batch(recipients: string, over: Partial<DesiredPassBatch> = {}): DesiredPassBatch {
  return {
    address: 'c/gift',
    campaign: 'c',
    key: 'gift',
    file: 'campaigns/c.yaml',
    source: at,
    template: { address: 'c/tpl' },
    recipients,
    recipientsDisplay: 'recipients/gift.csv',
    type: 'COUPON',
    product: 'GIFT_CARD',
    codeInfo: { $codemsg$: '{{code}}', $codevalue$: '{{code}}' },
    fields: {},
    ...over,
  };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ipass-summarize-'));
  const stateDir = join(dir, '.ipass');
  mkdirSync(stateDir, { recursive: true });
  const csv = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ledgers = new FileBackend(stateDir, 'dev', dir).ledgers;
  const summarize = (batches: DesiredPassBatch[]) =>
    summarizePassBatches({ batches, state: emptyState('dev', 'L'), ledgers, environment: 'dev' });
  return { dir, stateDir, csv, summarize };
}

describe('summarizePassBatches', () => {
  it('reports each bad row at file:line:col with a stable code', async () => {
    const { summarize } = setup();
    const { summaries, diagnostics } = await summarize([batch(join(FIXTURES, 'rows-with-problems.csv'))]);
    expect(diagnostics.map((d) => [d.code, d.position?.file, d.position?.line, d.position?.col])).toEqual([
      ['RECIPIENT_NO_USER', 'recipients/gift.csv', 3, 1],
      ['RECIPIENT_COLUMN_COUNT', 'recipients/gift.csv', 4, 21],
      ['RECIPIENT_DUPLICATE', 'recipients/gift.csv', 5, 1],
      ['RECIPIENT_USER_ID_TOO_LONG', 'recipients/gift.csv', 11, 2],
    ]);
    expect(diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(diagnostics[2]?.message).toContain('line 2');
    expect(summaries.get('c/gift')).toMatchObject({
      recipients: 8,
      toIssue: 4,
      alreadyIssued: 0,
      removed: 0,
    });
  });

  it('counts issued, failed-before and removed rows against the ledger', async () => {
    const { csv, stateDir, summarize } = setup();
    const id = (u: string) => deriveBizSerialId('c/gift', { userId: u });
    const w = FileLedgerWriter.open(join(stateDir, defaultLedgerPath('dev', 'c/gift')), 'c/gift', undefined);
    w.template('TPL-1', 1);
    await w.intents([id(U('1001')), id(U('1002')), id(U('1003')), id(U('1009')), id(U('1004'))]);
    w.issued(id(U('1001')), 'P1', 1);
    w.failed(id(U('1002')), 'PROCESS_FAIL', 1); // not permanent: tried again
    w.issued(id(U('1009')), 'P9', 1); // no longer in the file
    await w.close(); // 1003 and 1004: intents without outcome (in doubt) are issued again
    const path = csv(
      'r.csv',
      `userId,code\n${['1001', '1002', '1003', '1004', '1005'].map((n, i) => `${U(n)},${'abcde'[i]}`).join('\n')}\n`,
    );
    const { summaries, diagnostics } = await summarize([batch(path)]);
    expect(diagnostics).toEqual([]);
    expect(summaries.get('c/gift')).toEqual({
      address: 'c/gift',
      recipients: 5,
      alreadyIssued: 1,
      toIssue: 4,
      removed: 1,
      failedBefore: 1,
      inDoubt: 2,
      issuedTotal: 2,
      ledgerTemplateCode: 'TPL-1',
      inDoubtLines: [4, 5],
      diagnostics: [],
    });
  });

  it('reports a header without an id column, an unknown column and invalid CSV', async () => {
    const { csv, summarize } = setup();
    const noId = await summarize([batch(csv('a.csv', 'user,code\n1,a\n'))]);
    expect(noId.diagnostics.map((d) => [d.code, d.position?.line])).toEqual([['RECIPIENTS_NO_ID_COLUMN', 1]]);
    const unknown = await summarize([batch(csv('b.csv', `userId,cod\n${U('1')},a\n`))]);
    expect(unknown.diagnostics.map((d) => d.code)).toEqual(['RECIPIENTS_UNKNOWN_COLUMN']);
    const broken = await summarize([batch(csv('c.csv', `userId,code\n${U('1')},a\n${U('2')},"b\n`))]);
    expect(broken.diagnostics.map((d) => [d.code, d.position?.line])).toEqual([
      ['RECIPIENTS_CSV_INVALID', 3],
    ]);
    const empty = await summarize([batch(csv('d.csv', ''))]);
    expect(empty.diagnostics.map((d) => d.code)).toEqual(['RECIPIENTS_NO_ID_COLUMN']);
    const missing = await summarize([batch(join(FIXTURES, 'no-such.csv'))]);
    expect(missing.diagnostics.map((d) => d.code)).toEqual(['RECIPIENTS_NOT_FOUND']);
  });
});

describe('summarizePassBatches: bizSerialIds, quotes, warnings and limits', () => {
  it('uses a bizSerialId column as is: the same id twice is a duplicate, the same user twice is not', async () => {
    const { csv, summarize } = setup();
    const path = csv(
      'r.csv',
      `userId,bizSerialId,code\n${U('1')},A,x\n${U('1')},B,y\n${U('2')},A,z\n${U('3')},${'x'.repeat(129)},w\n`,
    );
    const { diagnostics, summaries } = await summarize([batch(path)]);
    expect(diagnostics.map((d) => [d.code, d.position?.line, d.position?.col])).toEqual([
      ['RECIPIENT_DUPLICATE', 4, 1],
      ['RECIPIENT_BIZ_SERIAL_ID_TOO_LONG', 5, 18],
    ]);
    expect(summaries.get('c/gift')?.toIssue).toBe(2);
  });

  it('reads a quote inside an unquoted value as text, and stops at a row that never ends', async () => {
    const { csv, summarize } = setup();
    const path = csv('r.csv', `userId,code\n${U('1')},Ken "Bobby" Wong\n${U('2')},"quoted, with comma"\n`);
    const { diagnostics, summaries } = await summarize([batch(path)]);
    expect(diagnostics).toEqual([]);
    expect(summaries.get('c/gift')?.toIssue).toBe(2);
    const endless = csv('e.csv', `userId,code\n${U('1')},a\n${U('2')},"never closed${'x'.repeat(70_000)}\n`);
    const broken = await summarize([batch(endless)]);
    expect(broken.diagnostics).toEqual([
      expect.objectContaining({
        code: 'RECIPIENTS_CSV_INVALID',
        message: expect.stringContaining('a quoted value is probably never closed'),
        position: expect.objectContaining({ line: 3 }),
      }),
    ]);
  });

  it('reports a userId shape warning once per file, with the number of other rows', async () => {
    const { csv, summarize } = setup();
    const path = csv('r.csv', `userId,code\n${U('1')},a\n12345,b\n2.16022E+15,c\n777,d\n88,e\n`);
    const { diagnostics } = await summarize([batch(path)]);
    expect(diagnostics.map((d) => [d.severity, d.code, d.position?.line])).toEqual([
      ['error', 'RECIPIENT_USER_ID_EXCEL', 4],
      ['warning', 'RECIPIENT_USER_ID_SHAPE', 3],
    ]);
    expect(diagnostics[1]?.message).toMatch(/"12345" is not 16 digits.* 2 more row\(s\) of this file too\.$/);
  });

  it(`shows the first ${MAX_ROW_DIAGNOSTICS} row problems of a file and counts the rest`, async () => {
    const { csv, summarize } = setup();
    const rows = Array.from({ length: MAX_ROW_DIAGNOSTICS + 50 }, () => ',x');
    const { diagnostics } = await summarize([batch(csv('r.csv', `userId,code\n${rows.join('\n')}\n`))]);
    expect(diagnostics).toHaveLength(MAX_ROW_DIAGNOSTICS + 1);
    expect(diagnostics.at(-1)).toMatchObject({
      code: 'RECIPIENTS_MORE_PROBLEMS',
      message: expect.stringContaining('50'),
    });
  });
});

describe('summarizePassBatches: held-back rows', () => {
  it('holds back rows that failed permanently with the same row, unless --retry-failed', async () => {
    const { csv, stateDir } = setup();
    const id = (u: string) => deriveBizSerialId('c/gift', { userId: u });
    const path = csv(
      'h.csv',
      `userId,code\n${['2001', '2002', '2003', '2004'].map((n) => `${U(n)},x${n}`).join('\n')}\n`,
    );
    const b = batch(path);
    const layout = layoutOf(['userId', 'code'], ['code']).layout;
    if (!layout) throw new Error('no layout');
    const hashOf = (n: string, code: string) =>
      rowHashOf(batchHashOf(batchContentJson(b)), layout, {
        line: 2,
        userId: U(n),
        bizSerialId: id(U(n)),
        derived: true,
        fields: [U(n), code],
      });
    const w = FileLedgerWriter.open(join(stateDir, defaultLedgerPath('dev', 'c/gift')), 'c/gift', undefined);
    await w.intents(['2001', '2002', '2003', '2004'].map((n) => id(U(n))));
    w.failed(id(U('2001')), encodeFailureCode('USER_NOT_EXIST', hashOf('2001', 'x2001')), 1); // same row: held
    w.failed(id(U('2002')), encodeFailureCode('USER_NOT_EXIST', hashOf('2002', 'old')), 1); // row changed: sent
    w.failed(id(U('2003')), 'USER_NOT_EXSITS', 1); // no hash kept: held
    w.failed(id(U('2004')), 'SYSTEM_ERROR', 1); // not permanent: sent
    await w.close();
    const ledgers = new FileBackend(stateDir, 'dev', stateDir).ledgers;
    const run = async (retryFailed: boolean) =>
      (
        await summarizePassBatches({
          batches: [b],
          state: emptyState('dev', 'L'),
          ledgers,
          environment: 'dev',
          retryFailed,
        })
      ).summaries.get('c/gift');
    expect(await run(false)).toMatchObject({
      toIssue: 2,
      failedBefore: 2,
      heldBack: { count: 2, codes: { USER_NOT_EXIST: 1, USER_NOT_EXSITS: 1 } },
    });
    const all = await run(true);
    expect(all).toMatchObject({ toIssue: 4, failedBefore: 4 });
    expect(all).not.toHaveProperty('heldBack');
  });
});
