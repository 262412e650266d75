// The createPass body for one recipient (pure): the batch's fixed fields plus the row's user,
// bizSerialId and {{column}} values, in the order the API documents them.
import type { CreatePassRequest } from '../api/endpoints.js';
import { type CompiledContent, fillContent } from './placeholders.js';
import { lookupFor, type Recipient, type RecipientLayout } from './recipient-rows.js';

/** What every pass of a batch shares. */
export interface PassBase {
  templateCode: string;
  startDate: number;
  endDate: number;
  type: string;
  product: string;
  publishScene?: string;
}

export function passRequest(
  base: PassBase,
  content: CompiledContent,
  layout: RecipientLayout,
  recipient: Recipient,
  bizCreate: number,
): CreatePassRequest {
  const body: CreatePassRequest = {
    ...(recipient.userId !== undefined ? { userId: recipient.userId } : {}),
    ...(recipient.openId !== undefined ? { openId: recipient.openId } : {}),
    templateCode: base.templateCode,
    bizSerialId: recipient.bizSerialId,
    bizSerialType: 'OUT_PLAT_FORM',
    startDate: base.startDate,
    endDate: base.endDate,
    bizCreate,
    type: base.type,
    product: base.product,
    codeInfo: {},
  };
  const filled = fillContent(content, lookupFor(layout, recipient));
  body.codeInfo = filled.codeInfo;
  if (filled.dataInfo !== undefined) body.dataInfo = filled.dataInfo;
  if (filled.extInfo !== undefined) body.extInfo = filled.extInfo;
  if (base.publishScene !== undefined) body.publishScene = base.publishScene;
  return body;
}
