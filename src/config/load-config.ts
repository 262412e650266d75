import { dirname, resolve } from 'node:path';
import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath } from '../diagnostics/display-path.js';
import { parseYamlSource, type YamlSource } from '../diagnostics/yaml-source.js';
import type { EnvironmentConfig, IpassConfig, PolicyConfig, StateConfig } from './config.generated.js';
import { validateWithSchema } from './schema-check.js';

export interface LoadedConfig {
  /** Absolute path of the config file; undefined when none was found and defaults apply. */
  file: string | undefined;
  /** Folder that relative paths in the config are resolved against. */
  rootDir: string;
  /** Folders or globs of campaign files, relative to rootDir. */
  campaigns: string[];
  /** Absolute state folder. */
  stateDir: string;
  /** Where state lives unless an environment says otherwise; undefined: files under stateDir. */
  state: StateConfig | undefined;
  /** Business rules for every environment (an environment's own rules win rule by rule). */
  policies: PolicyConfig | undefined;
  defaultEnvironment: string;
  /** Always contains "sandbox". */
  environments: Record<string, EnvironmentConfig>;
}

export interface LoadConfigOptions {
  /** Where the search starts: this folder, then each parent up to the file-system root (as git does). */
  cwd: string;
  /** An explicit config file (--config). */
  configFile?: string;
}

export interface LoadConfigResult {
  config: LoadedConfig | undefined;
  diagnostics: Diagnostic[];
}

export const CONFIG_SEARCH_PLACES = [
  'ipass.config.yaml',
  'ipass.config.yml',
  'ipass.config.json',
  'package.json',
  '.ipassrc',
  '.ipassrc.json',
  '.ipassrc.yaml',
  '.ipassrc.yml',
  '.ipassrc.js',
  '.ipassrc.mjs',
  '.ipassrc.cjs',
  '.config/ipassrc',
  '.config/ipassrc.json',
  '.config/ipassrc.yaml',
  '.config/ipassrc.yml',
  'ipass.config.js',
  'ipass.config.mjs',
  'ipass.config.cjs',
];

export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const sources = new Map<string, YamlSource>();
  const yamlLoader = (filepath: string, content: string): unknown => {
    const source = parseYamlSource(content, displayPath(dirname(filepath), filepath));
    sources.set(filepath, source);
    // A file with syntax errors must not look empty (cosmiconfig would skip it); its diagnostics are reported below.
    return source.value ?? (source.diagnostics.length > 0 ? {} : null);
  };
  const explorer = cosmiconfig('ipass', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'none',
    cache: false,
    loaders: {
      ...defaultLoaders,
      '.yaml': yamlLoader,
      '.yml': yamlLoader,
      noExt: yamlLoader,
      '.json': jsonLoader,
    },
  });

  let found: { config: unknown; filepath: string } | null;
  try {
    found = options.configFile
      ? await explorer.load(resolve(options.cwd, options.configFile))
      : await searchUpwards(options.cwd, (dir) => explorer.search(dir));
  } catch (error) {
    const file = options.configFile
      ? displayPath(options.cwd, resolve(options.cwd, options.configFile))
      : '.';
    return {
      config: undefined,
      diagnostics: [
        {
          severity: 'error',
          code: 'CONFIG_UNREADABLE',
          message: `The config file could not be read: ${(error as Error).message.split('\n')[0]}`,
          hint: options.configFile
            ? 'Check the path given to --config.'
            : 'Fix the config file, or remove it to use the defaults.',
          position: { file, line: 1, col: 1 },
        },
      ],
    };
  }

  if (!found) return { config: withDefaults({}, undefined, options.cwd), diagnostics: [] };

  const source = sources.get(found.filepath);
  if (source && source.diagnostics.length > 0) return { config: undefined, diagnostics: source.diagnostics };
  const raw = found.config ?? {};
  const file = displayPath(dirname(found.filepath), found.filepath);
  const locate =
    source?.locate ?? (() => ({ file, line: 1, col: 1 }) as { file: string; line: number; col: number });
  const diagnostics = validateWithSchema(configSchema, raw, locate, 'CONFIG');
  if (diagnostics.some((d) => d.severity === 'error')) return { config: undefined, diagnostics };
  return { config: withDefaults(raw as IpassConfig, found.filepath, options.cwd), diagnostics };
}

/**
 * The nearest config: in `cwd`, else in its parent, and so on up to the file-system root, as git finds
 * its repository. Its folder is the project root, whatever sub-folder a command runs in.
 */
async function searchUpwards<T>(
  cwd: string,
  searchIn: (dir: string) => Promise<T | null>,
): Promise<T | null> {
  let dir = resolve(cwd);
  for (;;) {
    const found = await searchIn(dir);
    if (found) return found;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function jsonLoader(filepath: string, content: string): unknown {
  // package.json keeps cosmiconfig's own handling (it reads the "ipass" property).
  if (filepath.endsWith('package.json')) return JSON.parse(content);
  return parseYamlSource(content, filepath).value ?? null;
}

function withDefaults(raw: IpassConfig, file: string | undefined, cwd: string): LoadedConfig {
  const rootDir = file ? dirname(file) : cwd;
  const campaigns = raw.campaigns === undefined ? ['campaigns'] : [raw.campaigns].flat();
  const environments: Record<string, EnvironmentConfig> = { sandbox: { endpoint: 'sandbox' } };
  for (const [name, env] of Object.entries(raw.environments ?? {})) if (env) environments[name] = env;
  return {
    file,
    rootDir,
    campaigns,
    stateDir: resolve(rootDir, raw.stateDir ?? '.ipass'),
    state: raw.state,
    policies: raw.policies,
    defaultEnvironment: raw.defaultEnvironment ?? 'sandbox',
    environments,
  };
}
