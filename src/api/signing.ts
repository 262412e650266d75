// Request signing and response verification, byte for byte as protocol.md says (pure: node:crypto
// only). Content = "POST <path>\n<Client-Id>.<time>.<body>"; value = urlencode(base64(RSA-SHA256)).
import { type KeyObject, sign, verify } from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'RSA256';

/** The exact string that is signed (requests) or verified (responses). */
export function contentToSign(
  method: string,
  path: string,
  clientId: string,
  time: string,
  body: string,
): string {
  return `${method} ${path}\n${clientId}.${time}.${body}`;
}

/** `encodeURIComponent(base64(RSASSA-PKCS1-v1_5-SHA256(utf8(content))))`. */
export function signContent(content: string, privateKey: KeyObject): string {
  return encodeURIComponent(sign('sha256', Buffer.from(content, 'utf8'), privateKey).toString('base64'));
}

/** The same as signContent, computed on libuv's thread pool so many requests can sign in parallel. */
export function signContentAsync(content: string, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(content, 'utf8'), privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(encodeURIComponent(signature.toString('base64')));
    });
  });
}

/** Decode a signature value (percent-decoding is case-insensitive) and verify it. Never throws. */
export function verifyContent(content: string, signatureValue: string, publicKey: KeyObject): boolean {
  let raw: Buffer;
  try {
    raw = Buffer.from(decodeURIComponent(signatureValue), 'base64');
  } catch {
    return false;
  }
  if (raw.length === 0) return false;
  try {
    return verify('sha256', Buffer.from(content, 'utf8'), publicKey, raw);
  } catch {
    return false;
  }
}

export interface SignatureHeader {
  algorithm?: string;
  keyVersion?: string;
  signature?: string;
}

/** `algorithm=RSA256,keyVersion=1,signature=...`, no spaces. */
export function formatSignatureHeader(keyVersion: number | string, signature: string): string {
  return `algorithm=${SIGNATURE_ALGORITHM},keyVersion=${keyVersion},signature=${signature}`;
}

/** Split on ",", trim, split each pair on the first "=". Unknown keys are ignored. */
export function parseSignatureHeader(value: string): SignatureHeader {
  const out: SignatureHeader = {};
  for (const part of value.split(',')) {
    const pair = part.trim();
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    const val = pair.slice(eq + 1).trim();
    if (key === 'algorithm') out.algorithm = val;
    else if (key === 'keyVersion') out.keyVersion = val;
    else if (key === 'signature') out.signature = val;
  }
  return out;
}
