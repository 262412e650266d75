// Statuses ipass leaves as they are (pure): an adopted template AlipayHK reports as expired (its end
// passed) or frozen (held for review) is written `valid` in the files, and is not switched.
import type { TemplateState } from '../state/state-format.js';

export function heldAsIs(s: Pick<TemplateState, 'status' | 'imported'>, wanted: string): boolean {
  return s.imported === true && (s.status === 'expired' || s.status === 'frozen') && wanted === 'valid';
}
