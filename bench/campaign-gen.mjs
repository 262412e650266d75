// Generated campaign files for the benchmarks: `files` files of `perFile` realistic templates each.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

function template(f, t, perFile) {
  const n = f * perFile + t;
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

export function campaignFile(
  f,
  { perFile = 10, start = '2027-06-01T00:00:00+08:00', end = '2027-08-31T23:59:59+08:00' } = {},
) {
  const templates = Array.from({ length: perFile }, (_, t) => template(f, t, perFile)).join('');
  return `campaign: campaign-${f}
defaults:
  type: COUPON
  product: GIFT_CARD
  codeType: qrcode
  codeStandard: QRCODE
  startDate: ${start}
  endDate: ${end}
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

/** Write `files` campaign files into <dir>/campaigns; returns the bytes written. */
export function writeCampaigns(dir, { files, perFile = 10, start, end }) {
  mkdirSync(join(dir, 'campaigns'), { recursive: true });
  let bytes = 0;
  for (let f = 0; f < files; f++) {
    const text = campaignFile(f, { perFile, ...(start ? { start } : {}), ...(end ? { end } : {}) });
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, 'campaigns', `campaign-${String(f).padStart(4, '0')}.yaml`), text);
  }
  return bytes;
}

/** The baseline: read and YAML.parse every campaign file in this process. */
export function parseBaseline(dir) {
  const folder = join(dir, 'campaigns');
  const started = process.hrtime.bigint();
  let templates = 0;
  for (const name of readdirSync(folder).sort()) {
    templates += Object.keys(parse(readFileSync(join(folder, name), 'utf8')).templates).length;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, templates };
}
