// The starter campaign `ipass init` writes: one valid coffee voucher whose dates lie a few months
// after `now`, so it validates on the day it is written. Pure (the clock is passed in).

const HONG_KONG = 8 * 3_600_000;

/** Year and month (1–12) `months` after the month of `now`, in Hong Kong time. */
function monthStart(now: number, months: number): { year: number; month: number } {
  const d = new Date(now + HONG_KONG);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Start: the 1st of the month after next; end: the last day of the month two months later. */
export function exampleDates(now: number): { start: string; end: string } {
  const s = monthStart(now, 2);
  const e = monthStart(now, 4);
  const lastDay = new Date(Date.UTC(e.year, e.month, 0)).getUTCDate();
  return {
    start: `${s.year}-${pad(s.month)}-01T00:00:00+08:00`,
    end: `${e.year}-${pad(e.month)}-${pad(lastDay)}T23:59:59+08:00`,
  };
}

export function exampleCampaign(now: number): string {
  const { start, end } = exampleDates(now);
  return `# An example campaign to try ipass with: one coffee voucher. \`ipass preview\` shows the card,
# \`ipass plan\` what apply would create. Make it your own before the first apply: rename this file
# (e.g. campaigns/2027/spring.yaml) and change \`campaign:\`, the template's key and its text.
# (Applied it as it is and want it gone? Add \`removed: [example/coffee-voucher]\` to a campaign file.)
# Editors with YAML support check every file under campaigns/ against the ipass schema (the mapping
# is in .vscode/settings.json), in any sub-folder: no \`$schema\` line is needed.
campaign: example

defaults:
  type: COUPON
  product: GIFT_CARD
  codeType: qrcode
  codeStandard: QRCODE
  merchantLogo: https://cdn.example.com/brand/logo.png
  exposure: exposed
  button: { btnType: usage, urlType: CODE_PAY_BTN }

templates:
  coffee-voucher:
    startDate: ${start}
    endDate: ${end}
    imageUrl: https://cdn.example.com/vouchers/coffee-350x350.png
    orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010&page=pages%2Fvouchers%2Fcoffee
    categories: [CoffeeAndTea]
    stock: 1000
    currentAmountCent: 2800
    originalAmountCent: 3800
    currencyCode: HKD
    localeInfo:
      zh_HK:
        name: 咖啡優惠券
        description: 憑券購買任何中杯或大杯咖啡即減 $10。每次消費限用一張。
        shops: 全港分店
        brandName: 示範咖啡
      en_US:
        name: Coffee voucher
        description: HK$10 off any medium or large coffee. One voucher per purchase.
        shops: All shops in Hong Kong
        brandName: Demo Coffee
`;
}
