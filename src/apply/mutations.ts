// How one successful request changes the state entry of its address, as journal records (pure).
import type { ApiRequest, Exchange } from '../api/api-caller.js';
import type { CreateTemplateRequest, CreateTemplateResponse } from '../api/endpoints.js';
import type { TemplateBody, TemplateStatus } from '../campaign/types.js';
import type { JournalRecord } from '../state/journal-records.js';
import type { TemplateState } from '../state/state-format.js';

export interface CreatedMeta {
  /** The spec the state records for a created template. */
  spec: Record<string, unknown>;
  status?: TemplateStatus;
  protect?: boolean;
  generation?: number;
  /** For a replace: the code the new template supersedes. */
  supersedes?: string;
  /** For updateBudget: the stock the template holds once it succeeded. */
  stock?: number;
}

/** The records of a successful request: the address's entry as the API now has it. */
export function recordsAfter(
  address: string,
  entry: TemplateState | undefined,
  answer: Exchange,
  meta: CreatedMeta,
  desiredSpec: TemplateBody | undefined,
): JournalRecord[] {
  if (answer.endpoint === 'createTemplate') {
    if (!answer.result.ok) return [];
    return [{ t: 'set', address, entry: afterCreate(entry, answer.body, answer.result.data, meta) }];
  }
  if (!answer.result.ok || !entry) return [];
  return [{ t: 'set', address, entry: afterRequest(entry, answer, desiredSpec, meta.stock) }];
}

/** The entry after createTemplate succeeded. The previous entry (if any) is kept as superseded. */
export function afterCreate(
  previous: TemplateState | undefined,
  body: CreateTemplateRequest,
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
  const stock = meta.spec.stock;
  return {
    templateCode: response.templateCode,
    status: response.status ?? 'valid',
    stock: typeof stock === 'number' ? stock : body.stock,
    protect: meta.protect ?? previous?.protect ?? false,
    generation: meta.generation ?? (previous?.generation ?? 0) + 1,
    requestId: body.requestId,
    spec: meta.spec,
    superseded,
  };
}

/** The entry after a status, content or stock request succeeded on its `templateCode`. */
export function afterRequest(
  entry: TemplateState,
  request: ApiRequest,
  desiredSpec: TemplateBody | undefined,
  /** updateBudget: the stock it leaves, worked out from the stock the API reported before it. */
  stockAfter?: number,
): TemplateState {
  if (request.endpoint === 'switchStatus') {
    const { templateCode: code, status } = request.body;
    if (code === entry.templateCode) return { ...entry, status };
    return {
      ...entry,
      superseded: entry.superseded.map((s) =>
        s.templateCode === code && status === 'closed' ? { ...s, closed: true } : s,
      ),
    };
  }
  if (request.endpoint === 'updateTemplate' && desiredSpec) {
    return { ...entry, spec: { ...desiredSpec, stock: entry.stock } };
  }
  if (request.endpoint === 'updateBudget') {
    if (stockAfter !== undefined) return { ...entry, stock: stockAfter };
    // An older journal, without the stock it leaves: the difference applied to what was recorded.
    const { updateType, number: n } = request.body;
    const stock =
      updateType === 'APPEND_BUDGET'
        ? entry.stock + n
        : updateType === 'SUBTRACT_BUDGET'
          ? entry.stock - n
          : n;
    return { ...entry, stock };
  }
  return entry;
}
