// The API's date rules that a schema cannot say, as campaign diagnostics: an epoch in seconds, a
// template longer than the API allows, a start too far ahead or in the past. The limits come from
// src/api/api-limits.ts, which the sandbox enforces too. Pure.
import { API_LIMITS, endTooFarAfterStart, looksLikeSeconds, startTooFarAhead } from '../api/api-limits.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { formatHongKongTime } from './dates.js';

const INFERRED = 'This limit is inferred, not documented by AlipayHK';

/** An epoch number that is seconds, not milliseconds; undefined for anything else. */
export function epochSecondsDiagnostic(
  field: string,
  value: unknown,
  position: SourcePosition,
  path: string,
): Diagnostic | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || !looksLikeSeconds(value)) return undefined;
  const asMs = value * 1000;
  const meant = asMs <= 253_402_300_799_999 ? ` (${formatHongKongTime(asMs)})` : '';
  return {
    severity: 'error',
    code: 'DATE_IN_SECONDS',
    message: `\`${field}\` ${value} looks like seconds since 1970: AlipayHK reads dates as milliseconds, so it would mean ${formatHongKongTime(value)}.`,
    hint: `Write milliseconds, ${asMs}${meant}, or the date itself, e.g. ${meant ? formatHongKongTime(asMs) : '2027-06-01T00:00:00+08:00'}.`,
    position,
    path,
  };
}

/** endDate more than the API's longest template after startDate (PASS_TEMPLATE_END_TIME_EXCEED). */
export function endTooLateDiagnostic(
  key: string,
  start: number,
  end: number,
  position: SourcePosition,
  path: string,
): Diagnostic | undefined {
  if (!endTooFarAfterStart(start, end)) return undefined;
  const days = API_LIMITS.durationDays.value;
  const latest = start + days * 86_400_000;
  return {
    severity: 'warning',
    code: 'TEMPLATE_END_TOO_LATE',
    message: `Template ${key} ends ${formatHongKongTime(end)}, more than ${days} days after its start; AlipayHK is expected to refuse it (PASS_TEMPLATE_END_TIME_EXCEED).`,
    hint: `End it by ${formatHongKongTime(latest)} (${days} days after the start), or split the campaign. ${INFERRED}: the API names the error but not the bound; ${days} days is the sandbox's.`,
    position,
    path,
  };
}

/** startDate more than the API's window ahead of now (PASS_TEMPLATE_START_TIME_EXCEED). */
export function startTooFarDiagnostic(
  key: string,
  start: number,
  now: number,
  position: SourcePosition,
  path: string,
): Diagnostic | undefined {
  if (!startTooFarAhead(start, now)) return undefined;
  const days = API_LIMITS.startAheadDays.value;
  return {
    severity: 'warning',
    code: 'TEMPLATE_START_TOO_FAR',
    message: `Template ${key} starts ${formatHongKongTime(start)}, more than ${days} days from now; AlipayHK is expected to refuse it (PASS_TEMPLATE_START_TIME_EXCEED).`,
    hint: `Apply it later, or start it by ${formatHongKongTime(now + days * 86_400_000)}. ${INFERRED}: the API names the error but not the bound; ${days} days is the sandbox's.`,
    position,
    path,
  };
}

/** Midnight Hong Kong time after `now`. */
export function nextHongKongMidnight(now: number): number {
  const day = 86_400_000;
  const hk = 8 * 3_600_000;
  return Math.floor((now + hk) / day) * day + day - hk;
}
