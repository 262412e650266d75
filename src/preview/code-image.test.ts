import { describe, expect, it } from 'vitest';
import { codeImage, ean13CheckDigit, SAMPLE_EAN13, sampleCodeValue } from './code-image.js';

describe('codeImage', () => {
  it('draws each standard as an SVG, from a sample value that the standard accepts', () => {
    for (const [type, standard] of [
      ['qrcode', 'QRCODE'],
      ['barcode', 'CODE128'],
      ['barcode', 'EAN-13'],
    ] as const) {
      const image = codeImage(type, standard, sampleCodeValue(standard));
      expect(image.kind, standard).toBe('image');
      if (image.kind === 'image') expect(image.svg.value).toMatch(/^<svg [^>]*viewBox=/);
    }
    expect(ean13CheckDigit(SAMPLE_EAN13.slice(0, 12))).toBe(Number(SAMPLE_EAN13[12]));
  });

  it('draws a barcode a whole number of pixels per module', () => {
    const image = codeImage('barcode', 'CODE128', 'SAMPLE-0001234567');
    const width = image.kind === 'image' ? /width="(\d+)"/.exec(image.svg.value)?.[1] : undefined;
    // 17 characters of CODE128 are 178 modules wide: one pixel each within 300 pixels.
    expect(width).toBe('178');
  });

  it('says in plain words why a value cannot be drawn', () => {
    expect(codeImage('barcode', 'EAN-13', '4891234567890')).toEqual({
      kind: 'problem',
      problem: 'the last digit of an EAN-13 number is a check digit: "4891234567890" should end in 8',
    });
    expect(codeImage('barcode', 'EAN-13', 'SUMMER28-1')).toMatchObject({ kind: 'problem' });
    expect(codeImage('barcode', 'CODE128', '咖啡券')).toMatchObject({
      kind: 'problem',
      problem: expect.stringContaining('CODE128 carries letters, digits and ASCII punctuation only'),
    });
    expect(codeImage('qrcode', 'QRCODE', '')).toMatchObject({ kind: 'problem' });
  });

  it('shows a promotion code as text and no code for codeType none', () => {
    expect(codeImage('promocode', 'QRCODE', 'X')).toEqual({ kind: 'text' });
    expect(codeImage('none', 'QRCODE', 'X')).toEqual({ kind: 'none' });
  });
});
