// The code on a card as an inline SVG: a QR code or a barcode of the template's codeStandard,
// drawn by bwip-js when the page is generated (no script, no network when the page is opened).
// A value that the standard cannot carry is reported in plain words instead of drawn.
import bwipjs from 'bwip-js';
import { type SafeHtml, trusted } from './html.js';

export type CodeImage =
  | { kind: 'image'; svg: SafeHtml; standard: string }
  | { kind: 'text' }
  | { kind: 'none' }
  | { kind: 'problem'; problem: string };

/** A sample EAN-13 number with a correct check digit (489 is Hong Kong's GS1 prefix). */
export const SAMPLE_EAN13 = '4891234567898';

/** What a template's preview encodes when no pass gives a value: a plausible value of its standard. */
export function sampleCodeValue(codeStandard: string): string {
  if (codeStandard === 'EAN-13') return SAMPLE_EAN13;
  if (codeStandard === 'CODE128') return 'SAMPLE-0001234567';
  return 'SAMPLE-PASS-0001234567';
}

/** EAN-13 check digit of the first 12 digits. */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

function problemWith(codeStandard: string, value: string): string | undefined {
  if (value === '') return 'the code value is empty';
  if (codeStandard === 'EAN-13') {
    if (!/^\d{13}$/.test(value)) return `EAN-13 carries exactly 13 digits, and "${value}" is not that`;
    const check = ean13CheckDigit(value.slice(0, 12));
    if (String(check) !== value[12])
      return `the last digit of an EAN-13 number is a check digit: "${value}" should end in ${check}`;
  }
  if (codeStandard === 'CODE128' && !/^[\x20-\x7e]+$/.test(value))
    return `CODE128 carries letters, digits and ASCII punctuation only, and "${value}" has other characters`;
  return undefined;
}

/** The code a pass of this template shows for `value`. */
export function codeImage(codeType: string, codeStandard: string, value: string): CodeImage {
  if (codeType === 'none') return { kind: 'none' };
  if (codeType === 'promocode') return { kind: 'text' };
  const problem = problemWith(codeStandard, value);
  if (problem) return { kind: 'problem', problem };
  try {
    const svg =
      codeStandard === 'QRCODE'
        ? bwipjs.toSVG({
            bcid: 'qrcode',
            // bwip-js reads one byte per character: hand it the UTF-8 bytes, as scanners expect.
            text: Buffer.from(value, 'utf8').toString('latin1'),
            scale: 4,
          })
        : crispBars(
            bwipjs.toSVG({
              bcid: codeStandard === 'EAN-13' ? 'ean13' : 'code128',
              text: value,
              scale: BAR_SCALE,
              height: 18,
            }),
          );
    return { kind: 'image', svg: trusted(svg), standard: codeStandard };
  } catch (error) {
    return { kind: 'problem', problem: `${codeStandard} cannot carry "${value}" (${bwipMessage(error)})` };
  }
}

/** bwip-js units per module of a 1-D barcode; bars then start and end on even units. */
const BAR_SCALE = 2;
/** The widest a barcode is drawn, in CSS pixels (the detail view's width less its margins). */
const BAR_MAX_WIDTH = 300;

/**
 * A barcode drawn a whole number of pixels per module, so no bar is smeared across two pixels and
 * a scanner reads it off any screen; stretched to a fixed height.
 */
function crispBars(svg: string): string {
  const width = Number(/viewBox="0 0 (\d+(?:\.\d+)?) /.exec(svg)?.[1]);
  if (!Number.isFinite(width) || width <= 0) return svg;
  const modules = width / BAR_SCALE;
  const px = Math.max(1, Math.floor(BAR_MAX_WIDTH / modules));
  return svg.replace('<svg ', `<svg width="${modules * px}" height="80" preserveAspectRatio="none" `);
}

function bwipMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^bwipp\.\w+#\d+:\s*/, '');
}
