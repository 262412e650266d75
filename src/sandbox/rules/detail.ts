// detail: the stored template, its derived status and its stock. codeStandard is sent under both the
// documented misspelling `codeStandrad` and the correct name.
import { effectiveStatus } from '../store.js';
import { failed, findTemplate, type Handler, succeeded } from './handler.js';

export const detail: Handler = (ctx) => {
  const found = findTemplate(ctx, ctx.body.templateCode);
  if ('failure' in found) return failed(found.failure);
  const t = found.template;
  return succeeded({
    templateCode: t.templateCode,
    status: effectiveStatus(t, ctx.now),
    type: t.type,
    product: t.product,
    codeType: t.codeType,
    codeStandard: t.codeStandard,
    codeStandrad: t.codeStandard,
    ...t.content,
    stock: t.stock,
    availableStock: t.stock - t.issued,
  });
};
