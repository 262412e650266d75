// Open the backend an environment's settings name: files under stateDir (the default), or a
// PostgreSQL schema. The database client is loaded only when a postgres backend is used.
import { type EnvironmentSettings, resolveReference } from '../config/environment.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { StateBackend } from './backend.js';
import { FileBackend } from './file/file-backend.js';

export interface OpenBackendOptions {
  env?: NodeJS.ProcessEnv;
  /** Paths in messages are shown relative to this. */
  cwd?: string;
}

export async function openBackend(
  config: LoadedConfig,
  settings: EnvironmentSettings,
  options: OpenBackendOptions = {},
): Promise<StateBackend> {
  const state = settings.state;
  if (state.backend === 'file') return new FileBackend(settings.stateDir, settings.name, options.cwd);
  const url =
    state.url === undefined
      ? undefined
      : resolveReference(config, settings.name, 'state.url', state.url, options.env).trim();
  const { PostgresBackend } = await import('./postgres/pg-backend.js');
  const { checkStateUrl, describeTarget } = await import('./postgres/pg-connect.js');
  if (url !== undefined) checkStateUrl(url);
  const target = { url, schema: state.schema };
  return new PostgresBackend(target, settings.name, describeTarget(target, options.env));
}
