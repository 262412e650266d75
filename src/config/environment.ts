// Pick the environment (--env, IPASS_ENV, defaultEnvironment), apply defaults, and resolve
// `env:NAME` / `file:PATH` references. Secret values are read only when a command needs them.
import type { KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { IpassError } from '../diagnostics/errors.js';
import { parsePrivateKey, parsePublicKey } from '../shared/keys.js';
import type { PolicyConfig, StateConfig } from './config.generated.js';
import type { LoadedConfig } from './load-config.js';
import { describeRefusal, readRegularFileSync, resolveInsideProject } from './project-root.js';

/** Keys, certificates and URLs are a few kilobytes; a `file:` reference larger than this is refused. */
const MAX_REFERENCE_BYTES = 256 * 1024;

export interface EnvironmentSettings {
  name: string;
  /** True for the embedded emulator (`endpoint: sandbox`). */
  sandbox: boolean;
  /** Base URL (no trailing slash) for remote environments; "sandbox" otherwise. */
  endpoint: string;
  keyVersion: number;
  concurrency: number;
  /** Requests started per second; Infinity when unbounded. */
  requestsPerSecond: number;
  timeoutMs: number;
  maxRetries: number;
  insecureSkipResponseVerification: boolean;
  /** <stateDir>/<name>.state.json and friends live here (file backend; the failures CSV in any case). */
  stateDir: string;
  /** Where the environment's state, journal, pass ledgers and lock live. */
  state: StateSettings;
  /** The business rules in force: the top-level `policies`, each rule the environment names replaced. */
  policies: PolicyConfig;
}

export type StateSettings =
  | { backend: 'file' }
  | {
      backend: 'postgres';
      /** As written in the config (env:NAME / file:PATH resolved only when opened); undefined: PG* variables. */
      url: string | undefined;
      schema: string;
    };

function stateSettings(raw: StateConfig | undefined): StateSettings {
  if (!raw || raw.backend === 'file') return { backend: 'file' };
  return { backend: 'postgres', url: raw.url, schema: raw.schema ?? 'ipass' };
}

export interface Credentials {
  clientId: string;
  merchantId: string;
  privateKey: KeyObject;
  /** Undefined only when insecureSkipResponseVerification is set. */
  alipayPublicKey: KeyObject | undefined;
}

export function selectEnvironmentName(
  config: LoadedConfig,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return flag ?? env.IPASS_ENV ?? config.defaultEnvironment;
}

export function environmentSettings(config: LoadedConfig, name: string): EnvironmentSettings {
  const raw = config.environments[name];
  if (!raw) {
    const known = Object.keys(config.environments).sort().join(', ');
    throw new IpassError('ENVIRONMENT_UNKNOWN', `There is no environment named "${name}".`, {
      hint: `Known environments: ${known}. Add "${name}" under \`environments:\` in the config, or pick another with --env.`,
    });
  }
  const sandbox = raw.endpoint === 'sandbox';
  if (!sandbox && !raw.alipayPublicKey && !raw.insecureSkipResponseVerification) {
    throw new IpassError(
      'CONFIG_NO_RESPONSE_KEY',
      `Environment "${name}" talks to ${raw.endpoint} but has no \`alipayPublicKey\` to verify responses with.`,
      {
        hint: 'Set `alipayPublicKey: file:keys/alipayhk-public.pem` (the key AlipayHK gave you), or, for a throw-away experiment only, `insecureSkipResponseVerification: true`.',
      },
    );
  }
  return {
    name,
    sandbox,
    endpoint: sandbox ? 'sandbox' : raw.endpoint.replace(/\/+$/, ''),
    keyVersion: raw.keyVersion ?? 1,
    concurrency: raw.concurrency ?? (sandbox ? 16 : 8),
    requestsPerSecond: raw.requestsPerSecond ?? (sandbox ? Number.POSITIVE_INFINITY : 20),
    timeoutMs: raw.timeoutMs ?? 15_000,
    maxRetries: raw.maxRetries ?? 5,
    insecureSkipResponseVerification: raw.insecureSkipResponseVerification ?? false,
    stateDir: config.stateDir,
    state: stateSettings(raw.state ?? config.state),
    policies: { ...config.policies, ...raw.policies },
  };
}

/** Resolve a config value: `env:NAME` from the environment, `file:PATH` relative to the config. */
export function resolveReference(
  config: LoadedConfig,
  envName: string,
  field: string,
  value: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (value.startsWith('env:')) {
    const variable = value.slice(4);
    const found = env[variable];
    if (found === undefined || found === '') {
      throw new IpassError(
        'CONFIG_ENV_MISSING',
        `\`${field}\` of environment "${envName}" reads $${variable}, which is not set.`,
        {
          hint: `Export ${variable} (in CI: add it as a secret), or change \`${field}\` in the config.`,
        },
      );
    }
    return found;
  }
  if (value.startsWith('file:')) return readReference(config, envName, field, value.slice(5));
  return value;
}

/** A `file:` reference: a regular file inside the project, read whole; never anything outside it. */
function readReference(config: LoadedConfig, envName: string, field: string, written: string): string {
  const inside = resolveInsideProject(
    config.rootDir,
    resolve(config.rootDir, written),
    `${field}: file:`,
    written,
  );
  if (!inside.ok) {
    throw new IpassError(inside.problem.code, `Environment "${envName}": ${inside.problem.message}`, {
      hint: `${inside.problem.hint} Or give the value as env:NAME.`,
    });
  }
  const read = readRegularFileSync(inside.path, MAX_REFERENCE_BYTES);
  if (read.ok) return read.bytes.toString('utf8');
  const { refusal } = read;
  const code =
    refusal.kind === 'not-regular'
      ? 'FILE_NOT_REGULAR'
      : refusal.kind === 'too-large'
        ? 'FILE_TOO_LARGE'
        : 'CONFIG_FILE_MISSING';
  throw new IpassError(
    code,
    `\`${field}\` of environment "${envName}" reads file:${written}, which ${describeRefusal(refusal)}.`,
    { hint: `Check the path (it is relative to the config file) or change \`${field}\`.` },
  );
}

/** Credentials of a remote environment. Key material never appears in errors. */
export function remoteCredentials(
  config: LoadedConfig,
  settings: EnvironmentSettings,
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const raw = config.environments[settings.name];
  if (!raw || settings.sandbox) throw new Error(`remoteCredentials called for ${settings.name}`);
  const need = (field: 'clientId' | 'merchantId' | 'privateKey'): string => {
    const v = raw[field];
    if (!v) {
      throw new IpassError(
        'CONFIG_MISSING_CREDENTIAL',
        `Environment "${settings.name}" has no \`${field}\`.`,
        {
          hint: `Add \`${field}:\` to environments.${settings.name} in the config (env:NAME or file:PATH keeps it out of git).`,
        },
      );
    }
    return resolveReference(config, settings.name, field, v, env).trim();
  };
  const clientId = need('clientId');
  const merchantId = need('merchantId');
  let privateKey: KeyObject;
  try {
    privateKey = parsePrivateKey(need('privateKey'));
  } catch (error) {
    if (error instanceof IpassError) throw error;
    throw new IpassError(
      'CONFIG_BAD_PRIVATE_KEY',
      `The privateKey of environment "${settings.name}" is not a usable RSA private key.`,
      {
        hint: 'Give a PEM (PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE KEY") or the bare base64 PKCS#8 text; `ipass keys generate` makes a new pair.',
      },
    );
  }
  let alipayPublicKey: KeyObject | undefined;
  if (raw.alipayPublicKey) {
    try {
      alipayPublicKey = parsePublicKey(
        resolveReference(config, settings.name, 'alipayPublicKey', raw.alipayPublicKey, env),
      );
    } catch (error) {
      if (error instanceof IpassError) throw error;
      throw new IpassError(
        'CONFIG_BAD_PUBLIC_KEY',
        `The alipayPublicKey of environment "${settings.name}" is not a usable public key.`,
        {
          hint: 'Give the SPKI PEM ("BEGIN PUBLIC KEY") or bare base64 text that AlipayHK published for your app.',
        },
      );
    }
  }
  return { clientId, merchantId, privateKey, alipayPublicKey };
}
