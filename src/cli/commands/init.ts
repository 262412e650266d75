// `ipass init`: scaffold a project in the current folder — config, an example campaign,
// `.gitignore` entries and the editor schema mapping (copies of the schemas when ipass is not
// installed in the project).
// Never overwrites a file (it says which ones it kept); exit 0, or 1 when a file cannot be written.
import { access, appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { exampleCampaign } from '../../campaign/example-campaign.js';
import { IpassError } from '../../diagnostics/errors.js';
import type { CommandFactory } from '../command.js';
import { type Io, paint, writeLine } from '../io.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GITIGNORE_ENTRIES = ['.ipass/'];
const CAMPAIGN_GLOBS = ['campaigns/**/*.yaml', 'campaigns/**/*.yml'];
const CONFIG_GLOBS = ['ipass.config.yaml', 'ipass.config.yml'];

/**
 * Where the editor finds the schemas, relative to the project: inside the installed package when
 * ipass is installed in the project (node_modules/ipass/schemas/…, so they follow upgrades), else
 * copies in ./schemas. Campaign files get no `$schema` line: a relative one breaks in sub-folders,
 * while the editor mapping's glob covers every file under campaigns/.
 */
function schemaPlace(cwd: string): { dir: string; copy: boolean } {
  const inside = relative(cwd, PACKAGE_ROOT);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside))
    return { dir: `./${inside.split(sep).join('/')}/schemas`, copy: false };
  return { dir: './schemas', copy: true };
}

function editorSchemas(dir: string): Record<string, string[]> {
  return { [`${dir}/campaign.schema.json`]: CAMPAIGN_GLOBS, [`${dir}/config.schema.json`]: CONFIG_GLOBS };
}

const config = (schemaDir: string): string => `# yaml-language-server: $schema=${schemaDir}/config.schema.json
# ipass project config: where the campaign files are, where state lives, which environments exist.
campaigns: campaigns
stateDir: .ipass
defaultEnvironment: sandbox
environments:
  sandbox: { endpoint: sandbox } # the embedded iPass emulator, for trying things out
  # production:
  #   endpoint: https://open.alipay.hk
  #   clientId: env:IPASS_CLIENT_ID
  #   merchantId: "2160120041113167"
  #   privateKey: env:IPASS_PRIVATE_KEY
  #   alipayPublicKey: file:keys/alipayhk-public.pem
`;

type Outcome = 'created' | 'kept' | 'updated';
/** What happened to a file, and why when it was kept. */
type Result = Outcome | [Outcome, string];

export const initCommand: CommandFactory = (ctx) =>
  new Command('init')
    .description(
      'Scaffold a project here: config, an example campaign, schemas, .gitignore and editor settings.',
    )
    .action(async () => {
      const io = ctx.io;
      const packaged = async (name: string): Promise<string> =>
        readFile(join(PACKAGE_ROOT, 'schemas', name), 'utf8');
      const place = schemaPlace(io.cwd);
      const steps: [string, () => Promise<Result>][] = [
        ['ipass.config.yaml', () => createFile(io, 'ipass.config.yaml', config(place.dir))],
        [
          'campaigns/example.yaml',
          () => createFile(io, 'campaigns/example.yaml', exampleCampaign(Date.now())),
        ],
      ];
      if (place.copy) {
        for (const name of ['campaign.schema.json', 'config.schema.json'])
          steps.push([
            `schemas/${name}`,
            async () => createFile(io, `schemas/${name}`, await packaged(name)),
          ]);
      }
      steps.push(
        ['.gitignore', () => appendGitignore(io)],
        ['.vscode/settings.json', () => mergeEditorSettings(io, editorSchemas(place.dir))],
      );
      for (const [file, step] of steps) {
        let outcome: Result;
        try {
          outcome = await step();
        } catch (error) {
          if (error instanceof IpassError) throw error;
          throw new IpassError('INIT_WRITE_FAILED', `${file} could not be written.`, {
            reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
            hint: 'Check that you may write to this folder and that no folder is in the way of the file; then run `ipass init` again (existing files are kept).',
          });
        }
        report(io, outcome, file);
      }
      writeLine(io.stdout, 'Next: edit campaigns/example.yaml, then run `ipass validate` and `ipass plan`.');
      ctx.exit(0);
    });

function report(io: Io, result: Result, file: string): void {
  const [outcome, why] = Array.isArray(result) ? result : [result, 'it already exists; not changed'];
  const note: Record<Outcome, string> = {
    created: paint(io, 'green', 'created'),
    updated: paint(io, 'green', 'updated'),
    kept: `${paint(io, 'yellow', 'kept')}   `,
  };
  writeLine(io.stdout, `${note[outcome]} ${file}${outcome === 'kept' ? ` (${why})` : ''}`);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Write a new file; an existing one is kept as it is. */
async function createFile(io: Io, file: string, content: string): Promise<Outcome> {
  const path = join(io.cwd, file);
  if (await exists(path)) return 'kept';
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, { flag: 'wx' });
  return 'created';
}

/** Append the entries .gitignore lacks; never rewrite what is there. */
async function appendGitignore(io: Io): Promise<Result> {
  const path = join(io.cwd, '.gitignore');
  const current = (await exists(path)) ? await readFile(path, 'utf8') : undefined;
  const lines = new Set((current ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_ENTRIES.filter((e) => !lines.has(e) && !lines.has(e.replace(/\/$/, '')));
  if (missing.length === 0) return ['kept', `it already lists ${GITIGNORE_ENTRIES.join(', ')}`];
  const separator = current && !current.endsWith('\n') ? '\n' : '';
  await appendFile(path, `${separator}# ipass state (per environment)\n${missing.join('\n')}\n`);
  return current === undefined ? 'created' : 'updated';
}

/** Add the yaml.schemas mapping to .vscode/settings.json, keeping every other setting. */
async function mergeEditorSettings(io: Io, wanted: Record<string, string[]>): Promise<Result> {
  const path = join(io.cwd, '.vscode/settings.json');
  if (!(await exists(path))) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify({ 'yaml.schemas': wanted }, null, 2)}\n`, { flag: 'wx' });
    return 'created';
  }
  let settings: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    settings = parsed as Record<string, unknown>;
  } catch {
    // Comments or trailing commas (allowed by VS Code) cannot be kept by a JSON rewrite.
    writeLine(
      io.stderr,
      `note: .vscode/settings.json is not plain JSON, so it was left alone; add this yourself:\n  "yaml.schemas": ${JSON.stringify(wanted)}`,
    );
    return ['kept', 'not plain JSON; see the note above'];
  }
  const current = settings['yaml.schemas'];
  const schemas: Record<string, unknown> =
    typeof current === 'object' && current !== null && !Array.isArray(current) ? { ...current } : {};
  let changed = false;
  for (const [schema, globs] of Object.entries(wanted)) {
    if (schema in schemas) continue;
    schemas[schema] = globs;
    changed = true;
  }
  if (!changed) return ['kept', 'it already maps the ipass schemas'];
  await writeFile(path, `${JSON.stringify({ ...settings, 'yaml.schemas': schemas }, null, 2)}\n`);
  return 'updated';
}
