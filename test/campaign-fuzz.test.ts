// Property: whatever text a campaign file holds, the loader returns diagnostics or a result; it never
// throws, and every diagnostic it returns is positioned and coded.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadCampaigns } from '../src/campaign/load-campaigns.js';
import { parseCampaignFile } from '../src/campaign/parse-campaign-file.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';

const NOW = Date.parse('2026-11-22T12:00:00+08:00');
const dir = mkdtempSync(join(tmpdir(), 'ipass-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS = [
  'campaign',
  'defaults',
  'templates',
  'passes',
  'moved',
  'type',
  'product',
  'startDate',
  'endDate',
  'localeInfo',
  'zh_HK',
  'en_US',
  'name',
  'button',
  'urlType',
  'CUSTOM_BTN',
  'categories',
  'stock',
  'template',
  'recipients',
  'codeInfo',
  'from',
  'to',
  '{{name}}',
  '2027-06-01T00:00:00+08:00',
  'COUPON',
  'GIFT_CARD',
];

/** YAML-ish text: campaign words, YAML punctuation, whitespace, quotes and arbitrary characters. */
const yamlishText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FIELDS),
      fc.constantFrom(
        ':',
        ': ',
        '\n',
        '\n  ',
        '\n    ',
        '- ',
        '[',
        ']',
        '{',
        '}',
        ',',
        '"',
        "'",
        '#',
        '&a',
        '*a',
        '|',
        '>',
        '---',
        '\t',
        '!!str',
        '%YAML 1.2',
        '<<: *a',
        '?',
        '@',
      ),
      fc.string({ maxLength: 12 }),
      fc.integer().map(String),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(''));

/** Structured documents close to real campaign files, serialized by the yaml package. */
const campaignish = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(...FIELDS),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...FIELDS), tie('value'), { maxKeys: 5 }),
    ),
  }))
  .value.map((v) => stringify(v));

/** The example campaigns with random edits: lines dropped, repeated or re-indented, text inserted. */
const EXAMPLE_LINES = ['summer-2028.yaml', 'seed-sample.yaml'].flatMap((f) =>
  readFileSync(join(import.meta.dirname, '../campaigns', f), 'utf8').split('\n'),
);
const mutatedExample = fc
  .array(
    fc.tuple(
      fc.nat(EXAMPLE_LINES.length - 1),
      fc.constantFrom('drop', 'repeat', 'indent', 'dedent', 'insert'),
      fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 6 })),
    ),
    { maxLength: 6 },
  )
  .map((edits) => {
    const lines = [...EXAMPLE_LINES];
    for (const [at, edit, text] of edits) {
      const line = lines[at % lines.length] ?? '';
      if (edit === 'drop') lines.splice(at % lines.length, 1);
      else if (edit === 'repeat') lines.splice(at % lines.length, 0, line);
      else if (edit === 'indent') lines[at % lines.length] = `  ${line}`;
      else if (edit === 'dedent') lines[at % lines.length] = line.replace(/^ {1,2}/, '');
      else lines[at % lines.length] = `${line.slice(0, text.length)}${text}${line.slice(text.length)}`;
    }
    return lines.join('\n');
  });

function checkDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(['error', 'warning']).toContain(d.severity);
    expect(d.message).not.toBe('');
  }
}

describe('campaign loader on arbitrary input', () => {
  it('never throws on arbitrary text (pure parser)', () => {
    fc.assert(
      fc.property(
        fc.oneof(yamlishText, campaignish, mutatedExample, fc.string({ unit: 'binary', maxLength: 200 })),
        (text) => {
          const parsed = parseCampaignFile(text, { file: 'fuzz.yaml', dir, cwd: dir });
          checkDiagnostics(parsed.diagnostics);
          for (const d of parsed.diagnostics) expect(d.position?.file).toBe('fuzz.yaml');
        },
      ),
      { numRuns: 600 },
    );
  });

  it('never throws through the whole loader, files and all', async () => {
    mkdirSync(join(dir, 'c'), { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.oneof(yamlishText, campaignish, mutatedExample), async (text) => {
        writeFileSync(join(dir, 'c', 'fuzz.yaml'), text);
        const result = await loadCampaigns({ cwd: dir, rootDir: dir, patterns: ['c'], now: NOW });
        checkDiagnostics(result.diagnostics);
        expect(result.set.files).toEqual([join('c', 'fuzz.yaml')]);
        expect(result.set.inputHash).toMatch(/^[0-9a-f]{64}$/);
      }),
      // Found by this property once: a number where a field allows several types.
      { numRuns: 150, examples: [['passes:\n  campaign:\n    startDate: -5e-324\n']] },
    );
  });
});
