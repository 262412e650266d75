// The sandbox's state in memory: templates, passes and replayable request ids, changed only by
// applying journal events (live requests and journal replay take the same path). Indexed so that no
// request scans the store.

export type StoredStatus = 'valid' | 'frozen' | 'paused' | 'closed';
export type TemplateStatus = StoredStatus | 'expired';
export type PassStatus = 'active' | 'used' | 'closed' | 'refunded';

/** Every updatable field of a template (startDate, endDate, imageUrl, button, localeInfo, ...). */
export interface TemplateContent {
  startDate: number;
  endDate: number;
  [field: string]: unknown;
}

export interface NewTemplate {
  templateCode: string;
  merchantId: string;
  requestId: string;
  type: string;
  product: string;
  codeType: string;
  codeStandard: string;
  content: TemplateContent;
  status: StoredStatus;
  stock: number;
}

export interface StoredTemplate extends Omit<NewTemplate, 'status'> {
  /** As set by create/switchStatus; `expired` is derived from endDate at read time. */
  storedStatus: StoredStatus;
  /** The status the createTemplate response carried, for replays of its requestId. */
  initialStatus: StoredStatus;
  /** Passes created from this template (never given back). */
  issued: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewPass {
  passId: string;
  templateCode: string;
  bizSerialId: string;
  userId?: string;
  openId?: string;
  startDate: number;
  endDate: number;
  /** The placeholder values the pass shows (createPass dataInfo, replaced by UPDATE_DATA_INFO). */
  dataInfo?: unknown;
}

export interface StoredPass extends NewPass {
  status: PassStatus;
  /** Successful updatePass UPDATE requests on this pass that changed what it shows. */
  updates: number;
  createdAt: number;
  updatedAt: number;
}

/** One line of the journal. `at` is the sandbox clock when it was applied. */
export type SandboxEvent =
  | { e: 'template'; at: number; template: NewTemplate }
  | { e: 'content'; at: number; templateCode: string; content: TemplateContent }
  | { e: 'status'; at: number; templateCode: string; status: StoredStatus }
  | { e: 'budget'; at: number; templateCode: string; merchantId: string; requestId: string; stock: number }
  | { e: 'pass'; at: number; pass: NewPass }
  | {
      e: 'passStatus';
      at: number;
      passId: string;
      status: PassStatus;
      /** An UPDATE (content change) rather than a status change. */
      update?: boolean;
      endDate?: number;
      dataInfo?: unknown;
    };

const key = (a: string, b: string): string => `${a}\n${b}`;

const HK_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
let cachedDay = { day: Number.NaN, text: '' };

/** yyyymmdd in Hong Kong time (UTC+8), used inside generated ids; computed once per day. */
function hkDay(ms: number): string {
  const day = Math.floor((ms + HK_OFFSET_MS) / DAY_MS);
  if (day !== cachedDay.day) {
    cachedDay = { day, text: new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '') };
  }
  return cachedDay.text;
}

export function effectiveStatus(template: StoredTemplate, now: number): TemplateStatus {
  if (template.storedStatus !== 'closed' && template.content.endDate < now) return 'expired';
  return template.storedStatus;
}

export class SandboxStore {
  private readonly templatesByCode = new Map<string, StoredTemplate>();
  private readonly templateRequests = new Map<string, string>();
  private readonly budgetRequests = new Map<string, string>();
  private readonly passesByKey = new Map<string, StoredPass>();
  private readonly passesById = new Map<string, StoredPass>();
  private readonly passesByTemplate = new Map<string, StoredPass[]>();
  private templateCount = 0;
  private passCount = 0;

  /** 32 digits, e.g. 82027052200135000000000000000001 (unique by a counter). */
  nextTemplateCode(now: number): string {
    return `8${hkDay(now)}00135${String(this.templateCount + 1).padStart(18, '0')}`;
  }

  /** 31 digits, e.g. 2027052219027000000000000000001 (unique by a counter). */
  nextPassId(now: number): string {
    return `${hkDay(now)}19027${String(this.passCount + 1).padStart(18, '0')}`;
  }

  template(code: string): StoredTemplate | undefined {
    return this.templatesByCode.get(code);
  }

  templates(): IterableIterator<StoredTemplate> {
    return this.templatesByCode.values();
  }

  templateByRequestId(merchantId: string, requestId: string): StoredTemplate | undefined {
    const code = this.templateRequests.get(key(merchantId, requestId));
    return code === undefined ? undefined : this.templatesByCode.get(code);
  }

  /** The template a successful updateBudget with this requestId changed, if any. */
  budgetRequest(merchantId: string, requestId: string): string | undefined {
    return this.budgetRequests.get(key(merchantId, requestId));
  }

  pass(templateCode: string, bizSerialId: string): StoredPass | undefined {
    return this.passesByKey.get(key(templateCode, bizSerialId));
  }

  passById(passId: string): StoredPass | undefined {
    return this.passesById.get(passId);
  }

  passesOf(templateCode: string): readonly StoredPass[] {
    return this.passesByTemplate.get(templateCode) ?? [];
  }

  allPasses(): IterableIterator<StoredPass> {
    return this.passesById.values();
  }

  get size(): { templates: number; passes: number } {
    return { templates: this.templateCount, passes: this.passCount };
  }

  apply(event: SandboxEvent): void {
    switch (event.e) {
      case 'template': {
        const { status, ...rest } = event.template;
        const stored: StoredTemplate = {
          ...rest,
          storedStatus: status,
          initialStatus: status,
          issued: 0,
          createdAt: event.at,
          updatedAt: event.at,
        };
        this.templatesByCode.set(stored.templateCode, stored);
        this.templateRequests.set(key(stored.merchantId, stored.requestId), stored.templateCode);
        this.templateCount += 1;
        return;
      }
      case 'content':
        this.touch(event.templateCode, event.at, (t) => {
          t.content = event.content;
        });
        return;
      case 'status':
        this.touch(event.templateCode, event.at, (t) => {
          t.storedStatus = event.status;
        });
        return;
      case 'budget':
        this.budgetRequests.set(key(event.merchantId, event.requestId), event.templateCode);
        this.touch(event.templateCode, event.at, (t) => {
          t.stock = event.stock;
        });
        return;
      case 'pass': {
        // Built field by field: object spread is markedly slower here, and replay does this 100k times.
        const p = event.pass;
        const pass: StoredPass = {
          passId: p.passId,
          templateCode: p.templateCode,
          bizSerialId: p.bizSerialId,
          startDate: p.startDate,
          endDate: p.endDate,
          status: 'active',
          updates: 0,
          createdAt: event.at,
          updatedAt: event.at,
        };
        if (p.userId !== undefined) pass.userId = p.userId;
        if (p.openId !== undefined) pass.openId = p.openId;
        if (p.dataInfo !== undefined) pass.dataInfo = p.dataInfo;
        this.passesByKey.set(key(pass.templateCode, pass.bizSerialId), pass);
        this.passesById.set(pass.passId, pass);
        const list = this.passesByTemplate.get(pass.templateCode);
        if (list) list.push(pass);
        else this.passesByTemplate.set(pass.templateCode, [pass]);
        this.passCount += 1;
        const template = this.templatesByCode.get(pass.templateCode);
        if (template) template.issued += 1;
        return;
      }
      case 'passStatus': {
        const pass = this.passesById.get(event.passId);
        if (!pass) return;
        pass.status = event.status;
        if (event.update === true) pass.updates += 1;
        if (event.endDate !== undefined) pass.endDate = event.endDate;
        if (event.dataInfo !== undefined) pass.dataInfo = event.dataInfo;
        pass.updatedAt = event.at;
        return;
      }
    }
  }

  private touch(code: string, at: number, change: (t: StoredTemplate) => void): void {
    const template = this.templatesByCode.get(code);
    if (!template) return;
    change(template);
    template.updatedAt = at;
  }
}
