// Recipients CSV rows as the passes module reads them (pure): the header's layout, and per row the
// user, the bizSerialId (own column or derived) and the problems found, each with its column.

import { API_LIMITS, userIdProblem } from '../api/api-limits.js';
import type { ErrorCode } from '../diagnostics/error-codes.js';
import { excerpt, invisibleCharacters, visibleCodePoint } from '../diagnostics/terminal-text.js';
import { bizSerialIdProblem, deriveBizSerialId, MAX_BIZ_SERIAL_ID } from './biz-serial-id.js';
import { type CompiledContent, filledLength, type Lookup } from './placeholders.js';

/** Placeholders that need no column. */
export const BUILT_IN_PLACEHOLDERS: ReadonlySet<string> = new Set(['bizSerialId']);

const MAX_USER_ID = API_LIMITS.userIdLength.value;
const MAX_CODE_INFO = 512;
const MAX_DATA_INFO = 8192;

export interface RecipientLayout {
  header: readonly string[];
  userId: number;
  openId: number;
  bizSerialId: number;
  /** Column index of every placeholder name that is a column. */
  columns: ReadonlyMap<string, number>;
}

export interface HeaderProblem {
  code: ErrorCode;
  message: string;
  hint: string;
}

/** The layout of a header row, or the problems that make the file unusable. */
export function layoutOf(
  header: readonly string[],
  placeholders: readonly string[],
): { layout: RecipientLayout | undefined; problems: HeaderProblem[] } {
  const names = header.map((c) => c.trim());
  const problems: HeaderProblem[] = [];
  const index = (name: string): number => names.indexOf(name);
  if (index('userId') === -1 && index('openId') === -1) {
    problems.push({
      code: 'RECIPIENTS_NO_ID_COLUMN',
      message: `The header row (${names.join(', ')}) has no userId or openId column.`,
      hint: 'Make the first line name the columns, with userId (AlipayHK user id) or openId among them.',
    });
  }
  const columns = new Map<string, number>();
  for (const name of placeholders) {
    if (BUILT_IN_PLACEHOLDERS.has(name) && index(name) === -1) continue;
    const i = index(name);
    if (i === -1) {
      problems.push({
        code: 'RECIPIENTS_UNKNOWN_COLUMN',
        message: `{{${name}}} names no column of this file.`,
        hint: `Columns: ${names.join(', ')}. Add the column, or fix the placeholder in the campaign file.`,
      });
    } else {
      columns.set(name, i);
    }
  }
  if (problems.length > 0) return { layout: undefined, problems };
  const layout: RecipientLayout = {
    header: names,
    userId: index('userId'),
    openId: index('openId'),
    bizSerialId: index('bizSerialId'),
    columns,
  };
  return { layout, problems };
}

export interface Recipient {
  /** First line of the row in the file (1-based). */
  line: number;
  userId?: string;
  openId?: string;
  bizSerialId: string;
  /** True when bizSerialId was derived (the CSV has no bizSerialId column). */
  derived: boolean;
  fields: readonly string[];
}

export interface RowProblem {
  /** Absent for an error (the row is not issued); a warning leaves the row in. */
  severity?: 'warning';
  code: ErrorCode;
  message: string;
  hint: string;
  /** 1-based column of the offending value (counted as if no value were quoted). */
  col: number;
}

/** Column of field `index` in a row, assuming unquoted values. */
export function columnOf(fields: readonly string[], index: number): number {
  let col = 1;
  for (let i = 0; i < index && i < fields.length; i++) col += (fields[i]?.length ?? 0) + 1;
  return col;
}

/** The recipient of one data row, or the problems that keep it from being issued. */
export function readRow(
  layout: RecipientLayout,
  address: string,
  content: CompiledContent,
  fields: readonly string[],
  line: number,
): { recipient: Recipient | undefined; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem: Report = (code, column, message, hint) => {
    problems.push({ code, message, hint, col: columnOf(fields, column) });
  };
  if (fields.length !== layout.header.length) {
    const short = fields.length < layout.header.length;
    problems.push({
      code: 'RECIPIENT_COLUMN_COUNT',
      message: `This row has ${fields.length} values, but the header has ${layout.header.length} columns.`,
      hint: 'Give every row one value per header column (quote values that contain commas).',
      // Where the missing value would start (end of the line), or the first value too many.
      col: short ? columnOf(fields, fields.length) - 1 : columnOf(fields, layout.header.length),
    });
    return { recipient: undefined, problems };
  }
  invisibleInRow(layout, fields, problems);
  const userId = layout.userId === -1 ? '' : (fields[layout.userId] ?? '').trim();
  const openId = layout.openId === -1 ? '' : (fields[layout.openId] ?? '').trim();
  const idColumn = layout.userId !== -1 ? layout.userId : layout.openId;
  if (userId === '' && openId === '') {
    problem(
      'RECIPIENT_NO_USER',
      idColumn,
      'This row has no userId or openId.',
      'Fill in the AlipayHK userId (or the openId) of the recipient, or delete the row.',
    );
  }
  for (const [name, value, column] of [
    ['userId', userId, layout.userId],
    ['openId', openId, layout.openId],
  ] as const) {
    if (value.length > MAX_USER_ID) {
      problem(
        'RECIPIENT_USER_ID_TOO_LONG',
        column,
        `The ${name} "${value.slice(0, 40)}…" has ${value.length} characters; AlipayHK allows at most ${MAX_USER_ID}.`,
        `Check the ${name} column: it should hold one id per row.`,
      );
    }
  }
  const derived = layout.bizSerialId === -1;
  let bizSerialId = derived ? '' : ownBizSerialId(layout, fields, problem);
  if (userId !== '' && userId.length <= MAX_USER_ID) userIdShape(userId, layout.userId, fields, problems);
  if (problems.some(isError)) return { recipient: undefined, problems };
  const user = userId !== '' ? { userId } : { openId };
  if (derived) bizSerialId = deriveBizSerialId(address, user);
  const recipient: Recipient = { line, bizSerialId, derived, fields };
  if (userId !== '') recipient.userId = userId;
  if (openId !== '') recipient.openId = openId;

  contentLengths(layout, content, recipient, problem);
  return problems.some(isError) ? { recipient: undefined, problems } : { recipient, problems };
}

type Report = (code: ErrorCode, column: number, message: string, hint: string) => void;

/** The row's own bizSerialId (a bizSerialId column), reporting one the API would refuse. */
function ownBizSerialId(layout: RecipientLayout, fields: readonly string[], problem: Report): string {
  const bizSerialId = (fields[layout.bizSerialId] ?? '').trim();
  const bad = bizSerialIdProblem(bizSerialId);
  if (bad) {
    const what =
      bad === 'empty'
        ? 'is empty'
        : bad === 'too-long'
          ? `has ${bizSerialId.length} characters; AlipayHK allows at most ${MAX_BIZ_SERIAL_ID}`
          : 'contains a tab, line break or other control character';
    problem(
      bad === 'too-long' ? 'RECIPIENT_BIZ_SERIAL_ID_TOO_LONG' : 'RECIPIENT_BIZ_SERIAL_ID_INVALID',
      layout.bizSerialId,
      `The bizSerialId ${what}.`,
      'Give every row its own bizSerialId of 1–128 characters, or drop the bizSerialId column to have ipass derive one from the batch and the user.',
    );
  }
  return bizSerialId;
}

/** codeInfo and dataInfo as this row fills them must stay within the API's lengths. */
function contentLengths(
  layout: RecipientLayout,
  content: CompiledContent,
  recipient: Recipient,
  problem: Report,
): void {
  const lookup = lookupFor(layout, recipient);
  const codeInfo = filledLength(content.codeInfo, lookup);
  if (codeInfo > MAX_CODE_INFO) {
    problem(
      'RECIPIENT_CODE_INFO_TOO_LONG',
      firstColumn(layout, content.codeInfo.names),
      `With this row's values, codeInfo has ${codeInfo} characters as JSON; AlipayHK allows at most ${MAX_CODE_INFO}.`,
      'Shorten the values this row puts into codeInfo.',
    );
  }
  const dataInfo = content.dataInfo ? filledLength(content.dataInfo, lookup) : 0;
  if (dataInfo > MAX_DATA_INFO) {
    problem(
      'RECIPIENT_DATA_INFO_TOO_LONG',
      firstColumn(layout, content.dataInfo?.names ?? []),
      `With this row's values, dataInfo has ${dataInfo} characters as JSON; AlipayHK allows at most ${MAX_DATA_INFO}.`,
      'Shorten the values this row puts into dataInfo.',
    );
  }
}

const isError = (p: RowProblem): boolean => p.severity !== 'warning';

/** The first value of the row with an invisible or direction-changing character, as a warning. */
function invisibleInRow(layout: RecipientLayout, fields: readonly string[], problems: RowProblem[]): void {
  for (let i = 0; i < fields.length; i++) {
    const [found] = invisibleCharacters(fields[i] ?? '', 1);
    if (!found) continue;
    problems.push({
      severity: 'warning',
      code: 'TEXT_INVISIBLE_CHARACTER',
      message: `The ${excerpt(layout.header[i] ?? `column ${i + 1}`)} value has an invisible or direction-changing character, ${visibleCodePoint(found.code)}, at character ${found.index}: the pass shows the text other than it reads here.`,
      hint: 'Delete the character from the recipients file, unless it is there on purpose.',
      col: columnOf(fields, i),
    });
    return;
  }
}

/** A userId Excel turned into a number (an error: its digits are lost), or of another shape (a warning). */
function userIdShape(
  userId: string,
  column: number,
  fields: readonly string[],
  problems: RowProblem[],
): void {
  const bad = userIdProblem(userId);
  if (bad === 'scientific') {
    problems.push({
      code: 'RECIPIENT_USER_ID_EXCEL',
      message: `The userId "${userId}" is a number in Excel's scientific notation: the id's last digits are lost, so no pass can reach that user.`,
      hint: 'Export the ids again from where they come from. In Excel, set the userId column to Text before pasting or importing (Data > From Text/CSV > column type Text), then save as "CSV UTF-8".',
      col: columnOf(fields, column),
    });
  } else if (bad === 'shape') {
    problems.push({
      severity: 'warning',
      code: 'RECIPIENT_USER_ID_SHAPE',
      message: `The userId "${userId}" is not 16 digits, the shape every published AlipayHK user id has (e.g. 2160120037098191); AlipayHK will probably answer USER_NOT_EXIST.`,
      hint: `Check the ids in this column (an openId belongs in an openId column). This rule is inferred: ${API_LIMITS.userIdShape.basis}.`,
      col: columnOf(fields, column),
    });
  }
}

function firstColumn(layout: RecipientLayout, names: readonly string[]): number {
  for (const name of names) {
    const i = layout.columns.get(name);
    if (i !== undefined) return i;
  }
  return 0;
}

/** The value of a placeholder for this recipient. */
export function lookupFor(layout: RecipientLayout, recipient: Recipient): Lookup {
  return (name) => {
    if (name === 'bizSerialId') return recipient.bizSerialId;
    const i = layout.columns.get(name);
    return i === undefined ? '' : (recipient.fields[i] ?? '');
  };
}

/** How a recipient is named in messages and the failures file. */
export function describeUser(r: { userId?: string; openId?: string }): string {
  return r.userId !== undefined ? `userId ${r.userId}` : `openId ${r.openId ?? ''}`;
}
