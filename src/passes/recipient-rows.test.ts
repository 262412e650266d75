import { describe, expect, it } from 'vitest';
import { deriveBizSerialId } from './biz-serial-id.js';
import { compileContent } from './placeholders.js';
import { columnOf, layoutOf, readRow } from './recipient-rows.js';

const content = compileContent({ codeInfo: { $codemsg$: '{{code}}', $codevalue$: '{{code}}' } });

describe('layoutOf', () => {
  it('finds the id columns and every placeholder column', () => {
    const { layout, problems } = layoutOf([' userId ', 'code', 'bizSerialId'], ['code', 'bizSerialId']);
    expect(problems).toEqual([]);
    expect(layout).toMatchObject({ userId: 0, openId: -1, bizSerialId: 2 });
    expect(layout?.columns.get('code')).toBe(1);
  });

  it('reports a header without userId/openId and placeholders naming no column', () => {
    const { layout, problems } = layoutOf(['user', 'code'], ['code', 'name', 'bizSerialId']);
    expect(layout).toBeUndefined();
    expect(problems.map((p) => p.code)).toEqual(['RECIPIENTS_NO_ID_COLUMN', 'RECIPIENTS_UNKNOWN_COLUMN']);
  });
});

/** A userId of the shape AlipayHK user ids have. */
const U1 = '2160220037090001';

describe('readRow', () => {
  const layout = layoutOf(['userId', 'openId', 'code'], ['code']).layout;
  if (!layout) throw new Error('layout');
  const read = (fields: string[]) => readRow(layout, 'c/b', content, fields, 7);

  it('reads the user and derives the bizSerialId from the userId when there is one', () => {
    const { recipient, problems } = read([' 2160220037090534 ', 'oid', 'C1']);
    expect(problems).toEqual([]);
    expect(recipient).toMatchObject({ line: 7, userId: '2160220037090534', openId: 'oid', derived: true });
    expect(recipient?.bizSerialId).toBe(deriveBizSerialId('c/b', { userId: '2160220037090534' }));
    expect(read(['', 'oid', 'C1']).recipient?.bizSerialId).toBe(deriveBizSerialId('c/b', { openId: 'oid' }));
  });

  it('warns of an invisible or direction-changing character in a value, and still reads the row', () => {
    const { recipient, problems } = read([U1, 'oid', 'C\u202e1']);
    expect(recipient).toBeDefined();
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'TEXT_INVISIBLE_CHARACTER', col: 22 }),
    ]);
    expect(problems[0]?.message).toContain(
      'The code value has an invisible or direction-changing character, <U+202E>, at character 2',
    );
  });

  it('reports a row without a user, with the column of the id', () => {
    expect(read(['', ' ', 'C1']).problems).toEqual([
      expect.objectContaining({ code: 'RECIPIENT_NO_USER', col: 1 }),
    ]);
  });

  it('reports ids longer than 32 characters and rows with the wrong number of values', () => {
    expect(read([U1, 'o'.repeat(33), 'C']).problems).toEqual([
      expect.objectContaining({ code: 'RECIPIENT_USER_ID_TOO_LONG', col: 18 }),
    ]);
    expect(read([U1, 'o']).problems).toEqual([expect.objectContaining({ code: 'RECIPIENT_COLUMN_COUNT' })]);
  });

  it('checks a bizSerialId column: at most 128 characters, not empty, no control characters', () => {
    const withId = layoutOf(['userId', 'bizSerialId'], []).layout;
    if (!withId) throw new Error('layout');
    const own = (id: string) => readRow(withId, 'c/b', content, [U1, id], 3);
    expect(own('ORDER-1').recipient).toMatchObject({ bizSerialId: 'ORDER-1', derived: false });
    expect(own('x'.repeat(129)).problems).toEqual([
      expect.objectContaining({ code: 'RECIPIENT_BIZ_SERIAL_ID_TOO_LONG', col: 18 }),
    ]);
    expect(own('').problems[0]?.code).toBe('RECIPIENT_BIZ_SERIAL_ID_INVALID');
    expect(own('a\u0007b').problems[0]?.code).toBe('RECIPIENT_BIZ_SERIAL_ID_INVALID');
  });

  it('reports a codeInfo that this row makes longer than 512 characters', () => {
    expect(read([U1, '', 'x'.repeat(250)]).problems).toEqual([
      expect.objectContaining({ code: 'RECIPIENT_CODE_INFO_TOO_LONG', col: 19 }),
    ]);
    expect(read([U1, '', 'x'.repeat(200)]).problems).toEqual([]);
  });

  it("refuses a userId in Excel's scientific notation, and warns about one of another shape", () => {
    const excel = read(['2.16022E+15', '', 'C']);
    expect(excel.recipient).toBeUndefined();
    expect(excel.problems).toEqual([expect.objectContaining({ code: 'RECIPIENT_USER_ID_EXCEL', col: 1 })]);
    const short = read(['12345', '', 'C']);
    expect(short.recipient).toMatchObject({ userId: '12345' });
    expect(short.problems).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'RECIPIENT_USER_ID_SHAPE', col: 1 }),
    ]);
    expect(read(['', 'any-open-id', 'C']).problems).toEqual([]);
  });

  it('counts columns as the position of the value in the line', () => {
    expect(columnOf(['ab', 'cde', 'f'], 2)).toBe(8);
  });
});
