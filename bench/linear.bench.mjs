// Linear time on hostile input: the CPU time of validating (load, schema, rules, recipients rows) a
// campaign whose one field holds 64 KiB of adversarial text, as a ratio to 64 KiB of plain text in the
// same field, in one process on the built code. test/linear-time.test.ts asserts a bound on the same
// ratio; this prints it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figure, root } from './lib.mjs';

const SIZE = 64 * 1024;
const fill = (piece, size = SIZE) => piece.repeat(Math.ceil(size / piece.length)).slice(0, size);

const CASES = {
  'dataInfo {{ + spaces': ['dataInfo', `{{${fill(' ', SIZE - 2)}`],
  'codeInfo {{ repeated': ['codeMsg', fill('{{ ')],
  'imageUrl a…a then space': ['imageUrl', `http://${fill('a', SIZE - 8)} `],
  'description a…a!': ['description', `${fill('a', SIZE - 1)}!`],
  'recipients cell {{…': ['csvName', fill('{{ ')],
};

function project(field, text) {
  const q = JSON.stringify;
  const v = (f, normal) => (f === field ? q(text) : normal);
  const campaign = `campaign: bench
templates:
  coffee:
    type: COUPON
    product: GIFT_CARD
    codeType: qrcode
    codeStandard: QRCODE
    startDate: 2099-06-01T00:00:00+08:00
    endDate: 2099-08-31T23:59:59+08:00
    imageUrl: ${v('imageUrl', 'https://cdn.example.com/i.png')}
    stock: 100
    localeInfo:
      en_US: { name: Coffee, description: ${v('description', 'Ten off')} }
passes:
  gift:
    template: coffee
    recipients: welcome.csv
    codeInfo: { $codemsg$: ${v('codeMsg', '"{{ name }}"')}, $codevalue$: "{{userId}}" }
    dataInfo: { en_US: { $shopname$: ${v('dataInfo', '"Shop {{name}}"')} } }
`;
  return {
    'campaigns/bench.yaml': campaign,
    'campaigns/welcome.csv': `userId,name\n2160220037090534,${field === 'csvName' ? q(text) : 'Chan'}\n`,
  };
}

async function cpuMs(files) {
  const { loadCampaigns } = await import(join(root, 'dist/campaign/load-campaigns.js'));
  const { summarizePassBatches } = await import(join(root, 'dist/passes/summarize.js'));
  const { emptyState } = await import(join(root, 'dist/state/state-format.js'));
  const dir = mkdtempSync(join(tmpdir(), 'ipass-bench-linear-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const start = process.cpuUsage();
    const loaded = await loadCampaigns({ cwd: dir, rootDir: dir, patterns: ['campaigns'], now: Date.now() });
    await summarizePassBatches({
      batches: loaded.set.passes,
      state: emptyState('dev', '00000000-0000-0000-0000-000000000000'),
      ledgers: undefined,
      environment: 'dev',
    });
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function least(files, runs = 5) {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) best = Math.min(best, await cpuMs(files));
  return best;
}

export default async function linearBench() {
  const plainText = fill('lorem ipsum dolor sit amet ');
  for (const [name, [field, text]] of Object.entries(CASES)) {
    const plain = await least(project(field, plainText));
    const hostile = await least(project(field, text));
    figure(
      name,
      `${hostile.toFixed(1)} ms CPU vs ${plain.toFixed(1)} ms for plain text: ratio ${(hostile / plain).toFixed(2)}`,
    );
  }
}
