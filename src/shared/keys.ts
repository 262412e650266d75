// RSA keys from the text a config, an environment variable or the sandbox's key files hold: PEM or
// bare base64 DER, in either of the usual encodings. Below both the client (api/) and config/.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----/;

function bareBase64(material: string): Buffer | undefined {
  const compact = material.replace(/\s+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** A private key from PEM (PKCS#8 or PKCS#1) or bare base64 DER (PKCS#8, else PKCS#1). */
export function parsePrivateKey(material: string): KeyObject {
  const text = material.trim();
  if (PEM.test(text)) return createPrivateKey({ key: text, format: 'pem' });
  const der = bareBase64(text);
  if (!der) throw new Error('not a PEM block or base64 text');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

/** A public key from PEM (SPKI or PKCS#1) or bare base64 DER (SPKI, else PKCS#1). */
export function parsePublicKey(material: string): KeyObject {
  const text = material.trim();
  if (PEM.test(text)) return createPublicKey({ key: text, format: 'pem' });
  const der = bareBase64(text);
  if (!der) throw new Error('not a PEM block or base64 text');
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}
