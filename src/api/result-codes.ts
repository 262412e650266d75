// Every result code the iPass docs list (protocol.md, seeds, other-endpoints.md; both spellings where
// pages disagree), with its kind, whether ipass retries it, and plain-words meaning and action.
import type { FailureKind } from './api-result.js';
import type { ResultStatus } from './endpoints.js';

export interface ResultCodeInfo {
  /** The status the docs give the code. */
  status: ResultStatus;
  kind: FailureKind | 'success';
  retryable: boolean;
  meaning: string;
  action: string;
  /** This spelling is a variant of that code (the docs spell it both ways). */
  sameAs?: string;
}

const business = (meaning: string, action: string): ResultCodeInfo => ({
  status: 'F',
  kind: 'business',
  retryable: false,
  meaning,
  action,
});
const credentials = (meaning: string, action: string): ResultCodeInfo => ({
  status: 'F',
  kind: 'credentials',
  retryable: false,
  meaning,
  action: `${action} No further requests are sent with these credentials in this run.`,
});
const clientBug = (meaning: string): ResultCodeInfo => ({
  status: 'F',
  kind: 'client-bug',
  retryable: false,
  meaning,
  action:
    'Check that `endpoint` in the config is the AlipayHK base URL (no path); if it is, this is a bug in ipass: report it with the Tracer-Id.',
});
const retry = (meaning: string, action: string): ResultCodeInfo => ({
  status: 'U',
  kind: 'unknown',
  retryable: true,
  meaning,
  action,
});
const alias = (info: ResultCodeInfo, sameAs: string): ResultCodeInfo => ({ ...info, sameAs });

const RERUN =
  'Run apply again later: the same requestId / bizSerialId is re-sent, so nothing is created twice.';
const FIX_FIELD = (field: string) =>
  `Fix ${field} in the campaign file (\`ipass validate\` checks the documented limits) and apply again.`;
const SENSITIVE = (what: string) => `AlipayHK's content check flagged ${what} as sensitive content.`;

const templateMissing = business(
  'AlipayHK has no template with this templateCode (for this merchant).',
  'Check the template reference and merchantId; `ipass plan --refresh` shows templates missing remotely, `ipass state rm` / `ipass state import` repair the state.',
);
const passExists = business(
  'A pass with this bizSerialId already exists for this template.',
  'If an earlier attempt of this same request was in doubt, the pass was issued by this run and is counted as issued. Otherwise the bizSerialId was used before: give the recipient another bizSerialId or drop the row.',
);
const userMissing = business(
  'AlipayHK knows no user with this userId / openId.',
  'Check the recipient row in the recipients CSV (openIds are per merchant; userIds are 16 digits).',
);
const passMissing = business(
  'AlipayHK has no pass with this passId.',
  'Check the passId (it is the one createPass returned) and the userId / openId it was issued to.',
);

export const RESULT_CODES: Readonly<Record<string, ResultCodeInfo>> = {
  SUCCESS: { status: 'S', kind: 'success', retryable: false, meaning: 'Done.', action: 'Nothing.' },

  // Gateway codes, all endpoints (protocol.md).
  PARAM_ILLEGAL: business(
    'AlipayHK rejected a field of the request as invalid (for example a non-numeric value, an invalid date, a value too long).',
    'Read the result message for the field, fix it in the campaign file and apply again; `ipass validate` catches most of these before sending.',
  ),
  PROCESS_FAIL: business(
    'AlipayHK could not carry out the request for a business reason it did not name.',
    'Read the result message; if it does not say why, ask AlipayHK support, quoting the Tracer-Id.',
  ),
  INVALID_SIGNATURE: credentials(
    'AlipayHK could not verify the request signature: the private key does not match the public key registered for this Client-Id and keyVersion.',
    'Check `privateKey` and `keyVersion` of this environment, and that AlipayHK has the matching public key (`ipass keys generate` makes a new pair).',
  ),
  INVALID_CLIENT: credentials(
    'AlipayHK does not know this Client-Id.',
    'Check `clientId` of this environment and that `endpoint` is the AlipayHK environment (test or production) the Client-Id belongs to.',
  ),
  KEY_NOT_FOUND: credentials(
    'AlipayHK has no public key registered for this Client-Id and keyVersion.',
    'Register your public key with AlipayHK, or set `keyVersion` to the version that is registered.',
  ),
  ACCESS_DENIED: credentials(
    'This Client-Id is not allowed to call this API for this merchant.',
    'Ask AlipayHK to grant the Client-Id access to iPass, and check `merchantId`.',
  ),
  INVALID_API: clientBug('The AlipayHK gateway does not know this API path.'),
  METHOD_NOT_SUPPORTED: clientBug('The AlipayHK gateway does not accept this HTTP method for this API.'),
  MEDIA_TYPE_NOT_ACCEPTABLE: clientBug('The AlipayHK gateway did not accept the request content type.'),
  REQUEST_TRAFFIC_EXCEED_LIMIT: retry(
    'AlipayHK is throttling this client: too many requests.',
    'ipass slowed down and retried. If it keeps happening, lower `requestsPerSecond` (and `concurrency`) of this environment.',
  ),
  UNKNOWN_EXCEPTION: retry(
    'AlipayHK failed for a reason it did not know; the request may or may not have been applied.',
    RERUN,
  ),
  SYSTEM_ERROR: retry('AlipayHK had a system error; the request may or may not have been applied.', RERUN),

  // createTemplate (seed 002); updateTemplate and switchStatus use the same checks.
  PASS_TEMPLATE_BTN_URL_ILLEGAL: business(
    'The button URL (button.btnUrl) is not a valid URL.',
    FIX_FIELD('button.btnUrl'),
  ),
  PASS_TEMPLATE_IMAGE_URL_ILLEGAL: business(
    'The image URL (imageUrl) is not a valid URL.',
    FIX_FIELD('imageUrl'),
  ),
  PASS_TEMPLATE_NAME_ILLEGAL: business(
    'A localized name (localeInfo.*.name) is empty or too long.',
    FIX_FIELD('localeInfo.*.name'),
  ),
  PASS_TEMPLATE_DESCRIPTION_ILLEGAL: business(
    'A localized description (localeInfo.*.description) is empty or too long.',
    FIX_FIELD('localeInfo.*.description'),
  ),
  PASS_TEMPLATE_BRAND_NAME_ILLEGAL: business(
    'A localized brand name (localeInfo.*.brandName) is empty or too long.',
    FIX_FIELD('localeInfo.*.brandName'),
  ),
  PASS_TEMPLATE_SHOP_ILLEGAL: business(
    'A localized shops text (localeInfo.*.shops) is empty or too long.',
    FIX_FIELD('localeInfo.*.shops'),
  ),
  PASS_TEMPLATE_TAG_LABEL_ILLEGAL: business(
    'A custom tab label (customTabs[].label) is empty or too long.',
    FIX_FIELD('customTabs[].label'),
  ),
  PASS_TEMPLATE_TAG_VALUE_ILLEGAL: business(
    'A custom tab URL (customTabs[].value) is not valid.',
    FIX_FIELD('customTabs[].value'),
  ),
  PASS_TEMPLATE_START_TIME_LESS_CURRENT: business(
    'The template starts in the past (startDate is before now).',
    'Move startDate to the future and apply again.',
  ),
  PASS_TEMPLATE_START_TIME_EXCEED: business(
    'The template starts later than AlipayHK allows (startDate too far in the future).',
    'Choose an earlier startDate and apply again.',
  ),
  PASS_TEMPLATE_TIME_INTERVAL_ILLEGAL: business(
    'AlipayHK does not accept the period between startDate and endDate (end before start, or too long).',
    'Fix startDate / endDate and apply again.',
  ),
  PASS_TEMPLATE_END_TIME_EXCEED: business(
    'The template ends later than AlipayHK allows (endDate too far in the future).',
    'Choose an earlier endDate and apply again.',
  ),
  PASS_TEMPLATE_IMAGE_INVALID: business(
    SENSITIVE('the template image'),
    'Use another image and apply again.',
  ),
  PASS_TEMPLATE_CUSTOMTAB_URL_INVALID: business(
    SENSITIVE('a custom tab URL'),
    'Change the custom tab URL and apply again.',
  ),
  PASS_TEMPLATE_BTN_URL_INVALID: business(
    SENSITIVE('the button URL'),
    'Change button.btnUrl and apply again.',
  ),
  PASS_TEMPLATE_CONTENT_INVALID: business(
    SENSITIVE('the template text'),
    'Reword the localized texts and apply again.',
  ),

  // switchStatus and updateBudget (other-endpoints.md).
  PASS_TEMPLATE_HAS_NOT_EXIT: templateMissing,
  PASS_TEMPLATE_HAS_NOT_EXIST: alias(templateMissing, 'PASS_TEMPLATE_HAS_NOT_EXIT'),
  // Not in the published pages (the budget rules are: updatebudget); the sandbox answers it.
  PASS_TEMPLATE_STOCK_NOT_ENOUGH: business(
    "The template's stock is used up: every pass it allows has been issued.",
    'Raise `stock` of the template in the campaign file and apply again; the recipients that failed are sent again.',
  ),
  PASS_TEMPLATE_STATUS_ILLEGAL: business(
    'AlipayHK does not accept this template status, or the template is in a status where this change is not allowed (closed, expired).',
    'Use status valid, paused or closed; `ipass plan --refresh` shows the remote status.',
  ),
  STATE_MACHINE_ILLEGAL: business(
    "The template's current status does not allow this change (closed and expired are final; a status cannot be set to itself).",
    'Run `ipass plan --refresh` to see the remote status and set `status` in the campaign file to match.',
  ),

  // createPass (seeds 000, 001).
  USER_NOT_EXIST: userMissing,
  USER_NOT_EXSITS: alias(userMissing, 'USER_NOT_EXIST'),
  PASS_HAS_EXIST: passExists,
  PASS_HAS_EXIT: alias(passExists, 'PASS_HAS_EXIST'),
  PASS_TYPE_NOT_MATCH: business(
    "The pass type does not match its template's type.",
    'Set `type` of the pass batch to the template type and apply again.',
  ),
  PASS_PRODUCT_TYPE_NOT_MATCH: business(
    "The pass product does not match its template's product.",
    'Set `product` of the pass batch to the template product and apply again.',
  ),
  PASS_TEMPLATE_JSON_CONTENT_IS_NULL: business(
    'The template has no content to build the pass from.',
    'Check the template with `ipass plan --refresh`; update its localeInfo, then issue again.',
  ),
  PASS_TEMPLATE_JSON_CONTENT_ILLEGAL: business(
    "The pass content (codeInfo / dataInfo) does not fit the template's placeholders.",
    'Check codeInfo ($codemsg$, $codevalue$) and the dataInfo placeholders of the pass batch against the template.',
  ),

  // updatePass (gcmc error handling).
  PASS_HAS_NOT_EXIST: passMissing,
  PASS_HAS_NOT_EXIT: alias(passMissing, 'PASS_HAS_NOT_EXIST'),
  PASS_IS_NULL: business('AlipayHK found no pass content for this passId.', passMissing.action),
  PASS_USED_OCCUPIED: business(
    'The pass has already been redeemed.',
    'Nothing to do if it was meant to be redeemed (a retry after a lost success ends here too); a redeemed pass cannot be changed.',
  ),
  PASS_UPDATE_FAIL: business(
    'Only an active pass can be changed; this one is already used, closed or refunded.',
    'Nothing to do if the pass is already in the wanted state; otherwise it cannot be changed any more.',
  ),
};

export interface ResultClassification {
  kind: FailureKind | 'success';
  retryable: boolean;
  meaning: string;
  action: string;
}

/** Known codes follow the catalog; unknown ones follow resultStatus (U → retry, F → business). */
export function classifyResult(code: string, status: ResultStatus): ResultClassification {
  const known = knownResultCode(code);
  if (status === 'S') return RESULT_CODES.SUCCESS as ResultCodeInfo;
  if (known && known.kind !== 'success') return known;
  if (status === 'U') {
    return {
      kind: 'unknown',
      retryable: true,
      meaning: `AlipayHK answered ${code} with status U (unknown): the request may or may not have been applied.`,
      action: RERUN,
    };
  }
  return {
    kind: 'business',
    retryable: false,
    meaning: `AlipayHK refused the request with ${code}, a code ipass does not know.`,
    action: 'Read the result message; if it does not say why, ask AlipayHK support, quoting the Tracer-Id.',
  };
}

export function knownResultCode(code: string): ResultCodeInfo | undefined {
  return Object.hasOwn(RESULT_CODES, code) ? RESULT_CODES[code] : undefined;
}

/**
 * createPass failures that re-sending the same row cannot turn into a pass: the user is unknown, the
 * bizSerialId is taken, the row's values are refused. A recipient failing with one is held back by
 * later applies until its row changes or `--retry-failed` (docs/passes.md). Template-wide codes,
 * status U, credentials and codes ipass does not know stay retried.
 */
const PERMANENT_PASS_CODES: ReadonlySet<string> = new Set([
  'USER_NOT_EXIST',
  'PARAM_ILLEGAL',
  'PASS_HAS_EXIST',
  'PASS_TEMPLATE_JSON_CONTENT_ILLEGAL',
]);

/** Whether a createPass failure with this code holds its recipient back (spelling variants included). */
export function isPermanentPassFailure(code: string): boolean {
  return PERMANENT_PASS_CODES.has(knownResultCode(code)?.sameAs ?? code);
}

export function isCredentialsCode(code: string): boolean {
  return knownResultCode(code)?.kind === 'credentials';
}
