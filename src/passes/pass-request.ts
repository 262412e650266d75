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
  // Built field by field: conditional spreads in an object literal cost more than the whole rest.
  const filled = fillContent(content, lookupFor(layout, recipient));
  const body = {} as CreatePassRequest;
  if (recipient.userId !== undefined) body.userId = recipient.userId;
  if (recipient.openId !== undefined) body.openId = recipient.openId;
  body.templateCode = base.templateCode;
  body.bizSerialId = recipient.bizSerialId;
  body.bizSerialType = 'OUT_PLAT_FORM';
  body.startDate = base.startDate;
  body.endDate = base.endDate;
  body.bizCreate = bizCreate;
  body.type = base.type;
  body.product = base.product;
  body.codeInfo = filled.codeInfo;
  if (filled.dataInfo !== undefined) body.dataInfo = filled.dataInfo;
  if (filled.extInfo !== undefined) body.extInfo = filled.extInfo;
  if (base.publishScene !== undefined) body.publishScene = base.publishScene;
  return body;
}
