// Codes of the recipients CSV files: the file and its header (checked when campaigns load) and each
// row (checked when a plan counts the passes to issue). Diagnostics, each at file:line:col.
import { diagnostic as d, type ErrorCodeInfo } from './code-info.js';

const r = (meaning: string): ErrorCodeInfo => d('recipients', meaning);

export const RECIPIENT_CODES = {
  RECIPIENTS_NOT_FOUND: r("A pass batch's recipients file does not exist or cannot be read."),
  RECIPIENTS_ENCODING: r('A recipients file is not UTF-8 text.'),
  RECIPIENTS_NO_ID_COLUMN: r('The header row has no userId or openId column (or cannot be read as CSV).'),
  RECIPIENTS_UNKNOWN_COLUMN: r('A {{column}} the batch uses is not a column of the file.'),
  RECIPIENTS_CSV_INVALID: r('The file is not valid CSV at this line (an unclosed or stray quote …).'),
  RECIPIENTS_MORE_PROBLEMS: r('The file has more problems than are listed; they are counted in this one.'),
  RECIPIENT_COLUMN_COUNT: r('A row has a different number of values than the header has columns.'),
  RECIPIENT_NO_USER: r('A row has neither a userId nor an openId.'),
  RECIPIENT_USER_ID_TOO_LONG: r('A userId or openId is longer than AlipayHK allows.'),
  RECIPIENT_USER_ID_EXCEL: r("A userId is in Excel's scientific notation: its last digits are lost."),
  RECIPIENT_USER_ID_SHAPE: r('A userId is not 16 digits, the shape of every published AlipayHK user id.'),
  RECIPIENT_BIZ_SERIAL_ID_TOO_LONG: r('A bizSerialId is longer than AlipayHK allows.'),
  RECIPIENT_BIZ_SERIAL_ID_INVALID: r(
    'A bizSerialId is empty or holds a tab, line break or other control character.',
  ),
  RECIPIENT_CODE_INFO_TOO_LONG: r("With a row's values, codeInfo is longer than AlipayHK allows."),
  RECIPIENT_DATA_INFO_TOO_LONG: r("With a row's values, dataInfo is longer than AlipayHK allows."),
  RECIPIENT_DUPLICATE: r('A recipient (or bizSerialId) appears twice; a batch gives each one pass.'),
} satisfies Record<string, ErrorCodeInfo>;
