// Campaign files for the preview's browser tests: every text at the API's longest in both scripts
// (limits read from the schema), hostile text, images served from 127.0.0.1, and the codes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import campaignSchema from '../../schemas/campaign.schema.json' with { type: 'json' };

type Locale = 'en_US' | 'zh_HK';
const DEFINITION = { en_US: 'LocaleTextEnUS', zh_HK: 'LocaleTextZhHK' } as const;
const TAB = { en_US: 'CustomTabEnUS', zh_HK: 'CustomTabZhHK' } as const;
export const TEXT_FIELDS = ['brandName', 'name', 'subName', 'description', 'shops'] as const;

const definitions = campaignSchema.definitions as unknown as Record<
  string,
  { properties: Record<string, { maxLength?: number; maximum?: number }> }
>;

/** The schema's maxLength of a text of a locale. */
export function schemaLimit(locale: Locale, field: (typeof TEXT_FIELDS)[number] | 'tabLabel'): number {
  const def = field === 'tabLabel' ? definitions[TAB[locale]] : definitions[DEFINITION[locale]];
  const max = def?.properties[field === 'tabLabel' ? 'label' : field]?.maxLength;
  if (max === undefined) throw new Error(`no maxLength for ${locale} ${field} in the schema`);
  return max;
}

const MAX_AMOUNT = definitions.TemplateSpec?.properties.currentAmountCent?.maximum ?? 0;

/** `unit` repeated to exactly `n` characters (code points). */
export function fill(unit: string, n: number): string {
  const units = [...unit];
  return Array.from({ length: n }, (_, i) => units[i % units.length]).join('');
}

const q = (s: string): string => JSON.stringify(s);

/** One template: every text of both locales filled from `en` / `zh` units to the schema's limits. */
function maxTemplate(key: string, en: string, zh: string, code: string, images: string): string {
  const locale = (l: Locale, unit: string): string[] => [
    `      ${l}:`,
    ...TEXT_FIELDS.map((f) => `        ${f}: ${q(fill(unit, schemaLimit(l, f)))}`),
    '        customTabs:',
    ...[1, 2, 3].map(
      (i) =>
        `          - { label: ${q(fill(unit, schemaLimit(l, 'tabLabel')))}, type: url, value: "https://example.com/${l}/${i}" }`,
    ),
  ];
  return [
    `  ${key}:`,
    code,
    images,
    `    currentAmountCent: ${MAX_AMOUNT}`,
    `    originalAmountCent: ${MAX_AMOUNT}`,
    '    localeInfo:',
    ...locale('en_US', en),
    ...locale('zh_HK', zh),
  ].join('\n');
}

const COMMON = `defaults:
  type: COUPON
  product: GIFT_CARD
  startDate: 2030-06-01T00:00:00+08:00
  endDate: 2030-08-31T23:59:59+08:00
  exposure: exposed
  categories: [Food, CoffeeAndTea]
  currencyCode: HKD
  stock: 1000000
  orderPageLink: alipayhk://platformapi/startapp?appId=2160003634300010
  button: { btnType: payment, urlType: CUSTOM_BTN, btnUrl: "https://example.com/${fill('x', 400)}" }
`;

/** Texts at their longest: no spaces at all (W, the widest Latin letter; 鬱, a dense CJK one), and words. */
export function limitsCampaign(imageBase: string): string {
  const images = (name: string): string =>
    `    imageUrl: ${imageBase}/${name}.png\n    merchantLogo: ${imageBase}/logo.png`;
  return [
    'campaign: limits',
    COMMON,
    'templates:',
    maxTemplate('wide', 'W', '鬱', '    codeType: qrcode\n    codeStandard: QRCODE', images('card')),
    maxTemplate(
      'words',
      'Harbour Roast iced coffee ',
      '海港烘焙夏日凍咖啡，',
      '    codeType: barcode\n    codeStandard: EAN-13',
      images('missing'),
    ),
    maxTemplate('digits', '8', '８', '    codeType: barcode\n    codeStandard: CODE128', images('card')),
  ].join('\n');
}

/** Text that would be markup if it were not escaped. */
export const HOSTILE = {
  name: '<img src=x onerror="document.title=1">Deal & "x"',
  description: '</div><script>document.title="pwned"</script><b>not bold</b>',
};

export function hostileCampaign(imageBase: string): string {
  return `campaign: hostile
${COMMON}
templates:
  tags:
    codeType: promocode
    codeStandard: QRCODE
    imageUrl: ${imageBase}/card.png
    merchantLogo: ${imageBase}/logo.png
    localeInfo:
      en_US: { name: ${q(HOSTILE.name)}, description: ${q(HOSTILE.description)}, shops: All, brandName: B }
`;
}

export interface ImageServer {
  base: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves /card.png (350×350) and /logo.png (64×64) on 127.0.0.1; anything else is a 404. */
export async function serveImages(): Promise<ImageServer> {
  const png = (size: number, rgb: [number, number, number]): Buffer => {
    const image = new PNG({ width: size, height: size });
    for (let i = 0; i < size * size; i++) image.data.set([...rgb, 255], i * 4);
    return PNG.sync.write(image);
  };
  const files: Record<string, Buffer> = {
    '/card.png': png(350, [200, 120, 60]),
    '/logo.png': png(64, [20, 90, 160]),
  };
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/png' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
