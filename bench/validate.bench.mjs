// `ipass validate` on 10,000 templates in 1,000 generated campaign files, against the time it takes
// merely to read and YAML.parse the same files in one process. Reports wall time, ratio and peak RSS.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { figure, mb, root, runCli, secs } from './lib.mjs';

const FILES = 1000;
const TEMPLATES_PER_FILE = 10;
const work = join(root, 'bench/.work/validate');

function template(f, t) {
  const n = f * TEMPLATES_PER_FILE + t;
  return `  voucher-${t}:
    imageUrl: https://cdn.example.com/campaign-${f}/voucher-${t}.png
    stock: ${1000 + n}
    currentAmountCent: ${1000 + t * 100}
    originalAmountCent: ${2000 + t * 100}
    categories: [${t % 2 ? 'Food' : 'CoffeeAndTea'}]
    ${t === 3 ? 'status: paused' : 'protect: false'}
    localeInfo:
      zh_HK:
        name: 優惠券 ${n}
        subName: 任何飲品減 $${t + 5}
        description: |
          憑券於全港分店購買任何飲品即減 $${t + 5}。
          每次消費限用一張，不可兌換現金。
        customTabs:
          - { label: 分店地址, type: url, value: "https://example.com/zh/shops/${f}" }
      en_US:
        name: Voucher ${n}
        subName: HK$${t + 5} off any drink
        description: |
          HK$${t + 5} off any drink at all shops in Hong Kong.
          One voucher per purchase. Not exchangeable for cash.
        customTabs:
          - { label: Shop locations, type: url, value: "https://example.com/en/shops/${f}" }
`;
}

function campaignFile(f) {
  const templates = Array.from({ length: TEMPLATES_PER_FILE }, (_, t) => template(f, t)).join('');
  return `# yaml-language-server: $schema=../../../../schemas/campaign.schema.json
campaign: campaign-${f}
defaults:
  type: COUPON
  product: GIFT_CARD
  codeType: qrcode
  codeStandard: QRCODE
  startDate: 2099-06-01T00:00:00+08:00
  endDate: 2099-08-31T23:59:59+08:00
  merchantLogo: https://cdn.example.com/logo.png
  exposure: exposed
  currencyCode: HKD
  orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010&page=pages%2Fvouchers%2F${f}
  button: { btnType: usage, urlType: CODE_PAY_BTN }
  localeInfo:
    zh_HK: { brandName: 海港烘焙, shops: 全港分店 }
    en_US: { brandName: Harbour Roast, shops: All Hong Kong shops }
templates:
${templates}`;
}

function generate() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'campaigns'), { recursive: true });
  writeFileSync(join(work, 'ipass.config.yaml'), 'campaigns: campaigns\n');
  let bytes = 0;
  for (let f = 0; f < FILES; f++) {
    const text = campaignFile(f);
    bytes += Buffer.byteLength(text);
    writeFileSync(join(work, 'campaigns', `campaign-${String(f).padStart(4, '0')}.yaml`), text);
  }
  return bytes;
}

function baseline() {
  const dir = join(work, 'campaigns');
  const started = process.hrtime.bigint();
  let templates = 0;
  for (const name of readdirSync(dir).sort()) {
    const doc = parse(readFileSync(join(dir, name), 'utf8'));
    templates += Object.keys(doc.templates).length;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, templates };
}

export default async function validateBench() {
  const bytes = generate();
  figure('input', `${FILES} files, ${FILES * TEMPLATES_PER_FILE} templates, ${mb(bytes)}`);
  // The files were just written, so both runs read them from the page cache. The baseline's first
  // pass starts with cold code, as the CLI does; a second pass shows the same work with warm code.
  const cold = baseline();
  const warm = baseline();
  const run = await runCli(['validate', '--format', 'json'], { cwd: work });
  const result = JSON.parse(run.stdout);
  if (run.code !== 0 || result.counts.templates !== cold.templates) {
    throw new Error(
      `validate failed (exit ${run.code}): ${run.stdout.slice(0, 2000)}${run.stderr.slice(0, 2000)}`,
    );
  }
  figure('ipass validate (built CLI, wall, incl. node start)', secs(run.ms));
  figure('baseline: read + YAML.parse each file, 1st pass', secs(cold.ms));
  figure('baseline: the same, 2nd pass (warm code)', secs(warm.ms));
  figure('ratio validate / baseline 1st pass (target <= 2.0)', (run.ms / cold.ms).toFixed(2));
  figure('ratio validate / baseline 2nd pass', (run.ms / warm.ms).toFixed(2));
  figure('peak RSS of validate (target < 300 MB)', mb(run.rssBytes));
  rmSync(work, { recursive: true, force: true });
}
