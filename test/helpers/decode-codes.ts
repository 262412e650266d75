// Read codes back from screenshots with decoders that share nothing with the generator: jsQR for QR
// codes, ZXing for 1-D barcodes. Input: a PNG (as taken by playwright's screenshot()).
import zxing from '@zxing/library';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS whose types describe an ES default export.
const jsQR = jsQRModule.default;

export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return found?.data;
}

export function decodeBarcode(png: Buffer): { text: string; format: string } | undefined {
  const image = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) {
    const [r, g, b] = [image.data[i * 4] ?? 0, image.data[i * 4 + 1] ?? 0, image.data[i * 4 + 2] ?? 0];
    luminance[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  const source = new zxing.RGBLuminanceSource(luminance, image.width, image.height);
  const bitmap = new zxing.BinaryBitmap(new zxing.HybridBinarizer(source));
  const hints = new Map<zxing.DecodeHintType, unknown>([
    [zxing.DecodeHintType.POSSIBLE_FORMATS, [zxing.BarcodeFormat.CODE_128, zxing.BarcodeFormat.EAN_13]],
    [zxing.DecodeHintType.TRY_HARDER, true],
  ]);
  try {
    const result = new zxing.MultiFormatReader().decode(bitmap, hints);
    return { text: result.getText(), format: zxing.BarcodeFormat[result.getBarcodeFormat()] ?? '?' };
  } catch {
    return undefined;
  }
}
