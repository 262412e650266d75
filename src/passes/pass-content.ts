// The content a pass carries, as the ledger records it (pure): 32-bit hashes of its filled codeInfo
// and dataInfo and of its endDate, and the batch's own content (its values before {{column}}s are
// filled in) as the JSON the ledger keeps to show what changed.
import { hash64 } from '../state/key-table.js';
import type { PassContent } from '../state/pass-life.js';

const hashOf = (value: unknown): number => hash64(JSON.stringify(value ?? null)).lo;

export function passContent(codeInfo: unknown, dataInfo: unknown, endDate: number | undefined): PassContent {
  return { code: hashOf(codeInfo), data: hashOf(dataInfo), end: endDate === undefined ? 0 : hashOf(endDate) };
}

/** What an update of a pass changes. */
export interface ContentChange {
  data: boolean;
  validity: boolean;
  /** codeInfo changed: refused (the code is the pass's identity). */
  code: boolean;
}

/**
 * Compare what a pass carries with what the files say; `endDate` only counts when the batch sets
 * one (a batch that uses the template's dates leaves its passes' validity alone).
 */
export function contentChange(
  carried: PassContent,
  wanted: PassContent,
  batchEndDate: boolean,
): ContentChange {
  return {
    code: carried.code !== wanted.code,
    data: carried.data !== wanted.data,
    validity: batchEndDate && carried.end !== wanted.end,
  };
}

/** The batch's content before placeholders are filled in, as the ledger's K record keeps it. */
export interface BatchContent {
  codeInfo: unknown;
  dataInfo: unknown;
  endDate: number | null;
}

export function batchContentJson(batch: { codeInfo: unknown; dataInfo?: unknown; endDate?: number }): string {
  const content: BatchContent = {
    codeInfo: batch.codeInfo,
    dataInfo: batch.dataInfo ?? null,
    endDate: batch.endDate ?? null,
  };
  return JSON.stringify(content);
}

export function parseBatchContent(json: string | undefined): BatchContent | undefined {
  if (json === undefined) return undefined;
  try {
    const v = JSON.parse(json) as BatchContent;
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}
