// switchStatus (other-endpoints §1, §3): the template status machine. Targets valid/paused/closed;
// anything else is PASS_TEMPLATE_STATUS_ILLEGAL, a transition not in the table STATE_MACHINE_ILLEGAL.
import { effectiveStatus, type StoredStatus, type TemplateStatus } from '../store.js';
import { failed, findTemplate, type Handler, succeeded } from './handler.js';

/** from → the targets it may move to. Same-status requests are not transitions. */
export const TRANSITIONS: Readonly<Record<TemplateStatus, readonly StoredStatus[]>> = {
  frozen: ['valid'],
  valid: ['paused', 'closed'],
  paused: ['valid', 'closed'],
  expired: [],
  closed: [],
};

const TARGETS: readonly string[] = ['valid', 'paused', 'closed'];

export const switchStatus: Handler = (ctx) => {
  const { body, now } = ctx;
  const found = findTemplate(ctx, body.templateCode);
  if ('failure' in found) return failed(found.failure);
  const target = body.status;
  if (typeof target !== 'string' || !TARGETS.includes(target)) {
    return failed({
      code: 'PASS_TEMPLATE_STATUS_ILLEGAL',
      message: 'status must be valid, paused or closed',
    });
  }
  const from = effectiveStatus(found.template, now);
  if (!TRANSITIONS[from].includes(target as StoredStatus)) {
    return failed({ code: 'STATE_MACHINE_ILLEGAL', message: `a ${from} template cannot become ${target}` });
  }
  return succeeded(
    { status: target },
    { e: 'status', at: now, templateCode: found.template.templateCode, status: target as StoredStatus },
  );
};
