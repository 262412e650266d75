import { describe, expect, it } from 'vitest';
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };
import { LOCALES, type TextField, tabLabelLimit, textLength, textLimit } from './text-limits.js';

const FIELDS: TextField[] = ['name', 'subName', 'description', 'shops', 'brandName'];
const defs = campaignSchema.definitions;

describe('text limits', () => {
  it('are the schema’s, per locale (Chinese and English limits differ)', () => {
    for (const field of FIELDS) {
      expect(textLimit('en_US', field), field).toBe(defs.LocaleTextEnUS.properties[field].maxLength);
      expect(textLimit('zh_HK', field), field).toBe(defs.LocaleTextZhHK.properties[field].maxLength);
    }
    expect(tabLabelLimit('en_US')).toBe(defs.CustomTabEnUS.properties.label.maxLength);
    expect(tabLabelLimit('zh_HK')).toBe(defs.CustomTabZhHK.properties.label.maxLength);
    expect(textLimit('zh_HK', 'name')).toBeLessThan(textLimit('en_US', 'name') ?? 0);
    expect(LOCALES).toEqual(['en_US', 'zh_HK']);
  });

  it('count characters as the schema check does (code points)', () => {
    expect(textLength('夏日凍咖啡券')).toBe(6);
    expect(textLength('☕️ 𠮷')).toBe(4);
  });
});
