// The sandbox playing AlipayHK's merchant console: POST /__sandbox/console/templates creates templates
// outside the API (unsigned, no requestId), the way a merchant or AlipayHK staff makes them by hand.
import type { ServerResponse } from 'node:http';
import type { Persistence } from './persistence.js';
import { sendJson } from './respond.js';
import { CODE_STANDARDS, CODE_TYPES, PRODUCTS_BY_TYPE } from './rules/create-template.js';
import { checkFields, type FieldRule, integer, isObject, type JsonObject, oneOf } from './rules/fields.js';
import { checkTemplateContent, pickContent } from './rules/template-content.js';
import type { NewTemplate, SandboxEvent, SandboxStore, StoredStatus } from './store.js';

export const CONSOLE_PATH = '/__sandbox/console/templates';
/** At most this many templates per request. */
export const CONSOLE_MAX_TEMPLATES = 1000;

const STATUSES: readonly StoredStatus[] = ['valid', 'paused', 'closed', 'frozen'];

const FIXED: readonly FieldRule[] = [
  { field: 'type', code: 'PARAM_ILLEGAL', required: true, check: oneOf(Object.keys(PRODUCTS_BY_TYPE)) },
  {
    field: 'product',
    code: 'PARAM_ILLEGAL',
    required: true,
    check: oneOf(Object.values(PRODUCTS_BY_TYPE).flat()),
  },
  { field: 'codeType', code: 'PARAM_ILLEGAL', required: true, check: oneOf(CODE_TYPES) },
  { field: 'codeStandard', code: 'PARAM_ILLEGAL', required: true, check: oneOf(CODE_STANDARDS) },
  { field: 'stock', code: 'PARAM_ILLEGAL', required: true, check: integer(1, 1_000_000) },
  { field: 'status', code: 'PARAM_ILLEGAL', required: false, check: oneOf(STATUSES) },
];

export interface ConsoleParts {
  store: SandboxStore;
  persistence: Persistence | undefined;
  now: () => number;
  /** The registered client's merchant: the owner unless a template names another `merchantId`. */
  merchantId: string;
}

export function isConsolePath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === CONSOLE_PATH;
}

/**
 * Body `{ "templates": [ { createTemplate fields, "status"?, "merchantId"? } ] }`: all are checked
 * (the API's rules, except that a start in the past is allowed: console templates are often live)
 * before any is created. Answers `{ "templates": [ { "templateCode", "status" } ] }`.
 */
export function handleConsole(
  method: string,
  rawBody: Buffer,
  res: ServerResponse,
  parts: ConsoleParts,
): void {
  if (method !== 'POST') {
    sendJson(res, 405, {
      error: `${method} is not allowed on ${CONSOLE_PATH}; POST templates to create them`,
    });
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    sendJson(res, 400, { error: 'the body is not JSON' });
    return;
  }
  const list = isObject(body) ? body.templates : undefined;
  if (!Array.isArray(list) || list.length === 0 || list.length > CONSOLE_MAX_TEMPLATES) {
    sendJson(res, 400, {
      error: `the body needs "templates": a list of 1 to ${CONSOLE_MAX_TEMPLATES} templates`,
    });
    return;
  }
  const now = parts.now();
  const checked: NewTemplate[] = [];
  for (const [i, item] of list.entries()) {
    const problem = checkConsoleTemplate(item);
    if (problem !== undefined) {
      sendJson(res, 400, { error: `templates[${i}]: ${problem}` });
      return;
    }
    checked.push(newTemplate(item as JsonObject, parts.merchantId));
  }
  const created: { templateCode: string; status: StoredStatus }[] = [];
  try {
    for (const template of checked) {
      template.templateCode = parts.store.nextTemplateCode(now);
      template.requestId = `console-${template.templateCode.slice(-20)}`;
      const event: SandboxEvent = { e: 'template', at: now, template };
      parts.persistence?.append(event);
      parts.store.apply(event);
      created.push({ templateCode: template.templateCode, status: template.status });
    }
  } catch (error) {
    sendJson(res, 500, { error: `the sandbox could not record the template: ${String(error)}`, created });
    return;
  }
  sendJson(res, 200, { templates: created });
}

/** What is wrong with one console template, or undefined. */
function checkConsoleTemplate(item: unknown): string | undefined {
  if (!isObject(item)) return 'a template is a JSON object';
  const fixed = checkFields(item, FIXED);
  if (fixed) return `${fixed.code}: ${fixed.message ?? ''}`;
  if (!PRODUCTS_BY_TYPE[item.type as string]?.includes(item.product as string))
    return `PARAM_ILLEGAL: product ${String(item.product)} does not belong to type ${String(item.type)}`;
  if (
    item.merchantId !== undefined &&
    (typeof item.merchantId !== 'string' || !/^\d{16}$/.test(item.merchantId))
  )
    return 'PARAM_ILLEGAL: merchantId is 16 digits';
  // previousStart = startDate: an unchanged start is exempt from "not in the past" and "not too far ahead".
  const failure = checkTemplateContent(item, { now: 0, previousStart: item.startDate as number });
  return failure ? `${failure.code}: ${failure.message ?? ''}`.replace(/: $/, '') : undefined;
}

function newTemplate(item: JsonObject, merchantId: string): NewTemplate {
  return {
    templateCode: '',
    merchantId: typeof item.merchantId === 'string' ? item.merchantId : merchantId,
    requestId: '',
    type: item.type as string,
    product: item.product as string,
    codeType: item.codeType as string,
    codeStandard: item.codeStandard as string,
    content: pickContent(item),
    status: (item.status as StoredStatus | undefined) ?? 'valid',
    stock: item.stock as number,
  };
}
