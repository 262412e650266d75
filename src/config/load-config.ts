import { lstatSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { cosmiconfig, defaultLoaders, type Loader } from 'cosmiconfig';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath } from '../diagnostics/display-path.js';
import { excerpt } from '../diagnostics/terminal-text.js';
import { parseYamlSource, type YamlSource } from '../diagnostics/yaml-source.js';
import { validateWithSchema } from '../shared/schema-check.js';
import type { EnvironmentConfig, IpassConfig, PolicyConfig, StateConfig } from './config.generated.js';
import { describeRefusal, openRegularFile, resolveInsideProject } from './project-root.js';

/** A config file is a few kilobytes; anything this large is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

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
  // Files whose `$import` was removed before cosmiconfig could follow it (it reads any path).
  const imports = new Set<string>();
  const explorer = configExplorer(sources, imports);

  let found: { config: unknown; filepath: string } | null;
  try {
    if (options.configFile) {
      const path = resolve(options.cwd, options.configFile);
      const refused = await refuseUnsafeConfigFile([path], options.cwd);
      if (refused) return { config: undefined, diagnostics: [refused] };
      found = await explorer.load(path);
    } else {
      found = await searchUpwards(options.cwd, async (dir) => {
        const refused = await refuseUnsafeConfigFile(
          CONFIG_SEARCH_PLACES.map((place) => join(dir, place)),
          dir,
        );
        if (refused) throw new RefusedConfig(refused);
        return explorer.search(dir);
      });
    }
  } catch (error) {
    if (error instanceof RefusedConfig) return { config: undefined, diagnostics: [error.diagnostic] };
    const file = options.configFile
      ? displayPath(options.cwd, resolve(options.cwd, options.configFile))
      : '.';
    return {
      config: undefined,
      diagnostics: [
        {
          severity: 'error',
          code: 'CONFIG_UNREADABLE',
          message: `The config file could not be read: ${excerpt((error as Error).message.split('\n')[0] ?? '', 120)}`,
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
  if (imports.size > 0) {
    diagnostics.push({
      severity: 'error',
      code: 'CONFIG_IMPORT_REFUSED',
      message:
        'The config has an `$import` key: ipass does not merge other files into its config (they could be anywhere).',
      hint: 'Write the settings in this config file itself, and remove `$import`.',
      position: source ? source.locate(['$import'], 'key') : { file, line: 1, col: 1 },
    });
  }
  diagnostics.push(...campaignPathProblems(raw, locate));
  if (diagnostics.some((d) => d.severity === 'error')) return { config: undefined, diagnostics };
  return { config: withDefaults(raw as IpassConfig, found.filepath, options.cwd), diagnostics };
}

/** cosmiconfig with ipass's loaders: YAML with positions (kept in `sources`), `$import` removed (noted in `imports`). */
function configExplorer(sources: Map<string, YamlSource>, imports: Set<string>) {
  const yamlLoader = (filepath: string, content: string): unknown => {
    const source = parseYamlSource(content, displayPath(dirname(filepath), filepath));
    sources.set(filepath, source);
    // A file with syntax errors must not look empty (cosmiconfig would skip it); its diagnostics are reported below.
    return withoutImport(filepath, source.value ?? (source.diagnostics.length > 0 ? {} : null), imports);
  };
  const guarded =
    (loader: Loader): Loader =>
    async (filepath, content) =>
      withoutImport(filepath, await loader(filepath, content), imports);
  return cosmiconfig('ipass', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'none',
    cache: false,
    loaders: {
      '.js': guarded(defaultLoaders['.js']),
      '.mjs': guarded(defaultLoaders['.mjs']),
      '.cjs': guarded(defaultLoaders['.cjs']),
      '.ts': guarded(defaultLoaders['.ts']),
      '.yaml': yamlLoader,
      '.yml': yamlLoader,
      noExt: yamlLoader,
      '.json': (filepath, content) => withoutImport(filepath, jsonLoader(filepath, content), imports),
    },
  });
}

/** `value` without its `$import` key (for package.json: in its `ipass` property); `imports` notes it. */
function withoutImport(filepath: string, value: unknown, imports: Set<string>): unknown {
  const strip = (o: unknown): unknown => {
    if (o === null || typeof o !== 'object' || Array.isArray(o) || !Object.hasOwn(o, '$import')) return o;
    imports.add(filepath);
    const { $import: _, ...rest } = o as Record<string, unknown>;
    return rest;
  };
  if (filepath.endsWith('package.json') && value !== null && typeof value === 'object' && 'ipass' in value) {
    return { ...(value as object), ipass: strip((value as { ipass: unknown }).ipass) };
  }
  return strip(value);
}

/**
 * The config file itself must be a regular file inside its folder: a symbolic link out of the
 * project (to a credentials file, /dev/zero, a FIFO) is refused before cosmiconfig reads it.
 */
async function refuseUnsafeConfigFile(
  candidates: string[],
  shownFrom: string,
): Promise<Diagnostic | undefined> {
  for (const path of candidates) {
    try {
      lstatSync(path);
    } catch {
      continue; // absent: cosmiconfig looks at the next place (or says --config names nothing)
    }
    const file = displayPath(shownFrom, path);
    const position = { file, line: 1, col: 1 };
    const inside = resolveInsideProject(dirname(path), path, 'config file', file);
    if (!inside.ok) return { severity: 'error', ...inside.problem, position };
    const opened = await openRegularFile(inside.path, MAX_CONFIG_BYTES);
    if (opened.ok) {
      await opened.handle.close();
      continue;
    }
    if (opened.refusal.kind === 'missing') continue;
    return {
      severity: 'error',
      code: opened.refusal.kind === 'too-large' ? 'FILE_TOO_LARGE' : 'FILE_NOT_REGULAR',
      message: `The config file ${file} ${describeRefusal(opened.refusal)}.`,
      hint: 'The config is a small YAML (or JSON) file in the project folder; replace this one with such a file.',
      position,
    };
  }
  return undefined;
}

/** `campaigns:` globs and folders stay inside the project: no absolute path, no `..`. */
function campaignPathProblems(raw: unknown, locate: YamlSource['locate']): Diagnostic[] {
  const value = (raw as { campaigns?: unknown }).campaigns;
  const entries = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const out: Diagnostic[] = [];
  entries.forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const parts = entry.split(/[\\/]/);
    if (!isAbsolute(entry) && !/^[A-Za-z]:/.test(entry) && !parts.includes('..')) return;
    out.push({
      severity: 'error',
      code: 'PATH_OUTSIDE_PROJECT',
      message: `\`campaigns\` names ${excerpt(entry)}, which ${parts.includes('..') ? 'climbs out of' : 'is an absolute path, not inside'} the project (the folder of the config file); ipass reads nothing outside it.`,
      hint: 'Write the folder or glob relative to the config file, inside the project, e.g. `campaigns: campaigns` or `campaigns: "campaigns/**/*.yaml"`.',
      position: locate(typeof value === 'string' ? ['campaigns'] : ['campaigns', i]),
      path: typeof value === 'string' ? '/campaigns' : `/campaigns/${i}`,
    });
  });
  return out;
}

/** A config file refused during the upward search (a link out of the project, a FIFO, a huge file). */
class RefusedConfig extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
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
