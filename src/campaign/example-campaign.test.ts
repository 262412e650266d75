import { describe, expect, it } from 'vitest';
import { exampleCampaign, exampleDates } from './example-campaign.js';
import { parseCampaignFile } from './parse-campaign-file.js';

describe('exampleCampaign', () => {
  it('starts on the 1st of the month after next and ends at the end of the month two months later', () => {
    expect(exampleDates(Date.parse('2026-11-22T12:00:00+08:00'))).toEqual({
      start: '2027-01-01T00:00:00+08:00',
      end: '2027-03-31T23:59:59+08:00',
    });
    // 31 December 20:00 UTC is already 1 January in Hong Kong.
    expect(exampleDates(Date.parse('2027-12-31T20:00:00Z'))).toEqual({
      start: '2028-03-01T00:00:00+08:00',
      end: '2028-05-31T23:59:59+08:00',
    });
  });

  it('is a valid campaign on the day it is written', () => {
    for (const day of [
      '2026-11-22T12:00:00+08:00',
      '2027-02-28T23:59:00+08:00',
      '2028-12-31T23:00:00+08:00',
    ]) {
      const parsed = parseCampaignFile(exampleCampaign(Date.parse(day)), {
        file: 'example.yaml',
        dir: '/',
        cwd: '/',
      });
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.templates.map((t) => t.desired?.address)).toEqual(['example/coffee-voucher']);
      expect(parsed.templates[0]?.start?.ms).toBeGreaterThan(Date.parse(day));
    }
  });
});
