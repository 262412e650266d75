// `ipass init`: scaffold a project in the current folder — config, an example campaign (only when
// the config is new: an example deleted on purpose stays deleted), `.gitignore` entries and the
// editor schema mapping (copies of the schemas when ipass is not installed in the project).
// Never replaces a file: an existing config, campaign or schema copy is kept (it says which), while
// two files are edited in place: `.gitignore` gets the entries it lacks appended, and
// `.vscode/settings.json` is rewritten with `yaml.schemas` merged in (everything else in it kept, comments
// and formatting too). Refuses inside another ipass project; exit 0, or 1 when a file cannot be written.
import { access, appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { exampleCampaign } from '../../campaign/example-campaign.js';
import { loadConfig } from '../../config/load-config.js';
import { IpassError } from '../../diagnostics/errors.js';
import type { CommandFactory } from '../command.js';
import { mergeYamlSchemas } from '../editor-settings.js';
import { type Io, paint, writeLine } from '../io.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GITIGNORE_ENTRIES = ['.ipass/', 'node_modules/'];
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

type Outcome = 'created' | 'kept' | 'updated' | 'skipped';
/** What happened to a file, and why when it was kept. */
type Result = Outcome | [Outcome, string];

export const initCommand: CommandFactory = (ctx) =>
  new Command('init')
    .description(
      'Scaffold a project here: config, an example campaign, schemas, .gitignore and editor settings.',
    )
    .action(async () => {
      const io = ctx.io;
      await refuseInsideProject(io);
      const packaged = async (name: string): Promise<string> =>
        readFile(join(PACKAGE_ROOT, 'schemas', name), 'utf8');
      const place = schemaPlace(io.cwd);
      let freshConfig = false;
      const steps: [string, () => Promise<Result>][] = [
        [
          'ipass.config.yaml',
          async () => {
            const outcome = await createFile(io, 'ipass.config.yaml', config(place.dir));
            freshConfig = outcome === 'created';
            return outcome;
          },
        ],
        [
          'campaigns/example.yaml',
          async () =>
            freshConfig
              ? createFile(io, 'campaigns/example.yaml', exampleCampaign(Date.now()))
              : ['skipped', 'the project was set up before; an example you deleted stays deleted'],
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
      // Installed in the project: the commands are run through npx.
      for (const line of nextSteps(place.copy ? 'ipass' : 'npx ipass')) writeLine(io.stdout, line);
      ctx.exit(0);
    });

function report(io: Io, result: Result, file: string): void {
  const [outcome, why] = Array.isArray(result) ? result : [result, 'it already exists; not changed'];
  const note: Record<Outcome, string> = {
    created: paint(io, 'green', 'created'),
    updated: paint(io, 'green', 'updated'),
    kept: `${paint(io, 'yellow', 'kept')}   `,
    skipped: paint(io, 'yellow', 'skipped'),
  };
  const said = outcome === 'kept' || outcome === 'skipped';
  writeLine(io.stdout, `${note[outcome]} ${file}${said ? ` (${why})` : ''}`);
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
  await appendFile(
    path,
    `${separator}# ipass: state (per environment), and installed packages\n${missing.join('\n')}\n`,
  );
  return current === undefined ? 'created' : 'updated';
}

/** Add the yaml.schemas mapping to .vscode/settings.json, keeping everything else as it is written. */
async function mergeEditorSettings(io: Io, wanted: Record<string, string[]>): Promise<Result> {
  const path = join(io.cwd, '.vscode/settings.json');
  if (!(await exists(path))) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify({ 'yaml.schemas': wanted }, null, 2)}\n`, { flag: 'wx' });
    return 'created';
  }
  const merged = mergeYamlSchemas(await readFile(path, 'utf8'), wanted);
  if (merged.kind === 'unreadable') {
    writeLine(
      io.stderr,
      `note: .vscode/settings.json is not a JSON object (comments allowed), so it was left alone; add this yourself:\n  "yaml.schemas": ${JSON.stringify(wanted)}`,
    );
    return ['kept', 'not readable as settings; see the note above'];
  }
  if (merged.kind === 'unchanged') return ['kept', 'it already maps the ipass schemas'];
  await writeFile(path, merged.text);
  return 'updated';
}

/** `init` inside an existing project would start a second one whose config hides the first. */
async function refuseInsideProject(io: Io): Promise<void> {
  const { config } = await loadConfig({ cwd: io.cwd });
  const root = config?.file ? dirname(config.file) : undefined;
  if (!config?.file || root === resolve(io.cwd)) return;
  throw new IpassError(
    'INIT_INSIDE_PROJECT',
    `This folder is inside the ipass project at ${root} (config ${basename(config.file)}); init here would start a second project.`,
    {
      hint: `Run \`ipass init\` in ${root} to add what is missing there (existing files are kept), or run it in a folder outside that project. Every ipass command already works from here.`,
    },
  );
}

/** What to do next: look at the example, make it your own, and how to remove it once applied. */
function nextSteps(cli: string): string[] {
  return [
    '',
    'Next:',
    `  ${cli} preview    see the example card as the wallet shows it`,
    `  ${cli} plan       see what apply would create (nothing is sent)`,
    'Then make the example your own before the first apply: rename campaigns/example.yaml (e.g. to',
    `campaigns/2027/spring.yaml), change \`campaign:\` and the template, then \`${cli} plan\` and \`${cli} apply\`.`,
    'Applied the example already and want it gone? Add `removed: [example/coffee-voucher]` to a campaign',
    'file and apply: that closes it (deleting the file alone makes the plan stop with an error).',
  ];
}
