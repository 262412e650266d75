// `ipass sandbox template create FILE`: make templates in a sandbox the way AlipayHK's merchant console
// does, outside ipass (through the sandbox's console route), so that adopting them can be tried locally.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parse } from 'yaml';
import { parseDateValue } from '../../campaign/dates.js';
import { IpassError } from '../../diagnostics/errors.js';
import { escapeControl, excerpt } from '../../diagnostics/terminal-text.js';
import type { CommandContext } from '../command.js';
import { type Io, writeLine } from '../io.js';
import { loadProject } from '../project.js';

interface TemplateFlags {
  env?: string;
  config?: string;
  url?: string;
  format: 'text' | 'json';
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function sandboxTemplateCommand(ctx: CommandContext): Command {
  const template = new Command('template').description(
    'Play the merchant console: templates made outside ipass, to try adopting them.',
  );
  template.addCommand(
    new Command('create')
      .description(
        'Create the templates of a YAML file in a sandbox, outside ipass (as the merchant console does).',
      )
      .argument('<file>', 'YAML: a template, a list of them, or `templates:` with a list')
      .option(
        '-e, --env <name>',
        'environment whose sandbox to use (default: IPASS_ENV, else defaultEnvironment)',
      )
      .option('-c, --config <file>', 'config file (default: found upwards)')
      .option(
        '--url <url>',
        'a running `ipass sandbox` (e.g. http://127.0.0.1:4010) instead of an environment',
      )
      .addOption(
        new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'),
      )
      .action(async (file: string, flags: TemplateFlags) => ctx.exit(await create(ctx.io, file, flags))),
  );
  return template;
}

async function create(io: Io, file: string, flags: TemplateFlags): Promise<number> {
  const templates = await readTemplates(resolve(io.cwd, file), file);
  const created = await withConsole(io, flags, (url) => post(url, templates));
  if (flags.format === 'json') {
    writeLine(io.stdout, JSON.stringify({ templates: created }), 'json');
    return 0;
  }
  for (const t of created) writeLine(io.stdout, `Created ${t.templateCode} (${t.status}) outside ipass.`);
  writeLine(
    io.stdout,
    `${created.length} template(s) made as the merchant console would. Adopt them with \`ipass import generate CODE…\`.`,
  );
  return 0;
}

/** The templates of the file, dates (ISO-8601 with an offset, or epoch ms) as epoch milliseconds. */
async function readTemplates(path: string, shown: string): Promise<Record<string, unknown>[]> {
  // The emulator is loaded only where it runs (see test/layers.test.ts).
  const { CONSOLE_MAX_TEMPLATES } = await import('../../sandbox/console.js');
  let value: unknown;
  try {
    value = parse(await readFile(path, 'utf8'));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : 'it is not valid YAML';
    throw new IpassError('SANDBOX_CONSOLE_FILE_INVALID', `Cannot read ${escapeControl(shown)}: ${why}.`, {
      hint: 'Give a YAML file holding a template (the fields of createTemplate), or `templates:` with a list.',
    });
  }
  const list = Array.isArray(value)
    ? value
    : isRecord(value) && Array.isArray(value.templates)
      ? value.templates
      : [value];
  if (list.length === 0 || list.length > CONSOLE_MAX_TEMPLATES || !list.every(isRecord)) {
    throw new IpassError(
      'SANDBOX_CONSOLE_FILE_INVALID',
      `${escapeControl(shown)} holds no list of 1 to ${CONSOLE_MAX_TEMPLATES} templates.`,
      { hint: 'Each template is a mapping of createTemplate fields (type, product, localeInfo, …).' },
    );
  }
  return (list as Record<string, unknown>[]).map((t, i) => {
    const out = { ...t };
    for (const field of ['startDate', 'endDate']) {
      if (out[field] === undefined) continue;
      const date = parseDateValue(out[field]);
      if (!date.ok)
        throw new IpassError(
          'SANDBOX_CONSOLE_FILE_INVALID',
          `Template ${i + 1} of ${escapeControl(shown)}: ${field} is not a date.`,
          {
            hint: 'Write it as ISO-8601 with an offset (2027-06-01T00:00:00+08:00) or epoch milliseconds.',
          },
        );
      out[field] = date.ms;
    }
    return out;
  });
}

/** Run `work` against the console route of --url, of the environment's endpoint, or of its embedded sandbox. */
async function withConsole<T>(io: Io, flags: TemplateFlags, work: (url: string) => Promise<T>): Promise<T> {
  if (flags.url !== undefined) return work(localUrl(flags.url, '--url'));
  const { settings } = await loadProject(io, flags);
  if (!settings.sandbox) return work(localUrl(settings.endpoint, `environment ${settings.name}`));
  const { createEmbeddedSandbox } = await import('../../sandbox/embedded.js');
  const { sandbox } = await createEmbeddedSandbox(settings.stateDir, { env: io.env });
  try {
    return await work(sandbox.url);
  } finally {
    await sandbox.close();
  }
}

/** Only a sandbox on this machine plays the console: nothing of this goes to AlipayHK. */
function localUrl(text: string, where: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' || !LOCAL_HOSTS.has(url.hostname)) {
    throw new IpassError(
      'SANDBOX_CONSOLE_NOT_SANDBOX',
      `${where} is not a sandbox on this machine (${escapeControl(excerpt(text))}).`,
      {
        hint: 'Templates are made outside ipass only in a sandbox: use an environment with `endpoint: sandbox`, or --url of a running `ipass sandbox`.',
      },
    );
  }
  return url.origin;
}

interface Created {
  templateCode: string;
  status: string;
}

async function post(base: string, templates: Record<string, unknown>[]): Promise<Created[]> {
  const { CONSOLE_PATH } = await import('../../sandbox/console.js');
  let response: Response;
  try {
    response = await fetch(`${base}${CONSOLE_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ templates }),
    });
  } catch (error) {
    throw new IpassError('SANDBOX_CONSOLE_UNREACHABLE', `No sandbox answers at ${base}.`, {
      reason: String((error as Error).cause ?? error),
      hint: 'Start one with `ipass sandbox`, or check the URL and port.',
    });
  }
  const body = (await response.json().catch(() => ({}))) as { templates?: Created[]; error?: string };
  if (response.ok && Array.isArray(body.templates)) return body.templates;
  if (response.status === 404)
    throw new IpassError(
      'SANDBOX_CONSOLE_NOT_SANDBOX',
      `${base} has no console route: it is not an ipass sandbox (or an older one).`,
      {
        hint: 'Point --url at a running `ipass sandbox`.',
      },
    );
  throw new IpassError('SANDBOX_CONSOLE_REFUSED', 'The sandbox refused the templates; none was created.', {
    reason: escapeControl(excerpt(String(body.error ?? `HTTP ${response.status}`), 300)),
    hint: 'Fix the template named (the API’s own rules apply, except that a start in the past is allowed) and run it again.',
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
