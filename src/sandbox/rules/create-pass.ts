// createPass (seeds 000/001): one pass per (template, bizSerialId) — a repeat is PASS_HAS_EXIST even
// after the template paused or ran out — for an existing user, from a valid template with stock left.
import { effectiveStatus, type NewPass } from '../store.js';
import { checkFields, epochMs, type FieldRule, isObject, oneOf, text } from './fields.js';
import { failed, findTemplate, type Handler, succeeded } from './handler.js';
import { readUser, USER_REQUIRED, userExists } from './users.js';

const RULES: readonly FieldRule[] = [
  { field: 'templateCode', code: 'PARAM_ILLEGAL', required: true, check: text(32) },
  { field: 'bizSerialId', code: 'PARAM_ILLEGAL', required: true, check: text(128) },
  { field: 'bizSerialType', code: 'PARAM_ILLEGAL', required: true, check: oneOf(['OUT_PLAT_FORM']) },
  { field: 'startDate', code: 'PARAM_ILLEGAL', required: true, check: epochMs },
  { field: 'endDate', code: 'PARAM_ILLEGAL', required: true, check: epochMs },
  { field: 'bizCreate', code: 'PARAM_ILLEGAL', required: true, check: epochMs },
  { field: 'type', code: 'PARAM_ILLEGAL', required: false, check: text(32) },
  { field: 'product', code: 'PARAM_ILLEGAL', required: false, check: text(32) },
  { field: 'codeInfo', code: 'PARAM_ILLEGAL', required: true, check: jsonObject(512) },
  { field: 'dataInfo', code: 'PARAM_ILLEGAL', required: false, check: jsonObject(8192) },
  { field: 'extInfo', code: 'PARAM_ILLEGAL', required: false, check: jsonString },
  { field: 'publishScene', code: 'PARAM_ILLEGAL', required: false, check: oneOf(['FREE_GIVE']) },
];

/** An object, or a string holding one (seed 000 types codeInfo as a JSON string), ≤ max as JSON. */
function jsonObject(max: number) {
  return (v: unknown): string | undefined => {
    let value = v;
    if (typeof v === 'string') {
      try {
        value = JSON.parse(v);
      } catch {
        return 'must be a JSON object';
      }
    }
    if (!isObject(value)) return 'must be a JSON object';
    const size = typeof v === 'string' ? v.length : JSON.stringify(value).length;
    return size > max ? `must be at most ${max} characters as JSON (has ${size})` : undefined;
  };
}

/** dataInfo as an object (seed 000 may send it as a JSON string; checked before). */
function asObject(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

function jsonString(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'must be a string holding JSON';
  try {
    return isObject(JSON.parse(v)) ? undefined : 'must hold a JSON object';
  } catch {
    return 'must be a string holding JSON';
  }
}

export const createPass: Handler = (ctx) => {
  const { body, store, now } = ctx;
  const user = readUser(body);
  if (!user) return failed({ code: 'PARAM_ILLEGAL', message: USER_REQUIRED });
  const bad = checkFields(body, RULES);
  if (bad) return failed(bad);
  if ((body.startDate as number) >= (body.endDate as number)) {
    return failed({ code: 'PARAM_ILLEGAL', message: 'startDate must be before endDate' });
  }
  const found = findTemplate(ctx, body.templateCode);
  if ('failure' in found) return failed(found.failure);
  const t = found.template;
  if (body.type !== undefined && body.type !== null && body.type !== t.type) {
    return failed({ code: 'PASS_TYPE_NOT_MATCH', message: `template type is ${t.type}` });
  }
  if (body.product !== undefined && body.product !== null && body.product !== t.product) {
    return failed({ code: 'PASS_PRODUCT_TYPE_NOT_MATCH', message: `template product is ${t.product}` });
  }
  if (t.type === 'TICKET' && !isObject(body.dataInfo) && typeof body.dataInfo !== 'string') {
    return failed({ code: 'PARAM_ILLEGAL', message: 'dataInfo is required for TICKET passes' });
  }
  if (!userExists(user)) return failed({ code: 'USER_NOT_EXIST' });
  const bizSerialId = body.bizSerialId as string;
  if (store.pass(t.templateCode, bizSerialId)) return failed({ code: 'PASS_HAS_EXIST' });
  const status = effectiveStatus(t, now);
  if (status !== 'valid') {
    return failed({ code: 'PASS_TEMPLATE_STATUS_ILLEGAL', message: `template is ${status}, not valid` });
  }
  if (t.issued >= t.stock) return failed({ code: 'PASS_TEMPLATE_STOCK_NOT_ENOUGH' });

  const pass: NewPass = {
    passId: store.nextPassId(now),
    templateCode: t.templateCode,
    bizSerialId,
    startDate: body.startDate as number,
    endDate: body.endDate as number,
  };
  if (user.userId !== undefined) pass.userId = user.userId;
  if (user.openId !== undefined) pass.openId = user.openId;
  if (body.dataInfo !== undefined && body.dataInfo !== null) pass.dataInfo = asObject(body.dataInfo);
  return succeeded({ passId: pass.passId }, { e: 'pass', at: now, pass });
};
