// updateTemplate: a full replace of the content fields under createTemplate's rules. The fixed fields
// (type, product, codeType, codeStandard) may be repeated but not changed; stock and requestId are ignored.
import { effectiveStatus } from '../store.js';
import { failed, findTemplate, type Handler, succeeded } from './handler.js';
import { checkTemplateContent, pickContent } from './template-content.js';

const FIXED = ['type', 'product', 'codeType', 'codeStandard'] as const;

export const updateTemplate: Handler = (ctx) => {
  const { body, now } = ctx;
  const found = findTemplate(ctx, body.templateCode);
  if ('failure' in found) return failed(found.failure);
  const { template } = found;
  for (const field of FIXED) {
    const sent = body[field];
    if (sent !== undefined && sent !== null && sent !== template[field]) {
      return failed({ code: 'PARAM_ILLEGAL', message: `${field} cannot be changed by updateTemplate` });
    }
  }
  const status = effectiveStatus(template, now);
  if (status === 'closed' || status === 'expired') {
    return failed({ code: 'PASS_TEMPLATE_STATUS_ILLEGAL', message: `template is ${status}` });
  }
  const content = checkTemplateContent(body, { now, previousStart: template.content.startDate });
  if (content) return failed(content);
  const next = pickContent(body);
  return succeeded(
    { templateCode: template.templateCode, status: next.endDate < now ? 'expired' : template.storedStatus },
    { e: 'content', at: now, templateCode: template.templateCode, content: next },
  );
};
