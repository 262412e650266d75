// The checks of `ipass doctor` on keys: the private key (parses, RSA-2048 or larger, matches the
// public key when one is configured) and AlipayHK's public key. Each catches its own failure; no key
// material is ever put in a result.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { resolveReference } from '../config/environment.js';
import { IpassError } from '../diagnostics/errors.js';
import { parsePrivateKey, parsePublicKey } from '../shared/keys.js';
import type { Io } from './io.js';
import type { Project } from './project.js';

export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  code?: string;
  hint?: string;
}

export const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
export const skip = (name: string, detail: string): Check => ({ name, status: 'skip', detail });
const fail = (name: string, detail: string, code: string, hint: string): Check => ({
  name,
  status: 'fail',
  detail,
  code,
  hint,
});

/** A failed check from whatever was thrown: an IpassError's code, message and hint; never a stack. */
export function failed(name: string, error: unknown, detail?: string): Check {
  if (error instanceof IpassError) {
    return {
      name,
      status: 'fail',
      detail: detail ?? error.message,
      code: error.code,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  const message = String((error as Error)?.message ?? error).split('\n')[0] ?? '';
  return { name, status: 'fail', detail: detail ?? message };
}

const MIN_BITS = 2048;

/** The environment's field, resolved (env:/file:); undefined when it is not configured. */
function field(
  io: Io,
  project: Project,
  name: 'privateKey' | 'publicKey' | 'alipayPublicKey',
): string | undefined {
  const raw = project.config.environments[project.settings.name]?.[name];
  if (raw === undefined) return undefined;
  return resolveReference(project.config, project.settings.name, name, raw, io.env);
}

const NEW_PAIR =
  'AlipayHK signs with RSA-2048 or larger: `ipass keys generate` makes a new pair (register its public key with AlipayHK).';

export function checkPrivateKey(io: Io, project: Project): Check {
  const name = 'private key';
  if (project.settings.sandbox) return ok(name, "the embedded sandbox's own pair");
  let key: KeyObject;
  try {
    const text = field(io, project, 'privateKey');
    if (text === undefined)
      return fail(
        name,
        'no `privateKey` in the environment',
        'CONFIG_MISSING_CREDENTIAL',
        'Add `privateKey: env:IPASS_PRIVATE_KEY` (or file:PATH) to the environment.',
      );
    key = parsePrivateKey(text);
  } catch (error) {
    if (error instanceof IpassError) return failed(name, error);
    return fail(name, 'does not parse as an RSA private key', 'CONFIG_BAD_PRIVATE_KEY', NEW_PAIR);
  }
  const bits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
  if (bits === undefined)
    return fail(name, `a ${key.asymmetricKeyType} key, not RSA`, 'CONFIG_BAD_PRIVATE_KEY', NEW_PAIR);
  if (bits < MIN_BITS)
    return fail(name, `RSA ${bits} bits, fewer than ${MIN_BITS}`, 'CONFIG_BAD_PRIVATE_KEY', NEW_PAIR);
  let text: string | undefined;
  try {
    text = field(io, project, 'publicKey');
    if (text === undefined)
      return ok(name, `RSA ${bits} bits (no \`publicKey\` configured to compare it with)`);
    const registered = parsePublicKey(text).export({ type: 'spki', format: 'der' });
    const mine = createPublicKey(key).export({ type: 'spki', format: 'der' });
    if (!registered.equals(mine))
      return fail(
        name,
        `RSA ${bits} bits, but it does not match \`publicKey\``,
        'CONFIG_BAD_PRIVATE_KEY',
        'The private key and the public key registered with AlipayHK must be one pair: check both references.',
      );
  } catch (error) {
    if (error instanceof IpassError) return failed(name, error);
    return fail(name, 'the configured `publicKey` does not parse', 'CONFIG_BAD_PUBLIC_KEY', NEW_PAIR);
  }
  return ok(name, `RSA ${bits} bits; matches \`publicKey\``);
}

export function checkAlipayKey(io: Io, project: Project): Check {
  const name = 'AlipayHK key';
  if (project.settings.sandbox) return ok(name, "the embedded sandbox's own key");
  try {
    const text = field(io, project, 'alipayPublicKey');
    if (text === undefined) {
      return project.settings.insecureSkipResponseVerification
        ? fail(
            name,
            'none: responses are not verified (insecureSkipResponseVerification)',
            'CONFIG_MISSING_CREDENTIAL',
            "Add `alipayPublicKey:` (AlipayHK's published key) and remove insecureSkipResponseVerification.",
          )
        : fail(
            name,
            'no `alipayPublicKey` in the environment',
            'CONFIG_MISSING_CREDENTIAL',
            'Add `alipayPublicKey:` with the key AlipayHK published for your app.',
          );
    }
    const key = parsePublicKey(text);
    const bits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
    if (bits === undefined)
      return fail(
        name,
        `a ${key.asymmetricKeyType} key, not RSA`,
        'CONFIG_BAD_PUBLIC_KEY',
        'Give the RSA key AlipayHK published.',
      );
    return ok(name, `RSA ${bits} bits`);
  } catch (error) {
    if (error instanceof IpassError) return failed(name, error);
    return fail(
      name,
      'does not parse as a public key',
      'CONFIG_BAD_PUBLIC_KEY',
      'Give the SPKI PEM ("BEGIN PUBLIC KEY") or bare base64 text that AlipayHK published for your app.',
    );
  }
}
