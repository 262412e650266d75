// `ipass import generate CODE…`: read live templates with `detail` (nothing that changes anything) and
// write a campaign file with an `import:` entry each, so adopting them is reviewed like any change.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { Command } from 'commander';
import pLimit from 'p-limit';
import { connect } from '../../apply/connect.js';
import { remoteView } from '../../apply/refresh.js';
import { generateCampaign } from '../../campaign/generate-campaign.js';
import { apiCodeOf, IpassError } from '../../diagnostics/errors.js';
import { escapeControl, excerpt, excerptList } from '../../diagnostics/terminal-text.js';
import { TEMPLATE_FIELDS } from '../../plan/plan-import.js';
import type { RemoteTemplate } from '../../plan/plan-types.js';
import type { CommandContext } from '../command.js';
import { type Io, writeLine } from '../io.js';
import { loadProject, type Project } from '../project.js';

interface GenerateFlags {
  env?: string;
  config?: string;
  fromFile?: string;
  campaign: string;
  out?: string;
}

const CODE = /^[0-9A-Za-z]{1,64}$/;
const CAMPAIGN = /^[a-z0-9-]{1,63}$/;
const NOT_FOUND = new Set(['PASS_TEMPLATE_HAS_NOT_EXIT', 'PASS_TEMPLATE_HAS_NOT_EXIST']);

export function importCommand(ctx: CommandContext): Command {
  const command = new Command('import').description(
    'Adopt templates that already exist (made outside ipass).',
  );
  command.addCommand(
    new Command('generate')
      .description(
        'Read templates with `detail` and write a campaign file with an `import:` entry each (never overwrites).',
      )
      .argument('[codes...]', 'template codes (from the merchant console)')
      .option('--from-file <file>', 'more codes, one a line (blank lines and # comments ignored)')
      .option('-e, --env <name>', 'environment (default: IPASS_ENV, else defaultEnvironment)')
      .option('-c, --config <file>', 'config file (default: found upwards)')
      .option('--campaign <name>', 'campaign name of the file (addresses are NAME/KEY)', 'imported')
      .option('--out <file>', 'file to write (default: <campaigns folder>/<campaign>.yaml)')
      .action(async (codes: string[], flags: GenerateFlags) =>
        ctx.exit(await generate(ctx.io, codes, flags)),
      ),
  );
  return command;
}

async function generate(io: Io, args: readonly string[], flags: GenerateFlags): Promise<number> {
  const codes = await templateCodes(io, args, flags.fromFile);
  if (!CAMPAIGN.test(flags.campaign))
    throw new IpassError(
      'BAD_FLAG',
      `--campaign ${escapeControl(excerpt(flags.campaign))} is not a campaign name.`,
      {
        hint: 'Use lowercase letters, digits and hyphens, at most 63 (e.g. --campaign console-2026).',
      },
    );
  const project = await loadProject(io, flags);
  const out = outPath(io, project, flags);
  const templates = await readTemplates(io, project, codes);
  const text = generateCampaign({ campaign: flags.campaign, templates, templateFields: TEMPLATE_FIELDS });
  await mkdir(dirname(out), { recursive: true });
  try {
    await writeFile(out, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new IpassError('IMPORT_GENERATE_EXISTS', `${shown(io, out)} exists already; nothing was written.`, {
      hint: 'Give another file with --out (or another --campaign); `ipass import generate` never overwrites a file.',
    });
  }
  writeLine(
    io.stdout,
    `Wrote ${shown(io, out)}: ${templates.length} template(s) with an import: entry each.`,
  );
  writeLine(
    io.stdout,
    'Next: `ipass validate`, then `ipass plan` (it shows `<= import` for each), and open a pull request.',
  );
  return 0;
}

/** The codes of the arguments and of --from-file, each once, in order. */
async function templateCodes(
  io: Io,
  args: readonly string[],
  fromFile: string | undefined,
): Promise<string[]> {
  const all = [...args];
  if (fromFile !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, fromFile), 'utf8');
    } catch {
      throw new IpassError('IMPORT_GENERATE_NO_CODES', `Cannot read ${escapeControl(excerpt(fromFile))}.`, {
        hint: 'Give a text file with one template code a line.',
      });
    }
    for (const line of text.split('\n')) {
      const code = line.replace(/#.*$/, '').trim();
      if (code !== '') all.push(code);
    }
  }
  const bad = all.filter((c) => !CODE.test(c));
  if (all.length === 0 || bad.length > 0) {
    throw new IpassError(
      'IMPORT_GENERATE_NO_CODES',
      all.length === 0
        ? 'No template code was given.'
        : `Not template codes: ${escapeControl(excerptList(bad))}.`,
      {
        hint: 'Give the codes the merchant console shows (letters and digits, e.g. 82022031000135000000000000624234).',
      },
    );
  }
  return [...new Set(all)];
}

function outPath(io: Io, project: Project, flags: GenerateFlags): string {
  if (flags.out !== undefined) return resolve(io.cwd, flags.out);
  const folder = project.config.campaigns[0] ?? 'campaigns';
  if (/[*?[\]{}]/.test(folder) || /\.ya?ml$/i.test(folder)) {
    throw new IpassError(
      'BAD_FLAG',
      'The config names campaign files by a pattern, so there is no folder to write to.',
      {
        hint: 'Say where to write the file with --out FILE (inside a folder the pattern covers).',
      },
    );
  }
  return resolve(project.config.rootDir, folder, `${flags.campaign}.yaml`);
}

/** Every code read with `detail`; unknown codes (or another merchant's) are named together. */
async function readTemplates(io: Io, project: Project, codes: readonly string[]): Promise<RemoteTemplate[]> {
  const target = await connect(project.config, project.settings, { env: io.env });
  try {
    const limit = pLimit(Math.max(1, project.settings.concurrency));
    const answers = await Promise.all(
      codes.map((code) =>
        limit(async () => ({ code, answer: await target.client.call('detail', { templateCode: code }) })),
      ),
    );
    const unknown = answers
      .filter((a) => !a.answer.ok && NOT_FOUND.has(a.answer.failure.code))
      .map((a) => a.code);
    if (unknown.length > 0) {
      throw new IpassError(
        'IMPORT_GENERATE_UNKNOWN',
        `${project.settings.name} knows no template ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ` (and ${unknown.length - 20} more)` : ''}; nothing was written.`,
        {
          hint: 'Check the codes in the merchant console and the environment (-e); a template of another merchant cannot be adopted.',
        },
      );
    }
    return answers.map(({ code, answer }) => {
      if (answer.ok) return remoteView({ ...answer.data, templateCode: code });
      throw new IpassError(
        apiCodeOf(answer.failure),
        `Could not read template ${code}: ${answer.failure.message}`,
        {
          hint: `${answer.failure.action} Nothing was written.`,
        },
      );
    });
  } finally {
    await target.close();
  }
}

function shown(io: Io, path: string): string {
  const rel = relative(io.cwd, path);
  return escapeControl(rel.startsWith('..') ? path : rel);
}
