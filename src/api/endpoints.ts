// The seven iPass endpoints: paths and request/response bodies as the API documents them
// (docs/api/). merchantId is added by the client at send time, so callers leave it out. Request bodies
// are type aliases, so each is a `Record<string, unknown>` too (what the journal records).

export const ENDPOINT_PATHS = {
  createTemplate: '/api/open/alipay/v1/ipass/template/manage/createTemplate',
  updateTemplate: '/api/open/alipay/v1/ipass/template/manage/updateTemplate',
  switchStatus: '/api/open/alipay/v1/ipass/template/manage/switchStatus',
  detail: '/api/open/alipay/v1/ipass/template/manage/detail',
  updateBudget: '/api/open/alipay/v1/ipass/template/manage/updateBudget',
  createPass: '/api/open/alipay/v1/ipass/pass/manage/createPass',
  updatePass: '/api/open/alipay/v1/ipass/pass/manage/updatePass',
} as const;

export type EndpointName = keyof typeof ENDPOINT_PATHS;

export type ResultStatus = 'S' | 'F' | 'U';

/** Named `result` on some endpoints and `resultInfo` on others; both are accepted. */
export interface ResultInfo {
  resultCode: string;
  resultStatus: ResultStatus;
  resultMessage?: string;
}

/** Template status values as the API spells them (lower case). */
export type RemoteTemplateStatus = 'valid' | 'frozen' | 'paused' | 'expired' | 'closed';

export type CreateTemplateRequest = {
  /** ≤ 32 chars; the same id on every retry of one create. */
  requestId: string;
  startDate: number;
  endDate: number;
  type: string;
  product: string;
  codeType: string;
  codeStandard: string;
  stock: number;
  [field: string]: unknown;
};
export interface CreateTemplateResponse {
  templateCode: string;
  status: RemoteTemplateStatus;
}

/** Content fields only: no type/product/codeType/codeStandard (replace) and no stock (updateBudget). */
export type UpdateTemplateRequest = {
  templateCode: string;
  startDate: number;
  endDate: number;
  [field: string]: unknown;
};
export interface UpdateTemplateResponse {
  templateCode?: string;
  status?: RemoteTemplateStatus;
}

export type SwitchStatusRequest = {
  templateCode: string;
  status: 'valid' | 'paused' | 'closed';
};
export interface SwitchStatusResponse {
  status?: RemoteTemplateStatus;
}

export type DetailRequest = {
  templateCode: string;
};
/** The stored template; `codeStandrad` (sic) is read as codeStandard. */
export interface DetailResponse {
  templateCode: string;
  status: RemoteTemplateStatus;
  startDate?: number;
  endDate?: number;
  stock?: number;
  availableStock?: number;
  [field: string]: unknown;
}

export type BudgetUpdateType = 'APPEND_BUDGET' | 'SUBTRACT_BUDGET' | 'OVERRIDE_BUDGET';
export type UpdateBudgetRequest = {
  /** ≤ 128 chars; the same id on every retry. */
  requestId: string;
  templateCode: string;
  updateType: BudgetUpdateType;
  /** 1 … 999,999. */
  number: number;
};
export type UpdateBudgetResponse = Record<string, never>;

export type CreatePassRequest = {
  userId?: string;
  openId?: string;
  templateCode: string;
  /** ≤ 128 chars; the server deduplicates on it (PASS_HAS_EXIST). */
  bizSerialId: string;
  bizSerialType: 'OUT_PLAT_FORM';
  startDate: number;
  endDate: number;
  bizCreate: number;
  type?: string;
  product?: string;
  codeInfo: Record<string, string>;
  dataInfo?: Record<string, Record<string, string>>;
  /** A JSON string. */
  extInfo?: string;
  publishScene?: string;
};
export interface CreatePassResponse {
  passId: string;
}

export type PassStatusChange = 'USED' | 'CLOSED' | 'UPDATE' | 'REFUND';
export type UpdatePassRequest = {
  userId?: string;
  openId?: string;
  templateCode?: string;
  passId: string;
  status: PassStatusChange;
  updateDetailType?: string;
  passVerifyCode?: string;
  bizDate?: number;
  endDate?: number;
  dataInfo?: Record<string, Record<string, string>>;
};
export type UpdatePassResponse = Record<string, never>;

export interface EndpointTypes {
  createTemplate: { request: CreateTemplateRequest; response: CreateTemplateResponse };
  updateTemplate: { request: UpdateTemplateRequest; response: UpdateTemplateResponse };
  switchStatus: { request: SwitchStatusRequest; response: SwitchStatusResponse };
  detail: { request: DetailRequest; response: DetailResponse };
  updateBudget: { request: UpdateBudgetRequest; response: UpdateBudgetResponse };
  createPass: { request: CreatePassRequest; response: CreatePassResponse };
  updatePass: { request: UpdatePassRequest; response: UpdatePassResponse };
}
