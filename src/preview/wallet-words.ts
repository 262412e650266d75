// The wallet's own words around a card, per locale, as the preview shows them (our reading of the
// app, not its strings), and the words for what the button and the status mean. Pure.
import type { Locale } from './text-limits.js';

interface Words {
  valid: string;
  until: string;
  hkt: string;
  description: string;
  shops: string;
  status: Readonly<Record<string, string>>;
  button: Readonly<Record<string, string>>;
  noText: string;
  tabs: string;
  /** A price of 0. */
  free: string;
}

export const WORDS: Readonly<Record<Locale, Words>> = {
  en_US: {
    valid: 'Valid',
    until: '–',
    hkt: 'HKT',
    description: 'Description',
    shops: 'Where to use',
    status: { valid: 'Live', paused: 'Paused', closed: 'Closed' },
    button: { usage: 'Use now', payment: 'Pay' },
    noText: 'This template has no en_US text: English-speaking users see no card text.',
    tabs: 'More',
    free: 'Free',
  },
  zh_HK: {
    valid: '有效期',
    until: '至',
    hkt: '香港時間',
    description: '使用說明',
    shops: '適用商店',
    status: { valid: '生效中', paused: '已暫停', closed: '已關閉' },
    button: { usage: '立即使用', payment: '付款' },
    noText: '此模板沒有 zh_HK 文字 (This template has no zh_HK text.)',
    tabs: '更多',
    free: '免費',
  },
};

/** Where the button leads, in plain words (annotation, English). */
export function buttonTarget(urlType: string, btnUrl: string | undefined, browserOpen: boolean): string {
  if (urlType === 'CODE_PAY_BTN') return 'opens the wallet’s payment QR code page (CODE_PAY_BTN)';
  if (urlType === 'SCAN_PAY_BTN') return 'opens the wallet’s scan-to-pay page (SCAN_PAY_BTN)';
  if (urlType === 'CUSTOM_BTN')
    return `opens ${btnUrl ?? '(no btnUrl)'}${browserOpen ? ' in the browser' : ''} (CUSTOM_BTN)`;
  return `urlType ${urlType || '(none)'}`;
}

/** What each status means for a user, in plain words (annotation, English). */
export const STATUS_MEANING: Readonly<Record<string, string>> = {
  valid: 'live: users can get and use it',
  paused: 'paused: temporarily offline',
  closed: 'closed for good: cannot be reopened',
};
