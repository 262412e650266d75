// Every check `ipass validate` makes runs in linear time on any text a pull request can put in a
// campaign or recipients file: 64 KiB of adversarial text in any field (repeated `{{`, spaces,
// backtracking bait) validates within a small factor of the CPU time of 64 KiB of plain text in the
// same field, measured in this process. Generous factor and the least of several runs, so a loaded
// machine does not decide it; a pattern that backtracks is off by orders of magnitude.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adversarialProject, FIELDS, type Field, fill, leastCpuMs } from './helpers/adversarial.js';

const FACTOR = 10;
/** CPU milliseconds below which a baseline is not told apart from noise. */
const FLOOR_MS = 15;
const PLAIN = fill('lorem ipsum dolor sit amet ');

/** Texts from the issue and others that made patterns backtrack. */
const FIXED: readonly string[] = [
  `{{${fill(' ', 64 * 1024 - 2)}`,
  fill('{{'),
  fill('{{ '),
  `${fill('a', 64 * 1024 - 1)}!`,
  `http://${fill('a', 64 * 1024 - 8)} `,
  `https://${fill('/', 64 * 1024 - 9)} `,
  fill('-----BEGIN '),
  fill('a://u:'),
  `${fill('1', 64 * 1024 - 1)}x`,
  fill('$a'),
  fill('{ #'),
  fill('\u202e\u200b'),
];

const baselines = new Map<Field, number>();
async function baseline(field: Field): Promise<number> {
  let ms = baselines.get(field);
  if (ms === undefined) {
    ms = await leastCpuMs(adversarialProject(field, PLAIN));
    baselines.set(field, ms);
  }
  return ms;
}

async function expectLinear(field: Field, text: string): Promise<void> {
  const plain = Math.max(await baseline(field), FLOOR_MS);
  const hostile = await leastCpuMs(adversarialProject(field, text), 2);
  expect(
    hostile / plain,
    `${field}: ${hostile.toFixed(1)} ms against ${plain.toFixed(1)} ms`,
  ).toBeLessThanOrEqual(FACTOR);
}

describe('linear time on any input', () => {
  it.each(FIELDS)('%s: the fixed adversarial texts', async (field) => {
    for (const text of FIXED) await expectLinear(field, text);
  });

  it('any field, any mix of openers, spaces and backtracking bait', async () => {
    const piece = fc
      .array(
        fc.constantFrom(
          '{{',
          '}}',
          ' ',
          '\t',
          'a',
          '!',
          ':',
          '#',
          '-',
          '"',
          "'",
          '[',
          '{',
          '\\',
          '0',
          '@',
          '//',
          'http://',
          '\u202e',
          '$',
        ),
        { minLength: 1, maxLength: 12 },
      )
      .map((parts) => fill(parts.join('')));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIELDS), piece, async (field, text) => {
        await expectLinear(field, text);
      }),
      { numRuns: 25 },
    );
  });
});
