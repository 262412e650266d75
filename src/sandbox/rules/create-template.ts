// createTemplate (seed 002): a replayed requestId answers the first result without applying again;
// otherwise the fixed fields, then the content rules, then a new template with its full stock.
import { API_LIMITS } from '../../api/api-limits.js';
import { checkFields, type FieldRule, integer, oneOf, text } from './fields.js';
import { failed, type Handler, succeeded } from './handler.js';
import { checkTemplateContent, isFrozenOnCreate, pickContent } from './template-content.js';

/** Template type → the products it allows. */
export const PRODUCTS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  COUPON: ['GIFT_CARD'],
  CARD: ['MEMBER_CARD'],
  TICKET: ['PASS', 'MOVIE', 'AIR_TICKET', 'TRAIN_TICKET', 'BUS_TICKET', 'SHIP_TICKET'],
};

export const CODE_TYPES = ['barcode', 'qrcode', 'promocode', 'none'] as const;
export const CODE_STANDARDS = ['CODE128', 'EAN-13', 'QRCODE'] as const;

const FIXED_RULES: readonly FieldRule[] = [
  { field: 'type', code: 'PARAM_ILLEGAL', required: true, check: oneOf(Object.keys(PRODUCTS_BY_TYPE)) },
  { field: 'product', code: 'PARAM_ILLEGAL', required: true, check: text(32) },
  { field: 'codeType', code: 'PARAM_ILLEGAL', required: true, check: oneOf(CODE_TYPES) },
  { field: 'codeStandard', code: 'PARAM_ILLEGAL', required: true, check: oneOf(CODE_STANDARDS) },
  {
    field: 'stock',
    code: 'PARAM_ILLEGAL',
    required: true,
    check: integer(API_LIMITS.stock.value.min, API_LIMITS.stock.value.max),
  },
];

export const createTemplate: Handler = (ctx) => {
  const { body, merchantId, store, now } = ctx;
  const requestId = body.requestId;
  if (typeof requestId !== 'string' || requestId === '' || requestId.length > 32) {
    return failed({ code: 'PARAM_ILLEGAL', message: 'requestId is required (at most 32 characters)' });
  }
  const first = store.templateByRequestId(merchantId, requestId);
  if (first) return succeeded({ templateCode: first.templateCode, status: first.initialStatus });

  const fixed = checkFields(body, FIXED_RULES);
  if (fixed) return failed(fixed);
  const type = body.type as string;
  const product = body.product as string;
  if (!PRODUCTS_BY_TYPE[type]?.includes(product)) {
    return failed({ code: 'PARAM_ILLEGAL', message: `product ${product} does not belong to type ${type}` });
  }
  const content = checkTemplateContent(body, { now });
  if (content) return failed(content);

  const templateCode = store.nextTemplateCode(now);
  const status = isFrozenOnCreate(body) ? 'frozen' : 'valid';
  return succeeded(
    { templateCode, status },
    {
      e: 'template',
      at: now,
      template: {
        templateCode,
        merchantId,
        requestId,
        type,
        product,
        codeType: body.codeType as string,
        codeStandard: body.codeStandard as string,
        content: pickContent(body),
        status,
        stock: body.stock as number,
      },
    },
  );
};
