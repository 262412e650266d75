// Every result code the sandbox answers with, its resultStatus and resultMessage, as the API docs
// spell them (docs/api/). Invented codes are marked in docs/sandbox.md.
import type { ResultInfo, ResultStatus } from '../api/endpoints.js';

const CODES = {
  SUCCESS: ['S', 'success'],
  PARAM_ILLEGAL: ['F', 'request parameter illegal'],
  PROCESS_FAIL: ['F', 'business process failed'],
  UNKNOWN_EXCEPTION: ['U', 'API failed due to unknown reason'],
  SYSTEM_ERROR: ['U', 'system error'],
  // gateway
  INVALID_SIGNATURE: ['F', 'invalid signature'],
  INVALID_CLIENT: ['F', 'invalid client'],
  KEY_NOT_FOUND: ['F', 'key not found'],
  ACCESS_DENIED: ['F', 'access denied'],
  INVALID_API: ['F', 'invalid api'],
  METHOD_NOT_SUPPORTED: ['F', 'method not supported'],
  MEDIA_TYPE_NOT_ACCEPTABLE: ['F', 'media type not acceptable'],
  // templates
  PASS_TEMPLATE_BTN_URL_ILLEGAL: ['F', 'pass template button url format illegal'],
  PASS_TEMPLATE_IMAGE_URL_ILLEGAL: ['F', 'pass template image url format illegal'],
  PASS_TEMPLATE_NAME_ILLEGAL: ['F', 'pass template name format illegal'],
  PASS_TEMPLATE_DESCRIPTION_ILLEGAL: ['F', 'pass template description format illegal'],
  PASS_TEMPLATE_BRAND_NAME_ILLEGAL: ['F', 'pass template brand name format illegal'],
  PASS_TEMPLATE_SHOP_ILLEGAL: ['F', 'pass template shops format illegal'],
  PASS_TEMPLATE_TAG_LABEL_ILLEGAL: ['F', 'pass template custom label format illegal'],
  PASS_TEMPLATE_TAG_VALUE_ILLEGAL: ['F', 'pass template custom value format illegal'],
  PASS_TEMPLATE_START_TIME_LESS_CURRENT: ['F', 'pass template start date less than the current time'],
  PASS_TEMPLATE_START_TIME_EXCEED: ['F', 'The start time of gift card template exceeds the allowable range'],
  PASS_TEMPLATE_TIME_INTERVAL_ILLEGAL: [
    'F',
    'The start and end time interval of gift card template is illegal',
  ],
  PASS_TEMPLATE_END_TIME_EXCEED: ['F', 'The end time of gift card template exceeds the allowable range'],
  PASS_TEMPLATE_IMAGE_INVALID: ['F', 'The picture of the gift card template contains sensitive content'],
  PASS_TEMPLATE_CUSTOMTAB_URL_INVALID: [
    'F',
    'The custom url of the gift card template contains sensitive content',
  ],
  PASS_TEMPLATE_BTN_URL_INVALID: ['F', 'The button url of the gift card template contains sensitive content'],
  PASS_TEMPLATE_CONTENT_INVALID: ['F', 'The gift card template text contains sensitive content'],
  PASS_TEMPLATE_HAS_NOT_EXIT: ['F', 'pass template not exist'],
  PASS_TEMPLATE_STATUS_ILLEGAL: ['F', 'pass template status illegal'],
  STATE_MACHINE_ILLEGAL: ['F', 'state machine check failed'],
  PASS_TEMPLATE_STOCK_NOT_ENOUGH: ['F', 'pass template available stock is not enough'],
  // passes
  USER_NOT_EXIST: ['F', "This user doesn't exist."],
  USER_NOT_EXSITS: ['F', 'user does not exist'],
  PASS_HAS_EXIST: ['F', 'Pass has been created.'],
  PASS_TYPE_NOT_MATCH: ['F', "Type of pass doesn't match."],
  PASS_PRODUCT_TYPE_NOT_MATCH: ['F', "Product type of this pass doesn't match."],
  PASS_HAS_NOT_EXIST: ['F', 'pass does not exist'],
  PASS_USED_OCCUPIED: ['F', 'pass already redeemed'],
  PASS_UPDATE_FAIL: ['F', "status update failed; only a pass in 'active' status can be updated"],
} as const satisfies Record<string, readonly [ResultStatus, string]>;

export type ResultCode = keyof typeof CODES;

/** Every code the sandbox can answer. */
export const RESULT_CODES: readonly ResultCode[] = Object.keys(CODES) as ResultCode[];

/** A failed (or unknown) outcome of a rule: the code plus, optionally, a more precise message. */
export interface Failure {
  code: ResultCode;
  message?: string;
}

export function resultInfo(code: ResultCode, message?: string): ResultInfo {
  const [status, text] = CODES[code];
  return { resultCode: code, resultStatus: status, resultMessage: message ?? text };
}

export function fail(code: ResultCode, message?: string): Failure {
  return message === undefined ? { code } : { code, message };
}
