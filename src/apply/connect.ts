// Connect to an environment's API: the embedded sandbox (started in-process, keys under
// <stateDir>/sandbox/; the emulator is loaded only then) or a remote endpoint with the configured
// credentials.
import type { ClientEvent } from '../api/api-result.js';
import type { IpassClient } from '../api/client.js';
import { createClient } from '../api/create-client.js';
import { type EnvironmentSettings, remoteCredentials } from '../config/environment.js';
import type { LoadedConfig } from '../config/load-config.js';

export interface Target {
  client: IpassClient;
  /** Where requests go, for messages (never with secrets). */
  describe: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: ClientEvent) => void;
}

export async function connect(
  config: LoadedConfig,
  settings: EnvironmentSettings,
  options: ConnectOptions = {},
): Promise<Target> {
  const extra = options.onEvent ? { onEvent: options.onEvent } : {};
  if (!settings.sandbox) {
    const client = createClient(settings, remoteCredentials(config, settings, options.env), extra);
    return { client, describe: settings.endpoint, close: () => client.close() };
  }
  const { createEmbeddedSandbox } = await import('../sandbox/embedded.js');
  const { sandbox, identity } = await createEmbeddedSandbox(
    settings.stateDir,
    options.env ? { env: options.env } : {},
  );
  const credentials = {
    clientId: identity.clientId,
    merchantId: identity.merchantId,
    privateKey: identity.clientPrivateKey,
    alipayPublicKey: identity.sandboxPublicKey,
  };
  const client = createClient(settings, credentials, { ...extra, baseUrl: sandbox.url });
  return {
    client,
    describe: `the embedded sandbox (${sandbox.url})`,
    async close() {
      await client.close();
      await sandbox.close();
    },
  };
}
