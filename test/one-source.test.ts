// Facts the emulator keeps beside the client's, tied so they cannot drift apart: the text limits of a
// template (campaign schema vs sandbox/rules/template-content.ts), the userId/openId length
// (API_LIMITS vs sandbox/rules/users.ts) and the template statuses (state schema, the client's wire
// type and the sandbox's; the type checks below fail `tsc` when they differ).
import { describe, expect, it } from 'vitest';
import campaignSchema from '../schemas/campaign.schema.json' with { type: 'json' };
import { API_LIMITS } from '../src/api/api-limits.js';
import type { RemoteTemplateStatus } from '../src/api/endpoints.js';
import { LOCALE_TEXT, type Locale, TAB_LABEL_MAX } from '../src/sandbox/rules/template-content.js';
import { openIdExists, readUser, USER_REQUIRED } from '../src/sandbox/rules/users.js';
import type { TemplateStatus as SandboxTemplateStatus } from '../src/sandbox/store.js';
import { TEMPLATE_STATUSES, type TemplateState } from '../src/state/state-format.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusesAgree: [
  Same<RemoteTemplateStatus, TemplateState['status']>,
  Same<SandboxTemplateStatus, TemplateState['status']>,
] = [true, true];

type Properties = Record<string, { maxLength?: number }>;
const definitions = campaignSchema.definitions as unknown as Record<string, { properties: Properties }>;
const LOCALE_DEFINITION: Record<Locale, string> = { zh_HK: 'LocaleTextZhHK', en_US: 'LocaleTextEnUS' };
const TAB_DEFINITION: Record<Locale, string> = { zh_HK: 'CustomTabZhHK', en_US: 'CustomTabEnUS' };

describe('one source for each fact', () => {
  it('gives the sandbox the text limits of the campaign schema', () => {
    for (const locale of ['zh_HK', 'en_US'] as const) {
      const schema = definitions[LOCALE_DEFINITION[locale]]?.properties ?? {};
      const limited = Object.entries(schema).filter(([, p]) => p.maxLength !== undefined);
      expect(limited.length, locale).toBeGreaterThan(3);
      expect(
        Object.fromEntries(LOCALE_TEXT.map((rule) => [rule.field, rule.max[locale]])),
        `${locale}: schema vs sandbox`,
      ).toEqual(Object.fromEntries(limited.map(([field, p]) => [field, p.maxLength])));
      expect(TAB_LABEL_MAX[locale]).toBe(definitions[TAB_DEFINITION[locale]]?.properties.label?.maxLength);
    }
  });

  it("gives the sandbox the client's userId length", () => {
    const max = API_LIMITS.userIdLength.value;
    expect(openIdExists('o'.repeat(max))).toBe(true);
    expect(openIdExists('o'.repeat(max + 1))).toBe(false);
    expect(readUser({ openId: 'o'.repeat(max) })).toEqual({ openId: 'o'.repeat(max) });
    expect(readUser({ openId: 'o'.repeat(max + 1) })).toBeUndefined();
    expect(USER_REQUIRED).toContain(`at most ${max} characters`);
  });

  it('keeps one list of template statuses, the state schema’s', () => {
    expect(statusesAgree).toEqual([true, true]);
    expect([...TEMPLATE_STATUSES].sort()).toEqual(['closed', 'expired', 'frozen', 'paused', 'valid']);
  });
});
