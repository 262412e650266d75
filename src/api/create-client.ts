// Build an IpassClient from a resolved environment and its credentials (see config/environment.ts).
// The embedded sandbox has no URL of its own in the config: its caller passes the emulator's baseUrl.
import type { Dispatcher } from 'undici';
import type { Credentials, EnvironmentSettings } from '../config/environment.js';
import { IpassError } from '../diagnostics/errors.js';
import type { ClientEvent } from './api-result.js';
import { IpassClient, type IpassClientOptions } from './client.js';

export interface CreateClientExtra {
  dispatcher?: Dispatcher;
  onEvent?: (event: ClientEvent) => void;
  /** Overrides settings.endpoint; required for the embedded sandbox (e.g. http://127.0.0.1:4010). */
  baseUrl?: string;
}

export function createClient(
  settings: EnvironmentSettings,
  credentials: Credentials,
  extra: CreateClientExtra = {},
): IpassClient {
  const baseUrl = extra.baseUrl ?? (settings.sandbox ? undefined : settings.endpoint);
  if (baseUrl === undefined) {
    throw new IpassError(
      'CLIENT_NO_BASE_URL',
      `Environment "${settings.name}" is the embedded sandbox, which was not started.`,
      {
        hint: 'This is a bug in ipass: the sandbox URL must be passed when the client is created.',
      },
    );
  }
  const options: IpassClientOptions = {
    baseUrl,
    clientId: credentials.clientId,
    merchantId: credentials.merchantId,
    privateKey: credentials.privateKey,
    keyVersion: settings.keyVersion,
    alipayPublicKey: credentials.alipayPublicKey,
    insecureSkipResponseVerification: settings.insecureSkipResponseVerification,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    concurrency: settings.concurrency,
    requestsPerSecond: settings.requestsPerSecond,
  };
  if (extra.dispatcher !== undefined) options.dispatcher = extra.dispatcher;
  if (extra.onEvent !== undefined) options.onEvent = extra.onEvent;
  return new IpassClient(options);
}
