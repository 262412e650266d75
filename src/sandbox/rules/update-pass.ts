// updatePass (other-endpoints §5): USED, CLOSED, REFUND or UPDATE an issued pass. Only an active pass
// changes; a used one answers PASS_USED_OCCUPIED, a closed or refunded one PASS_UPDATE_FAIL.
import type { PassStatus, SandboxEvent, StoredPass } from '../store.js';
import {
  checkFields,
  epochMs,
  type FieldRule,
  isObject,
  type JsonObject,
  object,
  oneOf,
  text,
} from './fields.js';
import { failed, findTemplate, type Handler, type Outcome, succeeded } from './handler.js';
import { readUser, USER_REQUIRED, userExists } from './users.js';

/** Requested change → the pass status it leads to. */
const CHANGES: Readonly<Record<string, PassStatus>> = {
  USED: 'used',
  CLOSED: 'closed',
  REFUND: 'refunded',
  UPDATE: 'active',
};

export const UPDATE_DETAIL_TYPES = [
  'UPDATE_TEMPLATE',
  'UPDATE_DATA_INFO',
  'UPDATE_VALIDITY',
  'UPDATE_AIR_TICKET',
  'UPDATE_TRAIN_TICKET',
  'UPDATE_BUS_TICKET',
  'UPDATE_SHIP_TICKET',
  'UPDATE_MOVIE',
  'UPDATE_PASS',
] as const;

const RULES: readonly FieldRule[] = [
  { field: 'passId', code: 'PARAM_ILLEGAL', required: true, check: text(32) },
  { field: 'status', code: 'PARAM_ILLEGAL', required: true, check: oneOf(Object.keys(CHANGES)) },
  { field: 'passVerifyCode', code: 'PARAM_ILLEGAL', required: false, check: text(128) },
  { field: 'bizDate', code: 'PARAM_ILLEGAL', required: false, check: epochMs },
  { field: 'endDate', code: 'PARAM_ILLEGAL', required: false, check: epochMs },
  { field: 'dataInfo', code: 'PARAM_ILLEGAL', required: false, check: object },
];

const UPDATE_RULES: readonly FieldRule[] = [
  { field: 'updateDetailType', code: 'PARAM_ILLEGAL', required: true, check: oneOf(UPDATE_DETAIL_TYPES) },
];

export const updatePass: Handler = (ctx) => {
  const { body, store, now } = ctx;
  const user = readUser(body);
  if (!user) return failed({ code: 'PARAM_ILLEGAL', message: USER_REQUIRED });
  const bad =
    checkFields(body, RULES) ?? (body.status === 'UPDATE' ? checkFields(body, UPDATE_RULES) : undefined);
  if (bad) return failed(bad);
  if (!userExists(user)) return failed({ code: 'USER_NOT_EXSITS' });

  // `templateId` is the older name of templateCode (Antom sample).
  const templateCode = body.templateCode ?? body.templateId;
  if (templateCode !== undefined && templateCode !== null) {
    const found = findTemplate(ctx, templateCode);
    if ('failure' in found) return failed(found.failure);
  }
  const pass = store.passById(body.passId as string);
  const owner = pass && store.template(pass.templateCode);
  const belongs =
    pass !== undefined &&
    owner?.merchantId === ctx.merchantId &&
    (templateCode === undefined || templateCode === null || templateCode === pass.templateCode) &&
    (user.userId === undefined || pass.userId === undefined || user.userId === pass.userId) &&
    (user.openId === undefined || pass.openId === undefined || user.openId === pass.openId);
  if (!pass || !belongs) return failed({ code: 'PASS_HAS_NOT_EXIST' });

  if (pass.status === 'used') return failed({ code: 'PASS_USED_OCCUPIED' });
  if (pass.status !== 'active')
    return failed({ code: 'PASS_UPDATE_FAIL', message: `pass is ${pass.status}` });
  const status = CHANGES[body.status as string] ?? 'active';
  if (body.status !== 'UPDATE')
    return succeeded(undefined, { e: 'passStatus', at: now, passId: pass.passId, status });
  return contentUpdate(body, pass, now);
};

/**
 * UPDATE_DATA_INFO needs dataInfo, UPDATE_VALIDITY an endDate. An UPDATE that sets what the pass
 * already shows succeeds and changes nothing (it does not count as an update).
 */
function contentUpdate(body: JsonObject, pass: StoredPass, now: number): Outcome {
  const event: SandboxEvent = { e: 'passStatus', at: now, passId: pass.passId, status: 'active' };
  if (body.updateDetailType === 'UPDATE_DATA_INFO') {
    if (!isObject(body.dataInfo))
      return failed({ code: 'PARAM_ILLEGAL', message: 'dataInfo is required for UPDATE_DATA_INFO' });
    event.dataInfo = body.dataInfo;
  }
  if (body.updateDetailType === 'UPDATE_VALIDITY' && typeof body.endDate !== 'number')
    return failed({ code: 'PARAM_ILLEGAL', message: 'endDate is required for UPDATE_VALIDITY' });
  if (typeof body.endDate === 'number') event.endDate = body.endDate;
  const changed =
    (event.dataInfo !== undefined && JSON.stringify(event.dataInfo) !== JSON.stringify(pass.dataInfo)) ||
    (event.endDate !== undefined && event.endDate !== pass.endDate);
  if (changed) event.update = true;
  return succeeded(undefined, event);
}
