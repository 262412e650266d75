// How one successful request changes the state entry of its address (pure).
import type { CreateTemplateResponse, EndpointName } from '../api/endpoints.js';
import type { TemplateBody, TemplateStatus } from '../campaign/types.js';
import type { TemplateState } from '../state/state-format.js';

export interface CreatedMeta {
  spec: TemplateBody | Record<string, unknown>;
  status?: TemplateStatus;
  protect?: boolean;
  generation?: number;
  /** For a replace: the code the new template supersedes. */
  supersedes?: string;
  /** For updateBudget: the stock the template holds once it succeeded. */
  stock?: number;
}

/** The entry after createTemplate succeeded. The previous entry (if any) is kept as superseded. */
export function afterCreate(
  previous: TemplateState | undefined,
  body: Record<string, unknown>,
  response: CreateTemplateResponse,
  meta: CreatedMeta,
): TemplateState {
  const superseded = [...(previous?.superseded ?? [])];
  if (
    previous &&
    previous.templateCode !== response.templateCode &&
    !superseded.some((s) => s.templateCode === previous.templateCode)
  ) {
    superseded.push({ templateCode: previous.templateCode, closed: previous.status === 'closed' });
  }
  const spec = meta.spec as TemplateBody;
  return {
    templateCode: response.templateCode,
    status: (response.status as TemplateState['status'] | undefined) ?? 'valid',
    stock: typeof spec.stock === 'number' ? spec.stock : Number(body.stock ?? 0),
    protect: meta.protect ?? previous?.protect ?? false,
    generation: meta.generation ?? (previous?.generation ?? 0) + 1,
    requestId: typeof body.requestId === 'string' ? body.requestId : '',
    spec: spec as Record<string, unknown>,
    superseded,
  };
}

/** The entry after a status, content or stock request succeeded on `templateCode`. */
export function afterRequest(
  entry: TemplateState,
  endpoint: EndpointName,
  body: Record<string, unknown>,
  desiredSpec: TemplateBody | undefined,
  /** updateBudget: the stock it leaves, worked out from the stock the API reported before it. */
  stockAfter?: number,
): TemplateState {
  const code = body.templateCode;
  if (endpoint === 'switchStatus') {
    const status = body.status as TemplateState['status'];
    if (code === entry.templateCode) return { ...entry, status };
    return {
      ...entry,
      superseded: entry.superseded.map((s) =>
        s.templateCode === code && status === 'closed' ? { ...s, closed: true } : s,
      ),
    };
  }
  if (endpoint === 'updateTemplate' && desiredSpec) {
    return { ...entry, spec: { ...desiredSpec, stock: entry.stock } as Record<string, unknown> };
  }
  if (endpoint === 'updateBudget') {
    if (stockAfter !== undefined) return { ...entry, stock: stockAfter };
    // An older journal, without the stock it leaves: the difference applied to what was recorded.
    const n = Number(body.number);
    const stock =
      body.updateType === 'APPEND_BUDGET'
        ? entry.stock + n
        : body.updateType === 'SUBTRACT_BUDGET'
          ? entry.stock - n
          : n;
    return { ...entry, stock };
  }
  return entry;
}
